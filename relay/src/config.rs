//! The relay's settings, read from the command line (`relay --help`).
//!
//! Every setting has a default that suits `cargo run -p relay` on a laptop:
//! the playground on http://127.0.0.1:8080 and the tutorial's Hello server on
//! 127.0.0.1:9999, answering after the tutorial's one-second pause.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;

/// Serves the socket playground and makes its socket calls for real.
#[derive(Debug, Clone, Parser)]
#[command(name = "relay", version, about, long_about = None, args_override_self = true)]
pub struct Config {
    /// Address for the playground: the page, its files and the WebSocket at /ws.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,

    /// Address of the tutorial's threaded Hello server.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:9999")]
    pub hello: SocketAddr,

    /// Address of the single-threaded Hello server, which serves one client
    /// at a time.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:9998")]
    pub hello_single: SocketAddr,

    /// The Hello server's pause before each answer, in milliseconds
    /// (the tutorial's `time.sleep(1)`).
    #[arg(long, value_name = "MS", default_value_t = 1000)]
    pub hello_delay: u64,

    /// What to log: error, warn, info, debug, trace, or a tracing filter
    /// such as `relay=debug`.
    #[arg(long, value_name = "FILTER", default_value = "info")]
    pub log_level: String,

    #[command(flatten)]
    pub egress: Egress,

    #[command(flatten)]
    pub web: WebAccess,

    #[command(flatten)]
    pub limits: Limits,
}

/// Where the relay may open connections for its pages (see `policy`).
#[derive(Debug, Clone, clap::Args)]
pub struct Egress {
    /// Public mode: only public addresses, and the lesson servers by their
    /// advertised address. Always on when --listen is not a loopback address.
    #[arg(long)]
    pub public: bool,

    /// A network the policy would deny that pages may reach all the same,
    /// such as 127.0.0.0/8, 192.168.1.20 or ::1. May be given many times.
    #[arg(long, value_name = "NET")]
    pub allow: Vec<String>,

    /// The ports pages may connect to: a comma-separated list of ports and
    /// ranges, or `any`. The lesson servers' ports are always added.
    #[arg(long, value_name = "LIST")]
    pub ports: Option<String>,

    /// A TOML file with `public`, `allow` and `ports` settings; the flags
    /// add to (`allow`) or override (`public`, `ports`) what it says.
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,
}

/// Who may use the relay's WebSocket, and which pages may frame it.
#[derive(Debug, Clone, clap::Args)]
pub struct WebAccess {
    /// A site allowed to embed the playground in an <iframe> (sent as CSP
    /// frame-ancestors) and to open its WebSocket, such as
    /// https://course.example.edu. May be given many times.
    #[arg(long, value_name = "ORIGIN")]
    pub embed_origin: Vec<String>,

    /// A host name the relay is reached by, such as playground.example.org.
    /// WebSocket requests must name the relay in their Host header by an IP
    /// address, `localhost`, or one of these names. May be given many times.
    #[arg(long, value_name = "NAME")]
    pub server_name: Vec<String>,
}

/// Bounds on what one page may ask of the relay.
#[derive(Debug, Clone, clap::Args)]
pub struct Limits {
    /// How long `connect` may take before it fails with TimeoutError, in milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 10_000)]
    pub connect_timeout: u64,

    /// How long `recv` and `send` may wait before they fail with TimeoutError, in milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 60_000)]
    pub idle_timeout: u64,

    /// Largest payload one `send` may carry, and largest `max` for `recv`, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = 1 << 20)]
    pub max_payload: u32,

    /// How many sockets one session may have open at once.
    #[arg(long, value_name = "N", default_value_t = 16)]
    pub max_sockets: usize,

    /// How many bytes one session may send and receive in all, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = 1 << 30)]
    pub max_session_bytes: u64,

    /// How many requests one session may make per second (short bursts of
    /// up to this many are allowed).
    #[arg(long, value_name = "N", default_value_t = 200)]
    pub max_ops_per_second: u32,

    /// How many sessions one client address may have at once.
    #[arg(long, value_name = "N", default_value_t = 32)]
    pub max_sessions_per_client: usize,

    /// How many sessions the relay serves at once.
    #[arg(long, value_name = "N", default_value_t = 1024)]
    pub max_sessions: usize,
}

impl Config {
    pub fn hello_delay(&self) -> Duration {
        Duration::from_millis(self.hello_delay)
    }
}

impl Limits {
    pub fn connect_timeout(&self) -> Duration {
        Duration::from_millis(self.connect_timeout)
    }

    pub fn idle_timeout(&self) -> Duration {
        Duration::from_millis(self.idle_timeout)
    }
}
