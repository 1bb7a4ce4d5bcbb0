//! `GET /ws`: turns an HTTP request into a WebSocket session.
//!
//! Before upgrading, the request must pass the [`Access`](crate::access)
//! checks on `Host` and `Origin` (a cross-site or rebound page gets a 403 and
//! nothing else), and the session must get a place (see `admission`). A page
//! turned away for lack of room is upgraded all the same, to be told why.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::app::AppState;
use crate::session;
use crate::websocket::Upgrade;

pub async fn upgrade(
    State(app): State<AppState>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    upgrade: Upgrade,
) -> Response {
    if let Err(reason) = app.access.check(&headers) {
        tracing::warn!("refused a WebSocket from {client}: {reason}");
        return (StatusCode::FORBIDDEN, reason).into_response();
    }
    let sessions = app.sessions.clone();
    match app.admission.admit(client.ip()) {
        Ok(ticket) => upgrade
            .on_upgrade(move |stream, early| sessions.track_future(session::run(stream, early, app, ticket))),
        Err(why) => {
            tracing::warn!("turned away a session from {client}: {why}");
            upgrade
                .on_upgrade(move |stream, early| sessions.track_future(session::refuse(stream, early, why)))
        }
    }
}
