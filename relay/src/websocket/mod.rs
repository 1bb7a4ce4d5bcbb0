//! The WebSocket between a page and the relay, with its two directions in
//! different hands.
//!
//! A WebSocket starts as an HTTP request (`GET /ws` with `Upgrade:
//! websocket`); the relay answers `101 Switching Protocols`, and from then on
//! the same TCP connection carries *frames* both ways (RFC 6455). The two
//! directions are not alike, and the relay treats them differently:
//!
//! ```text
//!            page ──► relay: masked frames, from a stranger        relay ──► page: plain frames, ours
//!  ┌──────────────────────────────────────────────┐   ┌──────────────────────────────────────────────┐
//!  │ incoming: tungstenite reads and checks them   │   │ writer: the relay writes them itself:        │
//!  │ (sizes, masks, UTF-8, fragments, ping, close) │   │ a few bytes of header, then the payload as   │
//!  └──────────────────────────────────────────────┘   │ it is, from wherever it already lies         │
//!                                                      └──────────────────────────────────────────────┘
//! ```
//!
//! - What the page sends is hostile until proven otherwise, and a WebSocket
//!   library that is fuzzed and tested against the RFC reads it:
//!   [`Incoming`] is tungstenite's stream of messages.
//! - What the relay sends is simple: a frame from a server is a header of two
//!   to ten bytes (its kind and its length) and the payload, unmasked. The
//!   relay writes its frames itself ([`Writer`]) so that the payload is never
//!   copied into a library's buffer: a header and its payload leave in one
//!   vectored write, and on Linux a stream's bytes move from the target's
//!   socket into the WebSocket without entering the relay's memory at all
//!   ([`pipe`]).
//!
//! [`upgrade`] turns the HTTP request into the TCP connection under it, which
//! [`split`] divides between the two.

mod incoming;
mod outgoing;
#[cfg(target_os = "linux")]
pub mod pipe;
mod upgrade;
mod writer;

use bytes::Bytes;
use tokio::net::TcpStream;
use tokio::net::tcp::OwnedReadHalf;

pub use incoming::Incoming;
pub use outgoing::{Replies, Sender};
pub use upgrade::Upgrade;
pub use writer::{Frame, Writer};

/// The read side of an upgraded connection, before tungstenite takes it.
pub struct ReadSide {
    half: OwnedReadHalf,
    /// Bytes the HTTP server had read past the upgrade request: the first
    /// frames, if the page sent them at once.
    early: Bytes,
}

/// Divides an upgraded connection (and the bytes already read from it)
/// between reading and writing.
pub fn split(stream: TcpStream, early: Bytes) -> (ReadSide, Writer) {
    let (half, write_half) = stream.into_split();
    (ReadSide { half, early }, Writer::new(write_half))
}
