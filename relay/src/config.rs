//! The relay's settings, read from the command line (`relay --help`).
//!
//! Every setting has a default that suits `cargo run -p relay` on a laptop:
//! the playground on http://127.0.0.1:8080 and the tutorial's Hello server on
//! 127.0.0.1:9999, answering after the tutorial's one-second pause.

use std::net::SocketAddr;
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

    /// The Hello server's pause before each answer, in milliseconds
    /// (the tutorial's `time.sleep(1)`).
    #[arg(long, value_name = "MS", default_value_t = 1000)]
    pub hello_delay: u64,

    /// What to log: error, warn, info, debug, trace, or a tracing filter
    /// such as `relay=debug`.
    #[arg(long, value_name = "FILTER", default_value = "info")]
    pub log_level: String,

    #[command(flatten)]
    pub limits: Limits,
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
