//! The session's way out: its messages, as frames for the page.
//!
//! Many tasks speak to the page at once (a socket's reader, the lesson
//! server's log, the session itself); each holds an [`Outbox`] and puts
//! messages in it, which the WebSocket's [`Sender`] writes in order, at once
//! when the way is clear (see `websocket::outgoing`). When the page reads
//! slowly, whoever feeds the outbox waits, and a socket being drained into
//! the page stops reading from TCP until there is room.
//!
//! Frames of socket data are also bounded by their bytes: at most
//! [`DATA_IN_FLIGHT`] may wait at once. Without that, a fast socket and
//! large reads could queue many frames of up to 1 MiB each, and memory that
//! is freed and taken again at that rate costs page faults. (A chunk that
//! waits in a pipe takes no memory of ours; its pipe holds one at a time.)
//!
//! The last frame of a session may be a WebSocket *close* frame carrying a
//! code and a reason (the relay shutting down, a limit): the page shows it.

use std::sync::Arc;

use bytes::Bytes;
use protocol::frame::{Message as _, encode_binary};
use protocol::{ErrorInfo, RelayMessage, RequestId, SocketId, WireFrame};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::task::JoinHandle;

#[cfg(target_os = "linux")]
use crate::websocket::pipe::Chunk;
use crate::websocket::{Frame, Replies, Sender, Writer};

/// How many bytes of socket data may wait for the WebSocket.
const DATA_IN_FLIGHT: usize = 1 << 20;

/// A handle for sending messages to the page; cheap to clone.
#[derive(Debug, Clone)]
pub struct Outbox {
    frames: Sender,
    /// Permits for bytes of socket data, one a byte.
    data_room: Arc<Semaphore>,
}

impl Outbox {
    /// Starts writing to `writer`; returns the outbox and the writer task,
    /// which ends when every `Outbox` is gone, after a close frame, or when
    /// the page has gone away.
    pub fn start(writer: Writer) -> (Outbox, JoinHandle<()>) {
        let (frames, task) = Sender::start(writer);
        (Outbox { frames, data_room: Arc::new(Semaphore::new(DATA_IN_FLIGHT)) }, task)
    }

    /// The way for tungstenite's answers to the page (see `websocket::incoming`).
    pub fn replies(&self) -> Replies {
        self.frames.replies()
    }

    /// Sends a message that carries no bytes.
    pub async fn send(&self, message: RelayMessage) {
        let frame = match protocol::Frame::new(message).encode() {
            WireFrame::Text(json) => Frame::Text(json.into()),
            WireFrame::Binary(head) => Frame::Binary { head, payload: Bytes::new() },
        };
        self.push(frame, None).await;
    }

    /// Sends bytes read from a socket behind `head`, the encoded message
    /// that carries them (see `protocol::frame`), once there is room for them.
    pub async fn send_data(&self, head: Bytes, payload: Bytes) {
        let bytes = payload.len().min(DATA_IN_FLIGHT) as u32; // at most 1 MiB
        let room = Arc::clone(&self.data_room).acquire_many_owned(bytes).await.ok();
        self.push(Frame::Binary { head, payload }, room).await;
    }

    /// Sends a chunk that waits in a pipe, behind `head`.
    #[cfg(target_os = "linux")]
    pub async fn send_spliced(&self, head: Bytes, chunk: Chunk) {
        self.push(Frame::Spliced { head, chunk }, None).await;
    }

    /// Sends a message with the bytes it carries (`server_log`).
    pub async fn send_with_payload(&self, message: RelayMessage, payload: Bytes) {
        debug_assert!(message.carries_payload(), "{} carries no payload", message.name());
        self.push(Frame::Binary { head: encode_binary(&message, &[]), payload }, None).await;
    }

    /// Sends an error, addressed to the request that caused it where known.
    pub async fn error(&self, re: Option<RequestId>, socket: Option<SocketId>, error: ErrorInfo) {
        self.send(RelayMessage::Error { re, socket, error }).await;
    }

    /// Ends the session with a close frame: `code` (1001 going away, 1013
    /// try again later) and a reason for the page to show, of at most 123
    /// bytes (what a close frame has room for).
    pub async fn close(&self, code: u16, reason: &'static str) {
        debug_assert!(reason.len() <= 123, "a close reason has at most 123 bytes: {reason}");
        self.push(Frame::Close { code, reason }, None).await;
    }

    async fn push(&self, frame: Frame, room: Option<OwnedSemaphorePermit>) {
        self.frames.send(frame, room).await;
    }
}
