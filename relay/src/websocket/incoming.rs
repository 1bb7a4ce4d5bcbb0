//! The page's frames, read by tungstenite.
//!
//! Everything the page sends is checked before the relay sees it: masking,
//! frame and message sizes, UTF-8 in text, fragments put back together,
//! control frames. tungstenite does that, and it also answers what the
//! protocol says a reader must answer: a `ping` gets a `pong`.
//!
//! That answer must not go straight to the socket: the relay may be halfway
//! through a frame of its own, and two writers on one socket would
//! interleave their bytes. So the connection tungstenite is given is a
//! [`Wire`]: it reads from the socket, and whatever tungstenite writes goes,
//! as one finished frame, the way of the relay's own frames (see
//! `outgoing`).

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use futures_util::StreamExt;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::tcp::OwnedReadHalf;
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::protocol::{Role, WebSocketConfig};
use tokio_tungstenite::tungstenite::{Error, Message};

use super::{ReadSide, Replies};

/// How much tungstenite reads from the connection at a time. The page's
/// requests are small, and tungstenite zeroes this much before each read:
/// its default, 128 KiB, made every idle session cost 128 KiB of memory and
/// every request a 128 KiB `memset`. Larger messages still arrive, in more
/// reads.
const READ_BUFFER: usize = 16 * 1024;

/// The page's messages, in order.
pub struct Incoming(WebSocketStream<Wire>);

impl Incoming {
    /// Starts reading `read`. Messages (and frames) over `max_message` bytes
    /// end the session; tungstenite's answers go into `replies`.
    pub async fn open(read: ReadSide, replies: Replies, max_message: usize) -> Incoming {
        let config = WebSocketConfig::default()
            .read_buffer_size(READ_BUFFER)
            .max_message_size(Some(max_message))
            .max_frame_size(Some(max_message));
        let wire = Wire { read: read.half, replies };
        let stream =
            WebSocketStream::from_partially_read(wire, read.early.to_vec(), Role::Server, Some(config));
        Incoming(stream.await)
    }

    /// The next message; `None` once the connection has closed. Cancel-safe:
    /// a message is never half taken.
    pub async fn next(&mut self) -> Option<Result<Message, Error>> {
        self.0.next().await
    }
}

/// The connection as tungstenite sees it: the socket's read half, and a
/// way to the writer for what tungstenite writes.
struct Wire {
    read: OwnedReadHalf,
    replies: Replies,
}

impl AsyncRead for Wire {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.read).poll_read(cx, buf)
    }
}

impl AsyncWrite for Wire {
    /// tungstenite writes whole frames, each at once: every call hands on
    /// one or more finished frames. A full queue holds tungstenite back (and
    /// so the reading of the page's frames) until there is room.
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        ready!(self.replies.poll_send(cx, buf));
        Poll::Ready(Ok(buf.len()))
    }

    fn poll_flush(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}
