//! The WebSocket refuses pages from other sites: a relay that opens sockets
//! must not be usable by whatever site its user happens to visit.

mod common;

use common::TestRelay;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::{Error, http};

async fn open_with_origin(relay: &TestRelay, origin: &str) -> Result<(), Error> {
    let mut request = relay.ws_url().into_client_request().unwrap();
    request.headers_mut().insert(http::header::ORIGIN, origin.parse().unwrap());
    tokio_tungstenite::connect_async(request).await.map(|_| ())
}

#[tokio::test]
async fn the_relays_own_page_may_connect() {
    let relay = TestRelay::start(&[]).await;
    open_with_origin(&relay, &format!("http://{}", relay.http)).await.expect("same origin is let in");
}

#[tokio::test]
async fn another_site_is_refused() {
    let relay = TestRelay::start(&[]).await;
    for origin in ["http://evil.example", &format!("http://{}.evil.example", relay.http), "null"] {
        match open_with_origin(&relay, origin).await {
            Err(Error::Http(response)) => assert_eq!(response.status(), http::StatusCode::FORBIDDEN),
            other => panic!("{origin} must be refused, got {other:?}"),
        }
    }
}

/// DNS rebinding: `evil.example` resolved to the attacker, served a page,
/// then resolved to 127.0.0.1. The page's origin now matches the `Host` it
/// sends, and only the check on `Host` itself stops it.
#[tokio::test]
async fn a_rebound_name_is_refused() {
    let relay = TestRelay::start(&[]).await;
    let port = relay.http.port();
    let mut request = relay.ws_url().into_client_request().unwrap();
    let rebound = format!("evil.example:{port}");
    request.headers_mut().insert(http::header::HOST, rebound.parse().unwrap());
    let origin = format!("http://{rebound}");
    request.headers_mut().insert(http::header::ORIGIN, origin.parse().unwrap());
    match tokio_tungstenite::connect_async(request).await {
        Err(Error::Http(response)) => {
            assert_eq!(response.status(), http::StatusCode::FORBIDDEN);
            let body = String::from_utf8(response.into_body().unwrap_or_default()).unwrap();
            assert!(body.contains("DNS rebinding"), "{body}");
        }
        other => panic!("a rebound name must be refused, got {other:?}"),
    }
}

#[tokio::test]
async fn a_configured_name_and_an_embedding_site_are_let_in() {
    let relay = TestRelay::start(&[
        "--server-name",
        "playground.example.org",
        "--embed-origin",
        "https://course.example.edu",
    ])
    .await;
    let mut request = relay.ws_url().into_client_request().unwrap();
    let headers = request.headers_mut();
    headers.insert(http::header::HOST, "playground.example.org".parse().unwrap());
    headers.insert(http::header::ORIGIN, "https://course.example.edu".parse().unwrap());
    tokio_tungstenite::connect_async(request).await.expect("a configured name and embedder are let in");
    open_with_origin(&relay, "https://course.example.edu")
        .await
        .expect("the embedder, by the relay's address");
    assert!(open_with_origin(&relay, "https://other.example.edu").await.is_err());
}
