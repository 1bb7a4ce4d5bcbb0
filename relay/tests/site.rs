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

async fn text(response: axum::response::Response) -> String {
    let body = response.into_body().collect().await.unwrap().to_bytes();
    String::from_utf8(body.to_vec()).unwrap()
}

#[tokio::test]
async fn the_root_is_the_playground_page() {
    let relay = TestRelay::start(&[]).await;
    let response = get(&relay, "/", None).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[header::CONTENT_TYPE], "text/html");
    assert_eq!(response.headers()[header::CONTENT_SECURITY_POLICY], "frame-ancestors 'self'");
    let page = text(response).await;
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

/// A course page frames one lesson at `/embed/<lesson>`: the page itself,
/// with the same headers, which reads the lesson from its path.
#[tokio::test]
async fn each_lesson_can_be_embedded_and_is_the_page_itself() {
    let relay = TestRelay::start(&["--embed-origin", "https://course.example.edu"]).await;
    let root = get(&relay, "/", None).await;
    let headers = root.headers().clone();
    let page = text(root).await;
    for path in ["/embed/http", "/embed/hello", "/embed/address?lang=zh&theme=dark"] {
        let response = get(&relay, path, None).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        for name in [
            header::CONTENT_TYPE,
            header::ETAG,
            header::CACHE_CONTROL,
            header::X_CONTENT_TYPE_OPTIONS,
            header::CONTENT_SECURITY_POLICY,
        ] {
            assert_eq!(response.headers()[&name], headers[&name], "{path}: {name}");
        }
        assert_eq!(text(response).await, page, "{path}");
    }
    assert_eq!(headers[header::CONTENT_SECURITY_POLICY], "frame-ancestors 'self' https://course.example.edu");
    assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    let etag = headers[header::ETAG].to_str().unwrap();
    assert_eq!(get(&relay, "/embed/hello", Some(etag)).await.status(), StatusCode::NOT_MODIFIED);
}

#[tokio::test]
async fn other_paths_under_embed_are_not_found_and_name_the_lessons() {
    let relay = TestRelay::start(&[]).await;
    for path in ["/embed/nope", "/embed/HTTP", "/embed/http/more", "/embed/index.html", "/embed/ws"] {
        let response = get(&relay, path, None).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
        let said = text(response).await;
        assert!(said.contains("the lessons are /embed/http, /embed/hello, /embed/address"), "{path}: {said}");
    }
}
