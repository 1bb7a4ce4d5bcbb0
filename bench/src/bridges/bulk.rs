//! Bulk: how fast a large stream comes from the target, through each route.
//!
//! The target sends its bytes as fast as the route takes them, then closes;
//! the client reads until the end of the stream, checking every byte
//! ([`pattern`]). The clock runs from opening the connection (or the
//! WebSocket) to the end of the stream, so each route pays for its own
//! set-up, which is small beside hundreds of megabytes.
//!
//! * **direct**: reads of up to [`READ`] bytes from a `TcpStream`;
//! * **tunnel**: binary messages, of whatever size the bridge makes them,
//!   until the bridge closes the WebSocket;
//! * **relay**: `socket`, `connect`, then one `recv_all` with `max` =
//!   [`RECV_MAX`]: the relay reads up to that much at a time and sends each
//!   read as a `chunk`, with no round trip per chunk, then `drained`, whose
//!   totals must match what arrived.
//!
//! The WebSocket clients, too, read up to [`READ`] bytes from their
//! connection at a time, as the direct client does. How a bridge cuts the
//! stream into messages is its own affair: websocat's are up to 64 KiB (its
//! default `--buffer-size`), the relay's as large as the page asks.

use std::time::{Duration, Instant};

use bytes::Bytes;
use protocol::{Family, Op, RelayMessage};
use tokio::io::AsyncReadExt;
use tokio::net::TcpStream;

use super::Route;
use super::pattern::Checker;
use super::tunnel::Tunnel;
use crate::client::{Client, Failure, unexpected};

/// The largest read, on every route: the direct client's buffer and the
/// WebSocket clients' reads.
pub const READ: usize = 256 * 1024;

/// The `max` of the relay's `recv_all`: the largest the relay allows by
/// default (`--max-payload`), as a page that wants a stream fast would ask.
pub const RECV_MAX: u32 = 1 << 20;

/// How a stream came.
pub struct Stream {
    /// From opening the connection to the end of the stream.
    pub took: Duration,
    /// In how many pieces: reads (direct), messages (tunnel), `chunk`s (relay).
    pub pieces: u64,
}

/// Reads the whole stream of `bytes` through `route`.
pub async fn measure(route: &Route, bytes: u64) -> Result<Stream, Failure> {
    let started = Instant::now();
    let mut checker = Checker::default();
    match route {
        Route::Direct(target) => direct(*target, &mut checker).await?,
        Route::Tunnel(url) => tunnel(url, &mut checker).await?,
        Route::Relay { url, target } => relay(url, *target, &mut checker).await?,
    }
    let took = started.elapsed();
    checker.finish(bytes)?;
    Ok(Stream { took, pieces: checker.pieces })
}

async fn direct(target: std::net::SocketAddr, checker: &mut Checker) -> Result<(), Failure> {
    let lost = |error: std::io::Error| Failure::Lost(format!("the direct connection failed: {error}"));
    let mut stream = TcpStream::connect(target).await.map_err(lost)?;
    stream.set_nodelay(true).map_err(lost)?;
    let mut buffer = vec![0u8; READ];
    loop {
        match stream.read(&mut buffer).await.map_err(lost)? {
            0 => return Ok(()),
            n => checker.take(&buffer[..n])?,
        }
    }
}

async fn tunnel(url: &str, checker: &mut Checker) -> Result<(), Failure> {
    let mut tunnel = Tunnel::open(url, READ).await?;
    while let Some(data) = tunnel.next().await? {
        checker.take(&data)?;
    }
    Ok(())
}

async fn relay(url: &str, target: std::net::SocketAddr, checker: &mut Checker) -> Result<(), Failure> {
    let (mut client, _) = Client::open(url, READ).await?;
    let socket = client.socket(Family::Inet).await?;
    client.connect(socket, target).await?;
    let op = Op::RecvAll { socket, max: RECV_MAX };
    let answer = client
        .call_streaming(op, Bytes::new(), |progress| match progress.message {
            RelayMessage::Chunk { .. } => checker.take(&progress.payload),
            other => Err(unexpected("chunk", &other)),
        })
        .await?;
    let RelayMessage::Drained { bytes, .. } = answer.message else {
        return Err(unexpected("drained", &answer.message));
    };
    if bytes != checker.received {
        return Err(Failure::Garbled(format!("`drained` says {bytes} bytes, {} arrived", checker.received)));
    }
    client.finish().await;
    Ok(())
}
