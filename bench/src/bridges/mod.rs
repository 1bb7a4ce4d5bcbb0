//! The relay next to other WebSocket-to-TCP bridges, measured the same way.
//!
//! A page reaches a TCP server through a bridge; how good is the relay as
//! one? The only fair answer measures every bridge with the same client
//! against the same server, and beside them the same client reading the
//! server directly: the limit of the machine, which no bridge can beat.
//!
//! ```text
//!                 ┌─ direct TCP ─────────────────────────────┐
//!  this client ───┼─ WebSocket ─ websocat / websockify ─ TCP ─┼── target
//!                 └─ WebSocket ─ relay (protocol) ───── TCP ──┘
//! ```
//!
//! A [`Route`] is one of those three ways. The plain bridges carry bytes in
//! binary messages ([`tunnel`]); the relay speaks its protocol
//! ([`crate::client`]): `socket`, `connect`, then `recv_all` for a stream,
//! or `send` and `recv` for an exchange.
//!
//! * [`target`]: the servers at the far end (`bridges serve`).
//! * [`pattern`]: the bytes of the bulk test, checked on arrival.
//! * [`bulk`]: a large stream from the target, in MB/s.
//! * [`rtt`]: small request/response exchanges, in µs.
//! * [`idle`]: many idle relay sessions, for the relay's memory.

pub mod bulk;
pub mod idle;
pub mod pattern;
pub mod rtt;
pub mod target;
pub mod tunnel;

use std::fmt;
use std::net::SocketAddr;

/// How the client reaches the target.
#[derive(Debug, Clone)]
pub enum Route {
    /// A plain TCP connection to the target.
    Direct(SocketAddr),
    /// A WebSocket to a plain bridge, which connects it to its target.
    Tunnel(String),
    /// A session with the relay at `url`, asked to connect to `target`.
    Relay { url: String, target: SocketAddr },
}

impl fmt::Display for Route {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Route::Direct(target) => write!(f, "directly to {target}"),
            Route::Tunnel(url) => write!(f, "through the bridge at {url}"),
            Route::Relay { url, target } => write!(f, "through the relay at {url} to {target}"),
        }
    }
}
