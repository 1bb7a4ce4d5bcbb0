//! The relay's frames on their way to the page: written at once when the
//! way is clear, queued when it is not.
//!
//! Many tasks speak to the page at once: the session answering requests, the
//! readers of its sockets, the lesson server's log, tungstenite answering a
//! ping. A WebSocket has one writer at a time, or frames would interleave.
//!
//! Most of the time the connection is idle and the kernel has room in its
//! send buffer. Then the task that has a frame writes it itself, at once,
//! while it holds the [`Writer`]: no hand-off to another task and no other
//! thread woken, which for a small answer cost more than the write. Only
//! when frames are already waiting, or the kernel cannot take a frame whole
//! (the page reads slowly), does the frame join a queue, and a writer task
//! drains the queue as the kernel takes it:
//!
//! ```text
//!  send(frame) ─► queue empty, writer free? ── yes ─► try_write ── all taken ─► done
//!                        │ no                              │ part or none
//!                        ▼                                 ▼
//!                      queue ◄─────────────────────────── queue (the rest)
//!                        │
//!                        ▼
//!                  writer task: waits until the kernel takes it all
//! ```
//!
//! The queue holds at most [`CAPACITY`] frames: a sender that finds it full
//! waits. That is the back-pressure that reaches, in the end, the sockets
//! being read for the page: they stop reading until the page catches up.
//! After a close frame nothing more is written (RFC 6455, section 5.5.1).

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll, ready};

use bytes::Bytes;
use tokio::sync::{Notify, OwnedSemaphorePermit, Semaphore};
use tokio::task::JoinHandle;
use tokio_util::sync::PollSemaphore;

use super::writer::{Frame, Taken, Writer};

/// How many frames may wait for the writer task before senders wait too.
const CAPACITY: usize = 64;

/// A way to the page for frames; cheap to clone. The writer task ends once
/// every `Sender` is gone (or after a close frame, or when the page is gone).
#[derive(Debug, Clone)]
pub struct Sender {
    shared: Arc<Shared>,
    _alive: Arc<Alive>,
}

#[derive(Debug)]
struct Shared {
    state: Mutex<State>,
    /// Tells the writer task that there is something to do.
    wake: Notify,
    /// One permit for each frame that may wait in the queue.
    places: Arc<Semaphore>,
}

#[derive(Debug)]
struct State {
    /// The writer, unless the writer task has it out.
    writer: Option<Writer>,
    /// Frames waiting for the writer task, oldest first.
    queue: VecDeque<Queued>,
    /// How much of the oldest frame was written already.
    written: usize,
    /// A close frame has gone (or the page is gone): nothing more is sent.
    closed: bool,
    /// Every sender is gone: once the queue is empty, the writer task ends.
    abandoned: bool,
}

/// A frame in the queue, with what it holds until it has been written: its
/// place in the queue, and room in a bound of the sender's (`room`).
#[derive(Debug)]
struct Queued {
    frame: Frame,
    _place: OwnedSemaphorePermit,
    _room: Option<OwnedSemaphorePermit>,
}

/// Held by every [`Sender`]; when the last is dropped, the writer task is told.
#[derive(Debug)]
struct Alive(Arc<Shared>);

impl Drop for Alive {
    fn drop(&mut self) {
        self.0.lock().abandoned = true;
        self.0.wake.notify_one();
    }
}

impl Sender {
    /// Takes charge of `writer`; returns the way to it and the writer task.
    pub fn start(writer: Writer) -> (Sender, JoinHandle<()>) {
        let state = State {
            writer: Some(writer),
            queue: VecDeque::new(),
            written: 0,
            closed: false,
            abandoned: false,
        };
        let shared = Arc::new(Shared {
            state: Mutex::new(state),
            wake: Notify::new(),
            places: Arc::new(Semaphore::new(CAPACITY)),
        });
        let task = tokio::spawn(drain(Arc::clone(&shared)));
        let alive = Arc::new(Alive(Arc::clone(&shared)));
        (Sender { shared, _alive: alive }, task)
    }

    /// Sends `frame`, which holds `room` until it has been written; waits
    /// only when the queue is full.
    pub async fn send(&self, frame: Frame, room: Option<OwnedSemaphorePermit>) {
        let place = Arc::clone(&self.shared.places).acquire_owned().await;
        let place = place.expect("the semaphore is never closed");
        self.shared.put(frame, place, room);
    }

    /// A way to send for code that can only poll (tungstenite's connection).
    pub fn replies(&self) -> Replies {
        Replies { sender: self.clone(), places: PollSemaphore::new(Arc::clone(&self.shared.places)) }
    }
}

/// Tungstenite's way to the page: the whole frames it writes (a `pong`).
#[derive(Debug)]
pub struct Replies {
    sender: Sender,
    places: PollSemaphore,
}

