//! The relay: the native half of the socket playground.
//!
//! A browser page cannot open a TCP socket. The relay can: it serves the
//! playground's page, accepts a WebSocket from it, and carries out each
//! socket call the page asks for on a real kernel socket, answering with the
//! real result. Beside it run the lesson servers, real TCP servers for the
//! learner to talk to, starting with the tutorial's threaded Hello server.
//!
//! See `ARCHITECTURE.md` at the repository's root for a map of the code.

mod access;
mod admission;
mod app;
pub mod config;
mod lessons;
mod policy;
mod session;
mod site;
#[cfg(test)]
mod testing;
mod websocket;
mod ws;

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::serve::ListenerExt;
use protocol::{LessonServer, ServerInfo};
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use access::{Access, AccessError};
use admission::Admission;
use app::AppState;
pub use config::Config;
use lessons::log::LogBus;
use policy::{Policy, PolicyConfigError};

/// A relay whose ports are bound, ready to serve.
pub struct Relay {
    listener: TcpListener,
    state: AppState,
}

/// Why the relay could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(
        "cannot listen on {addr}: port {port} is already in use. One socket per port: stop the program that holds it, or choose another port with {flag}",
        port = addr.port()
    )]
    PortInUse { addr: SocketAddr, flag: &'static str },
    #[error("cannot listen on {addr} ({flag}): {source}")]
    Bind { addr: SocketAddr, flag: &'static str, source: io::Error },
    #[error(transparent)]
    Access(#[from] AccessError),
    #[error(transparent)]
    Policy(#[from] PolicyConfigError),
}

impl StartError {
    fn new(addr: SocketAddr, flag: &'static str, source: io::Error) -> Self {
        match source.kind() {
            io::ErrorKind::AddrInUse => StartError::PortInUse { addr, flag },
            _ => StartError::Bind { addr, flag, source },
        }
    }
}

impl Relay {
    /// Binds the playground's port and starts the lesson servers.
    pub async fn bind(config: &Config) -> Result<Relay, StartError> {
        let access = Access::new(&config.web)?;
        let listener = TcpListener::bind(config.listen)
            .await
            .map_err(|error| StartError::new(config.listen, "--listen", error))?;
        let log = LogBus::default();
        let wanted = [
            (LessonServer::Hello, config.hello, "--hello"),
            (LessonServer::HelloSingle, config.hello_single, "--hello-single"),
        ];
        // Every port is bound before any server starts, so a taken port is
        // the only thing the relay says before it stops.
        let mut listeners = Vec::new();
        for (name, addr, flag) in wanted {
            let bound = lessons::hello::bind(addr).map_err(|error| StartError::new(addr, flag, error))?;
            listeners.push((name, addr, flag, bound));
        }
        let mut servers = Vec::new();
        for (name, addr, flag, listener) in listeners {
            let bound = lessons::hello::start(name, listener, config.hello_delay(), log.clone())
                .map_err(|error| StartError::new(addr, flag, error))?;
            servers.push(ServerInfo { name, addr: bound, delay_ms: config.hello_delay });
        }
        let addresses: Vec<SocketAddr> = servers.iter().map(|server| server.addr).collect();
        let policy = Policy::from_settings(&config.egress, config.listen, &addresses)?;
        for rule in policy.describe() {
            tracing::info!("egress policy: {rule}");
        }
        if policy.mode() == policy::Mode::Public && config.web.server_name.is_empty() {
            tracing::warn!(
                "public mode without --server-name: browsers reach the WebSocket only by the relay's IP address"
            );
        }
        let limits = &config.limits;
        let state = AppState {
            admission: Admission::new(limits.max_sessions, limits.max_sessions_per_client),
            limits: Arc::new(limits.clone()),
            access: Arc::new(access),
            policy: Arc::new(policy),
            servers: servers.into(),
            log,
            shutdown: CancellationToken::new(),
            sessions: TaskTracker::new(),
        };
        Ok(Relay { listener, state })
    }

    /// Where the playground is served.
    pub fn http_addr(&self) -> SocketAddr {
        self.listener.local_addr().expect("a bound listener has an address")
    }

    /// Where the lesson servers listen.
    pub fn servers(&self) -> &[ServerInfo] {
        &self.state.servers
    }

    /// The web application, for serving or for calling directly in tests.
    pub fn router(&self) -> axum::Router {
        app::router(self.state.clone())
    }

    /// Serves until `shutdown` completes, then shuts down gracefully: stops
    /// taking connections, tells every session's page that the relay is
    /// going (which closes their sockets), and waits a moment for them.
    pub async fn serve(self, shutdown: impl Future<Output = ()> + Send + 'static) -> io::Result<()> {
        let Relay { listener, state } = self;
        let app = app::router(state.clone()).into_make_service_with_connect_info::<SocketAddr>();
        let stopping = state.shutdown.clone();
        let signal = async move {
            shutdown.await;
            stopping.cancel();
        };
        let listener = listener.tap_io(|tcp| tune(tcp));
        axum::serve(listener, app).with_graceful_shutdown(signal).await?;
        let open = state.admission.open();
        state.sessions.close();
        if tokio::time::timeout(GOODBYE, state.sessions.wait()).await.is_err() {
            tracing::warn!("{} sessions did not end within {GOODBYE:?}", state.admission.open());
        }
        tracing::info!("stopped; {open} sessions were told the relay is shutting down");
        Ok(())
    }
}

/// The send buffer of a page's connection: 4 MiB, the most Linux lets
/// autotuning reach by default (`net.ipv4.tcp_wmem`).
const SEND_BUFFER: usize = 4 << 20;

/// Sets up a connection from a page, before HTTP is spoken on it.
///
/// - Every answer is one small WebSocket frame that the page waits for:
///   send it at once. With Nagle's algorithm on, a frame written right
///   after another (`connected` after `resolved`) waits for the page's
///   delayed ACK, some 40 ms.
/// - A `recv_all` may stream gigabytes to the page. Left to autotuning, the
///   send buffer starts at 16 KiB and grows with the round trip it sees,
///   which on a fast network stays small, so the relay waits on a full
///   buffer over and over: 256 MiB streams through the relay on loopback
///   went from 1945 to 2213 MB/s (median of 12) with the full size from the
///   start. The memory is the kernel's, taken only as data waits to be sent.
fn tune(tcp: &tokio::net::TcpStream) {
    if let Err(error) = tcp.set_nodelay(true) {
        tracing::debug!("cannot turn off Nagle's algorithm: {error}");
    }
    if let Err(error) = socket2::SockRef::from(tcp).set_send_buffer_size(SEND_BUFFER) {
        tracing::debug!("cannot size the send buffer: {error}");
    }
}

/// How long a graceful shutdown waits for the sessions to say goodbye.
const GOODBYE: Duration = Duration::from_secs(5);
