//! The relay's web application: its routes and the state they share.
//!
//! ```text
//! GET /ws     the WebSocket: one session per page (see `session`)
//! GET /*      the playground's files, built from web/ and www/ (see `site`)
//! ```

use std::sync::Arc;

use axum::Router;
use axum::routing::get;
use protocol::{LessonServer, ServerInfo};
use tower_http::compression::CompressionLayer;

use crate::config::Limits;
use crate::lessons::log::LogBus;
use crate::{site, ws};

/// What every request handler may read; cheap to clone.
#[derive(Debug, Clone)]
pub struct AppState {
    pub limits: Arc<Limits>,
    /// The lesson servers this relay runs, as the pages are told of them.
    pub servers: Arc<[ServerInfo]>,
    pub log: LogBus,
}

impl AppState {
    /// The running lesson server of that name.
    pub fn server(&self, name: LessonServer) -> ServerInfo {
        self.servers
            .iter()
            .find(|server| server.name == name)
            .cloned()
            .expect("the relay starts every lesson server before serving pages")
    }
}

/// The routes, with their shared state.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/ws", get(ws::upgrade))
        .fallback(site::serve)
        .layer(CompressionLayer::new())
        .with_state(state)
}
