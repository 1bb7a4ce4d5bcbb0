//! Client programs that measure a running relay.
//!
//! The relay's own tests prove that it answers correctly; the programs here
//! ask how it behaves when many pages use it at once. They speak to a real
//! relay process over a real WebSocket, exactly as browser pages do, so what
//! they measure is what learners would see.
//!
//! * [`client`]: one page's session: requests encoded with the `protocol`
//!   crate, each answer checked and timed.
//! * [`hello`]: the tutorial's Hello client as a sequence of those requests,
//!   every reply checked byte for byte.
//! * [`stats`]: latency percentiles over all the requests of a run.
//! * [`fd_limit`]: room for thousands of open sockets.
//!
//! The `load` binary puts them together: `cargo xtask load` builds a relay,
//! runs `load` against it and adds the relay's memory to the report.

pub mod client;
pub mod fd_limit;
pub mod hello;
pub mod stats;
