//! The playground's files, embedded in the relay's binary.
//!
//! `cargo xtask build-web` builds the front end (`web/` and `www/`) with Trunk
//! into `relay/site/`, which is committed. This module embeds that folder at
//! compile time, so `cargo run -p relay` serves the page with stable Rust
//! alone: no wasm target, no Trunk. Each file is sent with an `ETag` (its
//! SHA-256) so a browser revalidates instead of using a stale copy.
//!
//! A course page can show one lesson alone in an `<iframe>`: `/embed/http`,
//! `/embed/hello` and `/embed/address` are the same page as `/`, which reads
//! its path and leaves out everything but that lesson (`docs/embedding.md`).

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use rust_embed::RustEmbed;

use crate::app::AppState;

#[derive(RustEmbed)]
#[folder = "site/"]
#[exclude = "BUILD-STAMP"]
struct Site;

/// The lessons a course page may embed, at `/embed/<lesson>`.
const EMBEDDABLE: [&str; 3] = ["http", "hello", "address"];

/// Sends the embedded file for the request's path (`/` is `index.html`).
pub async fn serve(State(app): State<AppState>, uri: Uri, headers: HeaderMap) -> Response {
    let path = match uri.path().trim_start_matches('/') {
        "" => "index.html",
        path => path,
    };
    send(&app, path, &headers)
}

/// `/embed/<lesson>`: the page, for a course page's `<iframe>`.
pub async fn embed(State(app): State<AppState>, Path(lesson): Path<String>, headers: HeaderMap) -> Response {
    if EMBEDDABLE.contains(&lesson.as_str()) {
        return send(&app, "index.html", &headers);
    }
    let lessons = EMBEDDABLE.map(|name| format!("/embed/{name}")).join(", ");
    (StatusCode::NOT_FOUND, format!("no lesson {lesson:?} to embed; the lessons are {lessons}"))
        .into_response()
}

/// The file at `path` with its headers, or `304 Not Modified` when the
/// browser's copy (`If-None-Match`) is current.
fn send(app: &AppState, path: &str, headers: &HeaderMap) -> Response {
    let Some(file) = Site::get(path) else {
        return (StatusCode::NOT_FOUND, format!("no file at /{path}")).into_response();
    };
    let etag = format!("\"{}\"", hex(&file.metadata.sha256_hash()));
    let cached = headers.get(header::IF_NONE_MATCH).is_some_and(|tag| tag.as_bytes() == etag.as_bytes());
    let common = [
        (header::ETAG, etag),
        (header::CACHE_CONTROL, "no-cache".to_owned()),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
        (header::CONTENT_SECURITY_POLICY, frame_ancestors(app.access.embedders())),
    ];
    if cached {
        return (StatusCode::NOT_MODIFIED, common).into_response();
    }
    let content_type = file.metadata.mimetype().to_owned();
    (common, [(header::CONTENT_TYPE, content_type)], file.data).into_response()
}

/// `frame-ancestors 'self' https://course.example.edu`: which pages may show
/// the playground in an `<iframe>` (`--embed-origin`).
fn frame_ancestors(embedders: &[String]) -> String {
    std::iter::once("frame-ancestors 'self'")
        .chain(embedders.iter().map(String::as_str))
        .collect::<Vec<_>>()
        .join(" ")
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}
