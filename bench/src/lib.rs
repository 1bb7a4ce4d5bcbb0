//! Client programs that measure a running relay.
//!
//! The relay's own tests prove that it answers correctly; the programs here
//! ask how it behaves when many pages use it at once, and how it compares
//! with other bridges. They speak to a real relay process over a real
//! WebSocket, exactly as browser pages do, so what they measure is what
//! learners would see.
//!
//! * [`client`]: one page's session: requests encoded with the `protocol`
//!   crate, each answer checked and timed.
//! * [`websocket`]: the WebSocket under it, reading frames where they land.
//! * [`hello`]: the tutorial's Hello client as a sequence of those requests,
//!   every reply checked byte for byte.
//! * [`stats`]: latency percentiles over all the requests of a run.
//! * [`fd_limit`]: room for thousands of open sockets.
//! * [`bridges`]: the relay next to other WebSocket-to-TCP bridges and a
//!   direct TCP connection: bulk, round trip, idle sessions.
//! * [`page`]: the front end in headless Chromium: how soon it can be used.
//!
//! The `load` binary puts the first four together: `cargo xtask load`
//! builds a relay, runs `load` against it and adds the relay's memory to
//! the report. The `bridges` and `page` binaries are run by `cargo xtask
//! bench`, which starts the bridges and writes `docs/benchmarks.md`.

pub mod bridges;
pub mod client;
pub mod fd_limit;
pub mod hello;
pub mod page;
pub mod stats;
pub mod websocket;