impl Replies {
    /// Sends `frame`, a whole frame, once the queue has a place for it.
    pub fn poll_send(&mut self, cx: &mut Context<'_>, frame: &[u8]) -> Poll<()> {
        let place = ready!(self.places.poll_acquire(cx)).expect("the semaphore is never closed");
        self.sender.shared.put(Frame::Reply(Bytes::copy_from_slice(frame)), place, None);
        Poll::Ready(())
    }
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // The lock is never held across a panic; should one happen, the
        // state is still whole (every change to it is a single step).
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Writes `frame` now if nothing is waiting and the kernel takes it
    /// whole; otherwise queues it (or what is left of it).
    fn put(&self, frame: Frame, place: OwnedSemaphorePermit, room: Option<OwnedSemaphorePermit>) {
        let mut state = self.lock();
        if state.closed {
            return;
        }
        let close = matches!(frame, Frame::Close { .. });
        if state.queue.is_empty()
            && frame.in_memory()
            && let Some(writer) = state.writer.as_mut()
        {
            match writer.try_write(&frame) {
                Ok(Taken::All) if !close => return,
                Ok(Taken::All) => state.closed = true,
                Ok(Taken::Part(written)) => state.written = written,
                Err(error) => {
                    tracing::debug!("the page is gone: {error}");
                    state.closed = true;
                }
            }
            if state.closed {
                drop(state);
                return self.wake.notify_one();
            }
        }
        state.closed = close;
        state.queue.push_back(Queued { frame, _place: place, _room: room });
        drop(state);
        self.wake.notify_one();
    }
}

/// The writer task: writes out whatever is queued, waiting for the kernel
/// to take it, until a close frame, the page's departure or the last sender.
async fn drain(shared: Arc<Shared>) {
    loop {
        let Some((mut writer, batch, written)) = shared.take_work() else {
            if shared.finished() {
                return;
            }
            shared.wake.notified().await;
            continue;
        };
        let frames: Vec<&Frame> = batch.iter().map(|queued| &queued.frame).collect();
        let outcome = writer.write(&frames, written).await;
        let mut state = shared.lock();
        state.writer = Some(writer);
        if let Err(error) = outcome {
            tracing::debug!("the page is gone: {error}");
            state.closed = true;
            state.queue.clear();
            return;
        }
        // Their places and room go back when `batch` is dropped, here.
    }
}

impl Shared {
    /// Everything queued, with the writer and how much of the first frame
    /// was written already; `None` when the queue is empty.
    fn take_work(&self) -> Option<(Writer, Vec<Queued>, usize)> {
        let mut state = self.lock();
        if state.queue.is_empty() {
            return None;
        }
        let writer = state.writer.take().expect("only the writer task takes the writer out");
        let batch = state.queue.drain(..).collect();
        Some((writer, batch, std::mem::take(&mut state.written)))
    }

    /// Whether nothing more will be written: the queue is empty, and a close
    /// frame has gone, or the page is gone, or every sender is.
    fn finished(&self) -> bool {
        let state = self.lock();
        state.queue.is_empty() && (state.closed || state.abandoned)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{frames, tcp_pair};
    use std::time::Duration;
    use tokio::io::AsyncReadExt;
    use tokio_tungstenite::tungstenite::protocol::frame::coding::{Control, OpCode};

    /// A page that does not read: the kernel's buffers fill, then the queue,
    /// then a sender waits. Once the page reads, every frame arrives whole,
    /// in the order sent, and nothing after the close frame.
    #[tokio::test]
    async fn a_page_that_reads_late_gets_every_frame_in_order() {
        let (mut page, relay) = tcp_pair().await;
        let (sender, task) = Sender::start(Writer::new(relay.into_split().1));
        let payload = Bytes::from(vec![7u8; 64 * 1024]);
        let mut sent = 0u32;
        loop {
            let frame =
                Frame::Binary { head: Bytes::copy_from_slice(&sent.to_be_bytes()), payload: payload.clone() };
            match tokio::time::timeout(Duration::from_millis(100), sender.send(frame, None)).await {
                Ok(()) => sent += 1,
                Err(_) => break, // a place in the queue was not given: back-pressure
            }
            assert!(sent < 100_000, "the page never read, yet nothing waited");
        }
        assert!(sent as usize > CAPACITY, "{sent} frames: the kernel's buffers, then the queue");
        let closing = tokio::spawn({
            let sender = sender.clone();
            async move { sender.send(Frame::Close { code: 1001, reason: "bye" }, None).await }
        });
        let reading = tokio::spawn(async move {
            let mut wire = Vec::new();
            page.read_to_end(&mut wire).await.unwrap();
            wire
        });
        closing.await.unwrap();
        sender.send(Frame::Text(Bytes::from_static(b"too late")), None).await;
        task.await.unwrap();
        drop(sender);

        let wire = reading.await.unwrap();
        let (read, after) = frames(&wire);
        assert_eq!(read.len(), sent as usize + 1, "every frame, then the close frame");
        for (n, (header, body)) in read[..sent as usize].iter().enumerate() {
            assert_eq!(&body[..4], &(n as u32).to_be_bytes()[..], "frame {n} in its place");
            assert_eq!(body.len(), 4 + payload.len(), "frame {n} whole");
            assert!(header.is_final && header.mask.is_none());
        }
        let (close, reason) = &read[sent as usize];
        assert_eq!((close.opcode, *reason), (OpCode::Control(Control::Close), &b"\x03\xe9bye"[..]));
        assert!(after.is_empty(), "nothing after the close frame");
    }
}
