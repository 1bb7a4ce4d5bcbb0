//! The TCP servers at the far end of every bridge.
//!
//! Every bridge, and the direct read beside them, must talk to the very same
//! server, or the comparison says nothing: so one process runs them all
//! (`bridges serve`), and each bridge is pointed at it.
//!
//! * **bulk**: to each connection, sends `bytes` of the pattern
//!   ([`pattern`](super::pattern)), then closes. What the client reads is
//!   what the bridge carried.
//! * **idle**: accepts connections and holds them, reading nothing until
//!   the other end closes: the open socket each idle session keeps.
//!
//! The round-trip test needs no server of its own: it talks to the relay's
//! Hello server, an echo server with manners (`Welcome!`, then
//! `Hello,<message>!`).

use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use super::pattern;

/// How many bytes one write hands the kernel.
const WRITE: usize = 1 << 20;

/// The two servers, listening on loopback.
pub struct Targets {
    pub bulk: SocketAddr,
    pub idle: SocketAddr,
}

impl Targets {
    /// Binds both servers on ephemeral loopback ports and serves them in
    /// the background; `bytes` is what the bulk server sends each client.
    pub async fn start(bytes: u64) -> io::Result<Targets> {
        let bulk = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await?;
        let idle = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await?;
        let targets = Targets { bulk: bulk.local_addr()?, idle: idle.local_addr()? };
        tokio::spawn(serve(bulk, move |stream| send_pattern(stream, bytes)));
        tokio::spawn(serve(idle, hold));
        Ok(targets)
    }
}

/// Accepts connections for ever, each served by a task of its own.
async fn serve<F>(listener: TcpListener, handle: impl Fn(TcpStream) -> F)
where
    F: Future<Output = io::Result<()>> + Send + 'static,
{
    loop {
        match listener.accept().await {
            Ok((stream, _)) => {
                tokio::spawn(handle(stream));
            }
            // Out of file descriptors, say: the client will see the
            // connection fail; the server goes on after a pause.
            Err(error) => {
                eprintln!("bridges serve: accept failed: {error}");
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    }
}

/// Sends `bytes` of the pattern, then closes.
async fn send_pattern(mut stream: TcpStream, bytes: u64) -> io::Result<()> {
    let block = pattern::block(WRITE);
    let mut left = bytes;
    while left > 0 {
        let n = left.min(block.len() as u64) as usize;
        stream.write_all(&block[..n]).await?;
        left -= n as u64;
    }
    stream.shutdown().await
}

/// Holds the connection open until the other end closes it.
async fn hold(mut stream: TcpStream) -> io::Result<()> {
    let mut buffer = [0u8; 64];
    while stream.read(&mut buffer).await? > 0 {}
    Ok(())
}
