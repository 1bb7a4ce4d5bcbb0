//! The playground's page and files, served from the binary.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::TestRelay;
use http_body_util::BodyExt;
use tower::ServiceExt;

async fn get(relay: &TestRelay, path: &str, etag: Option<&str>) -> axum::response::Response {
    let mut request = Request::get(path);
    if let Some(etag) = etag {
        request = request.header(header::IF_NONE_MATCH, etag);
    }
    relay.router.clone().oneshot(request.body(Body::empty()).unwrap()).await.unwrap()
}

#[tokio::test]
async fn the_root_is_the_playground_page() {
    let relay = TestRelay::start(&[]).await;
    let response = get(&relay, "/", None).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[header::CONTENT_TYPE], "text/html");
    assert_eq!(response.headers()[header::CONTENT_SECURITY_POLICY], "frame-ancestors 'self'");
    let body = response.into_body().collect().await.unwrap().to_bytes();
    let page = String::from_utf8(body.to_vec()).unwrap();
    assert!(page.contains("<html"), "{page}");
}

#[tokio::test]
async fn an_unchanged_file_is_not_sent_twice() {
    let relay = TestRelay::start(&[]).await;
    let first = get(&relay, "/index.html", None).await;
    let etag = first.headers()[header::ETAG].to_str().unwrap().to_owned();
    let again = get(&relay, "/index.html", Some(&etag)).await;
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
}

#[tokio::test]
async fn unknown_paths_and_the_build_stamp_are_not_found() {
    let relay = TestRelay::start(&[]).await;
    for path in ["/no-such-file.js", "/BUILD-STAMP", "/../Cargo.toml"] {
        assert_eq!(get(&relay, path, None).await.status(), StatusCode::NOT_FOUND, "{path}");
    }
}

/// Only the relay itself and the sites given with --embed-origin may show
/// the playground in an <iframe>; a browser enforces the CSP header.
#[tokio::test]
async fn embedding_sites_are_named_in_frame_ancestors() {
    let relay = TestRelay::start(&[
        "--embed-origin",
        "https://course.example.edu",
        "--embed-origin",
        "http://127.0.0.1:3000",
    ])
    .await;
    let response = get(&relay, "/", None).await;
    assert_eq!(
        response.headers()[header::CONTENT_SECURITY_POLICY],
        "frame-ancestors 'self' https://course.example.edu http://127.0.0.1:3000"
    );
}
