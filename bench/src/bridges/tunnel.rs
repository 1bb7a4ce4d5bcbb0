//! A plain WebSocket-to-TCP bridge, seen from its WebSocket side.
//!
//! websocat and websockify bridge the simplest way there is: each WebSocket
//! that arrives opens a new TCP connection to one fixed target, and from
//! then on whatever arrives on one side leaves on the other, bytes in binary
//! messages one way and raw on the wire the other. There is no protocol to
//! speak: the client sends binary messages, reads binary messages, and the
//! bridge closes the WebSocket when the target closes its connection.
//!
//! Where message boundaries fall is the bridge's business (TCP has none to
//! keep), so readers must take the bytes as a stream.

use bytes::Bytes;

use crate::client::Failure;
use crate::websocket::{Message, WebSocket};

/// One WebSocket through a bridge, and so one TCP connection to its target.
pub struct Tunnel {
    ws: WebSocket,
}

impl Tunnel {
    /// Opens a WebSocket to the bridge at `url`, which connects it to its
    /// target; reads up to `read_size` bytes at a time.
    pub async fn open(url: &str, read_size: usize) -> Result<Tunnel, Failure> {
        Ok(Tunnel { ws: WebSocket::connect(url, read_size).await? })
    }

    /// Sends `data` to the target, as one binary message.
    pub async fn send(&mut self, data: Bytes) -> Result<(), Failure> {
        self.ws
            .send(Message::Binary(data))
            .await
            .map_err(|failure| failure.during("sending through the bridge"))
    }

    /// The next bytes from the target; `None` once the bridge has closed
    /// the WebSocket, because the target closed.
    pub async fn next(&mut self) -> Result<Option<Bytes>, Failure> {
        match self.ws.next().await? {
            Some(Message::Binary(bytes)) => Ok(Some(bytes)),
            Some(Message::Text(_)) => Err(Failure::Garbled("a text message from a binary bridge".into())),
            None => Ok(None),
        }
    }
}
