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
//! Frames of socket data are also bounded by their bytes: at most
//! [`DATA_IN_FLIGHT`] may wait at once. Without that, a fast socket and
//! large reads would queue 64 frames of up to 1 MiB each, and memory that
//! is freed and taken again at that rate costs page faults.
//!
//! The last frame of a session may be a WebSocket *close* frame carrying a
//! code and a reason (the relay shutting down, a limit): the page shows it.

use axum::extract::ws::{CloseFrame, Message, WebSocket};
use bytes::Bytes;
use futures_util::SinkExt;
use futures_util::stream::SplitSink;
use protocol::frame::{Message as _, encode_binary};
use protocol::{ErrorInfo, Frame, RelayMessage, RequestId, SocketId, WireFrame};
use std::sync::Arc;

use tokio::sync::{OwnedSemaphorePermit, Semaphore, mpsc};
use tokio::task::JoinHandle;

/// How many frames may wait for the WebSocket before senders wait too.
const CAPACITY: usize = 64;
/// How many bytes of socket data may wait for the WebSocket.
const DATA_IN_FLIGHT: usize = 1 << 20;

/// A frame on its way, with the room it holds in the data bound.
type Queued = (Message, Option<OwnedSemaphorePermit>);

/// A handle for sending messages to the page; cheap to clone.
#[derive(Debug, Clone)]
pub struct Outbox {
    frames: mpsc::Sender<Queued>,
    /// Permits for bytes of socket data, one a byte.
    data_room: Arc<Semaphore>,
}

impl Outbox {
    /// Starts the writer task for `sink`; it ends when every `Outbox` is gone
    /// or the page has gone away.
    pub fn start(mut sink: SplitSink<WebSocket, Message>) -> (Outbox, JoinHandle<()>) {
        let (frames, mut queue) = mpsc::channel(CAPACITY);
        let writer = tokio::spawn(async move {
            let mut written = Vec::new();
            while let Some(first) = queue.recv().await {
                // Take every frame that is waiting, then flush them together:
                // one write to the socket for many small frames.
                let mut next = Some(first);
                let mut last = false;
                while let Some((message, room)) = next.take() {
                    last = matches!(message, Message::Close(_));
                    if let Err(error) = sink.feed(message).await {
                        tracing::debug!("the page is gone: {error}");
                        return;
                    }
                    written.extend(room);
                    next = if last { None } else { queue.try_recv().ok() };
                }
                if let Err(error) = sink.flush().await {
                    tracing::debug!("the page is gone: {error}");
                    return;
                }
                // The frames are out: their room goes back.
                written.clear();
                if last {
                    return;
                }
            }
            let _ = sink.close().await;
        });
        (Outbox { frames, data_room: Arc::new(Semaphore::new(DATA_IN_FLIGHT)) }, writer)
    }

    /// Sends a message that carries no bytes.
    pub async fn send(&self, message: RelayMessage) {
        self.push(Frame::new(message).encode()).await;
    }

    /// Sends a frame of socket data that is already built (see `arena`),
    /// once there is room for its bytes.
    pub async fn send_data(&self, frame: Bytes) {
        let bytes = frame.len().min(DATA_IN_FLIGHT) as u32; // at most 1 MiB
        let room = Arc::clone(&self.data_room).acquire_many_owned(bytes).await.ok();
        let _ = self.frames.send((Message::Binary(frame), room)).await;
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

    /// Ends the session with a close frame: `code` (1001 going away, 1013
    /// try again later) and a reason for the page to show, of at most 123
    /// bytes (what a close frame has room for).
    pub async fn close(&self, code: u16, reason: &'static str) {
        debug_assert!(reason.len() <= 123, "a close reason has at most 123 bytes: {reason}");
        let frame = CloseFrame { code, reason: reason.into() };
        let _ = self.frames.send((Message::Close(Some(frame)), None)).await;
    }

    async fn push(&self, frame: WireFrame) {
        let message = match frame {
            WireFrame::Text(text) => Message::Text(text.into()),
            WireFrame::Binary(bytes) => Message::Binary(bytes),
        };
        // Fails only when the writer has stopped because the page is gone;
        // the session is then ending and cancels whoever is still sending.
        let _ = self.frames.send((message, None)).await;
    }
}
