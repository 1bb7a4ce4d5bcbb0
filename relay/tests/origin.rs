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
