//! `GET /ws`: turns an HTTP request into a WebSocket session.
//!
//! Before upgrading, the request must pass the [`Access`](crate::access)
//! checks on `Host` and `Origin` (a cross-site or rebound page gets a 403 and
//! nothing else), and the session must get a place (see `admission`). A page
//! turned away for lack of room is upgraded all the same, to be told why.

use std::net::SocketAddr;

use axum::extract::ws::WebSocketUpgrade;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::app::AppState;
use crate::session;

/// Room above the largest payload for a frame's own header.
const FRAME_OVERHEAD: usize = 64 * 1024;
/// How much the WebSocket reads from its TCP connection at a time. The
/// page's requests are small, and the WebSocket library zeroes this much
/// before each read: the default 128 KiB made every idle session cost
/// 128 KiB of memory and every request a 128 KiB `memset`. Larger messages
/// (a `send` of up to --max-payload) still arrive, in more reads.
const READ_BUFFER: usize = 16 * 1024;

pub async fn upgrade(
    State(app): State<AppState>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    upgrade: WebSocketUpgrade,
) -> Response {
    if let Err(reason) = app.access.check(&headers) {
        tracing::warn!("refused a WebSocket from {client}: {reason}");
        return (StatusCode::FORBIDDEN, reason).into_response();
    }
    // Frames a little over the payload limit still reach the session, which
    // answers them with a LimitError; far larger ones close the connection.
    let max_frame = 2 * app.limits.max_payload as usize + FRAME_OVERHEAD;
    let upgrade = upgrade.max_message_size(max_frame).max_frame_size(max_frame).read_buffer_size(READ_BUFFER);
    let sessions = app.sessions.clone();
    match app.admission.admit(client.ip()) {
        Ok(ticket) => {
            upgrade.on_upgrade(move |websocket| sessions.track_future(session::run(websocket, app, ticket)))
        }
        Err(why) => {
            tracing::warn!("turned away a session from {client}: {why}");
            upgrade.on_upgrade(move |websocket| sessions.track_future(session::refuse(websocket, why)))
        }
    }
}
