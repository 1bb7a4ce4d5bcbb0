//! The session's way out: one task writes every message to the WebSocket.
//!
//! Many tasks speak to the page at once (a socket's reader, the lesson
//! server's log, the session itself), but a WebSocket has one writer. So they
//! all put frames into a bounded channel, the [`Outbox`], and a single task
//! takes them out in order and writes them. The bound is the back-pressure:
//! when the page reads slowly, whoever feeds the outbox waits, and a socket
//! being drained into the page stops reading from TCP until there is room.
//! The writer takes every frame that is waiting before it flushes, so a
//! burst of small frames leaves in one write to the socket.
//!
//! The last frame of a session may be a WebSocket *close* frame carrying a
//! code and a reason (the relay shutting down, a limit): the page shows it.

use axum::extract::ws::{CloseFrame, Message, WebSocket};
use bytes::Bytes;
use futures_util::SinkExt;
use futures_util::stream::SplitSink;
use protocol::frame::{Message as _, encode_binary};
use protocol::{ErrorInfo, Frame, RelayMessage, RequestId, SocketId, WireFrame};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

/// How many frames may wait for the WebSocket before senders wait too.
const CAPACITY: usize = 64;

/// A handle for sending messages to the page; cheap to clone.
#[derive(Debug, Clone)]
pub struct Outbox {
    frames: mpsc::Sender<Message>,
}

impl Outbox {
    /// Starts the writer task for `sink`; it ends when every `Outbox` is gone
    /// or the page has gone away.
    pub fn start(mut sink: SplitSink<WebSocket, Message>) -> (Outbox, JoinHandle<()>) {
        let (frames, mut queue) = mpsc::channel(CAPACITY);
        let writer = tokio::spawn(async move {
            while let Some(first) = queue.recv().await {
                // Take every frame that is waiting, then flush them together:
                // one write to the socket for many small frames.
                let mut next = Some(first);
                let mut last = false;
                while let Some(message) = next.take() {
                    last = matches!(message, Message::Close(_));
                    if let Err(error) = sink.feed(message).await {
                        tracing::debug!("the page is gone: {error}");
                        return;
                    }
                    next = if last { None } else { queue.try_recv().ok() };
                }
                if let Err(error) = sink.flush().await {
                    tracing::debug!("the page is gone: {error}");
                    return;
                }
                if last {
                    return;
                }
            }
            let _ = sink.close().await;
        });
        (Outbox { frames }, writer)
    }

    /// Sends a message that carries no bytes.
    pub async fn send(&self, message: RelayMessage) {
        self.push(Frame::new(message).encode()).await;
    }

    /// Sends a binary frame that is already built (see `arena`).
    pub async fn send_binary(&self, frame: Bytes) {
        let _ = self.frames.send(Message::Binary(frame)).await;
    }

    /// Sends a message with the bytes it carries (`received`, `chunk`, `server_log`).
    pub async fn send_with_payload(&self, message: RelayMessage, payload: &[u8]) {
        debug_assert!(message.carries_payload(), "{} carries no payload", message.name());
        self.push(WireFrame::Binary(encode_binary(&message, payload))).await;
    }

    /// Sends an error, addressed to the request that caused it where known.
    pub async fn error(&self, re: Option<RequestId>, socket: Option<SocketId>, error: ErrorInfo) {
        self.send(RelayMessage::Error { re, socket, error }).await;
    }

    /// Ends the session with a close frame: `code` (1001 going away, 1008
    /// policy, 1013 try again later) and a reason for the page to show, of
    /// at most 123 bytes (what a close frame has room for).
    pub async fn close(&self, code: u16, reason: &'static str) {
        debug_assert!(reason.len() <= 123, "a close reason has at most 123 bytes: {reason}");
        let frame = CloseFrame { code, reason: reason.into() };
        let _ = self.frames.send(Message::Close(Some(frame))).await;
    }

    async fn push(&self, frame: WireFrame) {
        let message = match frame {
            WireFrame::Text(text) => Message::Text(text.into()),
            WireFrame::Binary(bytes) => Message::Binary(bytes),
        };
        // Fails only when the writer has stopped because the page is gone;
        // the session is then ending and cancels whoever is still sending.
        let _ = self.frames.send(message).await;
    }
}
