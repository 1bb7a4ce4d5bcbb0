//! The relay's web application: its routes and the state they share.
//!
//! ```text
//! GET /ws             the WebSocket: one session per page (see `session`)
//! GET /embed/{lesson} the page again, one lesson alone, for a course's <iframe> (see `site`)
//! GET /*              the playground's files, built from web/ and www/ (see `site`)
//! ```

use std::sync::Arc;

use axum::Router;
use axum::routing::get;
use protocol::{LessonServer, ServerInfo};
use tower_http::compression::CompressionLayer;

use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::access::Access;
use crate::admission::Admission;
use crate::config::Limits;
use crate::lessons::log::LogBus;
use crate::policy::Policy;
use crate::{site, ws};

/// What every request handler may read; cheap to clone.
#[derive(Debug, Clone)]
pub struct AppState {
    pub limits: Arc<Limits>,
    /// Who may open a session (`Host` and `Origin`), and who may frame the page.
    pub access: Arc<Access>,
    /// The sessions open now, in all and per client.
    pub admission: Admission,
    /// Where pages may connect to.
    pub policy: Arc<Policy>,
    /// The lesson servers this relay runs, as the pages are told of them.
    pub servers: Arc<[ServerInfo]>,
    pub log: LogBus,
    /// Cancelled when the relay shuts down: every session says goodbye.
    pub shutdown: CancellationToken,
    /// The running sessions, so that shutting down can wait for them.
    pub sessions: TaskTracker,
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
        .route("/embed/{*lesson}", get(site::embed))
        .fallback(site::serve)
        .layer(CompressionLayer::new())
        .with_state(state)
}
