//! `GET /ws`: turns an HTTP request into a WebSocket session.
//!
//! Browsers let any web page open a WebSocket to any address, including
//! `127.0.0.1:8080`, and say in the `Origin` header which page asked. A relay
//! that opens sockets must not serve pages from other sites, or any site its
//! user visits could use it to reach the user's own network. So an upgrade
//! whose `Origin` is not this relay's own page is refused. Programs that are
//! not browsers (the tests, `websocat`) send no `Origin` and are let in.

use axum::extract::State;
use axum::extract::ws::WebSocketUpgrade;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::app::AppState;
use crate::session;

/// Room above the largest payload for a frame's own header.
const FRAME_OVERHEAD: usize = 64 * 1024;

pub async fn upgrade(State(app): State<AppState>, headers: HeaderMap, upgrade: WebSocketUpgrade) -> Response {
    if let Err(reason) = check_origin(&headers) {
        tracing::warn!("refused a WebSocket: {reason}");
        return (StatusCode::FORBIDDEN, reason).into_response();
    }
    // Frames a little over the payload limit still reach the session, which
    // answers them with a LimitError; far larger ones close the connection.
    let max_frame = 2 * app.limits.max_payload as usize + FRAME_OVERHEAD;
    upgrade
        .max_message_size(max_frame)
        .max_frame_size(max_frame)
        .on_upgrade(move |websocket| session::run(websocket, app))
}

/// Lets in requests without `Origin`, or whose `Origin` names the host the
/// request was sent to: the relay's own page.
fn check_origin(headers: &HeaderMap) -> Result<(), String> {
    let Some(origin) = headers.get(header::ORIGIN) else {
        return Ok(());
    };
    let origin = origin.to_str().unwrap_or_default();
    let host = headers.get(header::HOST).and_then(|host| host.to_str().ok()).unwrap_or_default();
    let origin_host = origin.strip_prefix("http://").or_else(|| origin.strip_prefix("https://"));
    if !host.is_empty() && origin_host == Some(host) {
        Ok(())
    } else {
        Err(format!("the page at {origin:?} is not this relay's own page ({host:?})"))
    }
}
