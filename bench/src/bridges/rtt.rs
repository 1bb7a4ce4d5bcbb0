//! Round trip: how long one small request and its answer take, through
//! each route.
//!
//! The target is the relay's Hello server answering at once (`--hello-delay
//! 0`): it says `Welcome!` to each connection, then answers each message
//! with `Hello,<message>!`. One exchange sends [`MESSAGE`] and reads until
//! the whole reply has arrived, checked byte for byte; only then does the
//! next one start, so exactly one message is ever in flight, and the time
//! of an exchange is the route's latency there and back, plus the server's.
//!
//! * **direct**: a TCP write, then reads;
//! * **tunnel**: one binary message, then messages until the reply is in;
//! * **relay**: a `send` and a `recv` sent together in one write, as a page
//!   may send them (the relay answers calls on one socket in order, and a
//!   `recv` that waits does not hold up a `send`): one round trip, not two.
//!   Should the reply come in pieces, more `recv`s follow.
//!
//! Every client socket has `TCP_NODELAY`, so no message waits for Nagle's
//! algorithm. The first exchanges warm the route up (caches, the
//! allocator, the server's thread) and are not counted.

use std::time::{Duration, Instant};

use bytes::Bytes;
use protocol::{Family, Op, RelayMessage, SocketId};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use super::Route;
use super::tunnel::Tunnel;
use crate::client::{Client, Failure, SMALL_READS, unexpected};
use crate::hello::Reply;

/// What each exchange sends, and what the Hello server answers.
pub const MESSAGE: &[u8] = b"x";
const REPLY: &[u8] = b"Hello,x!";

/// The Hello server's `recv(1024)`, and ours.
const READ: u32 = 1024;

/// Opens a conversation through `route`, makes `warmup` exchanges, then
/// `exchanges` more; returns how long each of those took.
pub async fn measure(route: &Route, warmup: usize, exchanges: usize) -> Result<Vec<Duration>, Failure> {
    let mut conversation = Conversation::open(route).await?;
    for _ in 0..warmup {
        conversation.exchange().await?;
    }
    let mut samples = Vec::with_capacity(exchanges);
    for _ in 0..exchanges {
        let started = Instant::now();
        conversation.exchange().await?;
        samples.push(started.elapsed());
    }
    if let Conversation::Relay { client, .. } = &mut conversation {
        client.finish().await;
    }
    Ok(samples)
}

/// A connection to the Hello server, by one route.
enum Conversation {
    Direct(TcpStream),
    Tunnel(Tunnel),
    Relay { client: Client, socket: SocketId },
}

impl Conversation {
    /// Connects and reads the server's `Welcome!`.
    async fn open(route: &Route) -> Result<Conversation, Failure> {
        let mut conversation = match route {
            Route::Direct(target) => {
                let stream = TcpStream::connect(target).await.map_err(lost)?;
                stream.set_nodelay(true).map_err(lost)?;
                Conversation::Direct(stream)
            }
            Route::Tunnel(url) => Conversation::Tunnel(Tunnel::open(url, SMALL_READS).await?),
            Route::Relay { url, target } => {
                let (mut client, _) = Client::open(url, SMALL_READS).await?;
                let socket = client.socket(Family::Inet).await?;
                client.connect(socket, *target).await?;
                Conversation::Relay { client, socket }
            }
        };
        let mut welcome = Reply::new(Bytes::from_static(b"Welcome!"));
        conversation.read_until(&mut welcome).await?;
        Ok(conversation)
    }

    /// Sends [`MESSAGE`] and reads the whole reply.
    async fn exchange(&mut self) -> Result<(), Failure> {
        let mut reply = Reply::new(Bytes::from_static(REPLY));
        let first = self.send_and_read().await?;
        if !reply.take(&first)? {
            self.read_until(&mut reply).await?;
        }
        Ok(())
    }

    /// Sends [`MESSAGE`], then reads once.
    async fn send_and_read(&mut self) -> Result<Bytes, Failure> {
        match self {
            Conversation::Direct(stream) => stream.write_all(MESSAGE).await.map_err(lost)?,
            Conversation::Tunnel(tunnel) => tunnel.send(Bytes::from_static(MESSAGE)).await?,
            Conversation::Relay { client, socket } => {
                let socket = *socket;
                let send = (Op::Send { socket }, Bytes::from_static(MESSAGE));
                let recv = (Op::Recv { socket, max: READ }, Bytes::new());
                let [sent, received] = client.call_together([send, recv]).await?;
                let RelayMessage::Sent { bytes, .. } = sent.message else {
                    return Err(unexpected("sent", &sent.message));
                };
                if bytes != MESSAGE.len() as u64 {
                    return Err(Failure::Garbled(format!("`sent` says {bytes} of {} bytes", MESSAGE.len())));
                }
                return match received.message {
                    RelayMessage::Received { .. } => Ok(received.payload),
                    other => Err(unexpected("received", &other)),
                };
            }
        }
        self.read().await
    }

    /// Reads until the whole of `reply` has arrived.
    async fn read_until(&mut self, reply: &mut Reply) -> Result<(), Failure> {
        while !reply.take(&self.read().await?)? {}
        Ok(())
    }

    /// One read: whatever arrived; empty when the server closed.
    async fn read(&mut self) -> Result<Bytes, Failure> {
        match self {
            Conversation::Direct(stream) => {
                let mut buffer = [0u8; READ as usize];
                let n = stream.read(&mut buffer).await.map_err(lost)?;
                Ok(Bytes::copy_from_slice(&buffer[..n]))
            }
            Conversation::Tunnel(tunnel) => Ok(tunnel.next().await?.unwrap_or_default()),
            Conversation::Relay { client, socket } => client.recv(*socket, READ).await,
        }
    }
}

fn lost(error: std::io::Error) -> Failure {
    Failure::Lost(format!("the direct connection failed: {error}"))
}
