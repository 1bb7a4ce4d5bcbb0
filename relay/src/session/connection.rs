//! A connected socket, served by two tasks: one reads, one writes.
//!
//! TCP is full duplex: both ends may send at the same time. So a connection
//! is split into its read half and its write half, each served by a small
//! worker task that goes through its queue of jobs in order: the [`Reader`]
//! answers `recv` and `recv_all`, the [`Writer`] answers `send`. A long
//! `recv` never holds up a `send`, just as with two threads on one Python
//! socket.
//!
//! Most sends need no task at all: the kernel takes the bytes at once, into
//! the socket's send buffer. So [`Connection::send_now`] makes the write
//! right away, when no earlier send is still waiting; only a send that finds
//! the buffer full goes to the writer task, which waits for room.
//!
//! Closing cancels both tasks. A job that was waiting still gets an answer
//! (`[Errno 9] Bad file descriptor`), and dropping the halves closes the
//! socket, which sends the peer a FIN.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use bytes::Bytes;
use protocol::frame::encode_binary;
use protocol::{ErrorInfo, RelayMessage, RequestId, SocketId};
use tokio::net::TcpStream;
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio_util::sync::{CancellationToken, DropGuard};

use super::arena::Arena;
use super::budget::ByteBudget;
use super::oserror::{self, EBADF};
use super::outbox::Outbox;
#[cfg(target_os = "linux")]
use crate::websocket::pipe::Pipes;

/// How many calls may wait their turn on one socket.
const QUEUE: usize = 32;

/// The smallest `max` for which a `recv_all` stream goes through a pipe.
/// A splice takes three calls per chunk (into the pipe, the header, out of
/// it) where a read takes one and its frame shares a write with others, so
/// the copy it saves must be worth it; small reads are copied.
#[cfg(target_os = "linux")]
const SPLICE_FROM: usize = 64 * 1024;

/// A `recv(max)`, or a `recv_all(max)` when `until_closed`.
#[derive(Debug)]
pub struct ReadJob {
    pub re: RequestId,
    pub max: usize,
    pub until_closed: bool,
}

/// A `send(data)`.
#[derive(Debug)]
pub struct WriteJob {
    pub re: RequestId,
    pub data: Bytes,
}

/// A connected socket: its 4-tuple and the two tasks that serve it.
/// Dropping it closes the socket.
#[derive(Debug)]
pub struct Connection {
    pub socket: SocketId,
    pub local: SocketAddr,
    pub peer: SocketAddr,
    reads: mpsc::Sender<ReadJob>,
    writes: mpsc::Sender<WriteJob>,
    /// The write half, shared with the writer task.
    write_half: Arc<OwnedWriteHalf>,
    /// Sends given to the writer task and not yet answered.
    waiting_writes: Arc<AtomicUsize>,
    /// Cancels both tasks when the connection is closed or dropped.
    stop: DropGuard,
    tasks: [JoinHandle<()>; 2],
}

impl Connection {
    /// Starts serving `stream` for the socket and session `link` names.
    /// Cancelling `cancel` closes it.
    pub fn start(stream: TcpStream, link: Link, cancel: CancellationToken) -> std::io::Result<Connection> {
        let (local, peer) = (stream.local_addr()?, stream.peer_addr()?);
        let (read_half, write_half) = stream.into_split();
        let socket = link.socket;
        let (reads, read_jobs) = mpsc::channel(QUEUE);
        let (writes, write_jobs) = mpsc::channel(QUEUE);
        let write_half = Arc::new(write_half);
        let waiting_writes = Arc::new(AtomicUsize::new(0));
        let reader = Reader {
            half: read_half,
            arena: Arena::default(),
            #[cfg(target_os = "linux")]
            pipes: None,
            link: link.clone(),
        };
        let writer = Writer { half: Arc::clone(&write_half), waiting: Arc::clone(&waiting_writes), link };
        let tasks = [
            tokio::spawn(serve(reader, read_jobs, cancel.clone())),
            tokio::spawn(serve(writer, write_jobs, cancel.clone())),
        ];
        let stop = cancel.drop_guard();
        Ok(Connection { socket, local, peer, reads, writes, write_half, waiting_writes, stop, tasks })
    }

    /// Queues a `recv` or `recv_all`.
    pub fn read(&self, job: ReadJob) -> Result<(), ErrorInfo> {
        self.reads.try_send(job).map_err(|_| too_many_waiting())
    }

    /// `send(data)` at once, if it can be: no earlier send is still waiting
    /// and the kernel takes some bytes now. Returns how many it took, or
    /// `None` when the send must wait its turn ([`Connection::write`]).
    pub fn send_now(&self, data: &[u8]) -> Result<Option<usize>, ErrorInfo> {
        if self.waiting_writes.load(Ordering::Acquire) > 0 {
            return Ok(None);
        }
        match self.write_half.try_write(data) {
            Ok(n) => Ok(Some(n)),
            Err(error) if error.kind() == std::io::ErrorKind::WouldBlock => Ok(None),
            Err(error) => Err(oserror::python_error(&error)),
        }
    }

    /// Queues a `send` for the writer task, which waits for room.
    pub fn write(&self, job: WriteJob) -> Result<(), ErrorInfo> {
        // Counted before the writer task can see it, so the count never
        // drops below the sends it still holds.
        self.waiting_writes.fetch_add(1, Ordering::AcqRel);
        self.writes.try_send(job).map_err(|_| {
            self.waiting_writes.fetch_sub(1, Ordering::AcqRel);
            too_many_waiting()
        })
    }

    /// Closes the socket. `closed` goes to the page once both tasks have
    /// answered their jobs and let go of the socket.
    pub fn close(self, re: RequestId, out: Outbox) {
        let Connection { socket, tasks, stop, .. } = self;
        drop(stop);
        tokio::spawn(async move {
            for task in tasks {
                let _ = task.await;
            }
            out.send(RelayMessage::Closed { re, socket }).await;
        });
    }
}

fn too_many_waiting() -> ErrorInfo {
    ErrorInfo::limit(format!("{QUEUE} calls are already waiting on this socket; wait for their answers"))
}

/// What a connection's workers need from their session: which socket they
/// serve, the way to the page, and the session's limits.
#[derive(Debug, Clone)]
pub struct Link {
    pub socket: SocketId,
    pub out: Outbox,
    /// How long a read or write may wait for the network.
    pub idle: Duration,
    /// The session's bytes, which reads spend.
    pub bytes: ByteBudget,
}

/// One half of a connection, doing one kind of job.
trait Worker: Send {
    type Job: Send;
    fn link(&self) -> &Link;
    fn request_id(job: &Self::Job) -> RequestId;
    /// Does the job and sends its answer; an `Err` is sent as the answer instead.
    async fn run(&mut self, job: Self::Job) -> Result<(), ErrorInfo>;
    /// Called once a job has been answered, however.
    fn done(&self) {}
}

/// Runs `worker` on `jobs` in order until the socket is closed. A job cut
/// short by the close, and every job still queued, is answered with EBADF.
async fn serve<W: Worker>(mut worker: W, mut jobs: mpsc::Receiver<W::Job>, cancel: CancellationToken) {
    loop {
        let job = tokio::select! {
            biased;
            () = cancel.cancelled() => break,
            job = jobs.recv() => match job {
                Some(job) => job,
                None => break,
            },
        };
        let re = W::request_id(&job);
        let outcome = tokio::select! {
            biased;
            () = cancel.cancelled() => Err(oserror::errno(EBADF)),
            outcome = worker.run(job) => outcome,
        };
        if let Err(error) = outcome {
            let link = worker.link();
            link.out.error(Some(re), Some(link.socket), error).await;
        }
        worker.done();
    }
    jobs.close();
    let link = worker.link();
    while let Ok(job) = jobs.try_recv() {
        link.out.error(Some(W::request_id(&job)), Some(link.socket), oserror::errno(EBADF)).await;
        worker.done();
    }
}

/// The read half: answers `recv` and `recv_all`.
struct Reader {
    half: OwnedReadHalf,
    /// Where reads land, until their frames are written.
    arena: Arena,
    /// Where the chunks of a stream with a large `max` wait, made when the
    /// first such stream starts (see `websocket::pipe`).
    #[cfg(target_os = "linux")]
    pipes: Option<Pipes>,
    link: Link,
}

impl Reader {
    /// One `read` of at most `max` bytes, like one `recv` call, and no more
    /// than the session may still receive.
    async fn read_once(&mut self, max: usize) -> Result<Bytes, ErrorInfo> {
        let mut reservation = self.link.bytes.reserve(max)?;
        let read = oserror::within(self.link.idle, self.arena.read(&mut self.half, reservation.room)).await?;
        reservation.used(read.len());
        Ok(read)
    }

    /// One read of a `recv_all` stream, sent to the page behind `head` as a
    /// `chunk` (unless it is the end of the stream); returns its length.
    async fn stream_once(&mut self, max: usize, head: &Bytes) -> Result<usize, ErrorInfo> {
        #[cfg(target_os = "linux")]
        if max >= SPLICE_FROM {
            return self.splice_once(max, head).await;
        }
        let read = self.read_once(max).await?;
        let len = read.len();
        if len > 0 {
            self.link.out.send_data(head.clone(), read).await;
        }
        Ok(len)
    }

    /// [`Reader::stream_once`] through the pipe: the bytes go from the
    /// socket to the WebSocket without being copied.
    #[cfg(target_os = "linux")]
    async fn splice_once(&mut self, max: usize, head: &Bytes) -> Result<usize, ErrorInfo> {
        let pipes = match &mut self.pipes {
            Some(pipes) => pipes,
            None => self.pipes.insert(Pipes::new(max).map_err(|error| oserror::python_error(&error))?),
        };
        let pipe = pipes.next();
        let mut reservation = self.link.bytes.reserve(max)?;
        // Waiting for the page to take the pipe's last chunk is not the
        // socket being idle: the time limit starts once the pipe is free.
        let turn = pipe.turn().await;
        let socket = self.half.as_ref();
        let chunk = oserror::within(self.link.idle, pipe.fill(turn, socket, reservation.room)).await?;
        let len = chunk.len();
        reservation.used(len);
        if len > 0 {
            self.link.out.send_spliced(head.clone(), chunk).await;
        }
        Ok(len)
    }
}

impl Worker for Reader {
    type Job = ReadJob;

    fn link(&self) -> &Link {
        &self.link
    }

    fn request_id(job: &ReadJob) -> RequestId {
        job.re
    }

    async fn run(&mut self, job: ReadJob) -> Result<(), ErrorInfo> {
        let (re, socket) = (job.re, self.link.socket);
        if !job.until_closed {
            let read = self.read_once(job.max).await?;
            let head = encode_binary(&RelayMessage::Received { re, socket }, &[]);
            self.link.out.send_data(head, read).await;
            return Ok(());
        }
        // Every chunk of the stream has the same head: encode it once.
        let head = encode_binary(&RelayMessage::Chunk { re, socket }, &[]);
        let (mut chunks, mut bytes) = (0u64, 0u64);
        loop {
            let n = self.stream_once(job.max, &head).await?;
            if n == 0 {
                let message = RelayMessage::Drained { re, socket, chunks, bytes };
                self.link.out.send(message).await;
                return Ok(());
            }
            chunks += 1;
            bytes += n as u64;
        }
    }
}

/// The write half: answers the sends that had to wait.
struct Writer {
    half: Arc<OwnedWriteHalf>,
    /// Counts down as each queued send is answered.
    waiting: Arc<AtomicUsize>,
    link: Link,
}

impl Writer {
    /// One write, once the kernel has room for some of `data`.
    async fn write_some(&self, data: &[u8]) -> std::io::Result<usize> {
        loop {
            self.half.writable().await?;
            match self.half.try_write(data) {
                Err(error) if error.kind() == std::io::ErrorKind::WouldBlock => continue,
                written => return written,
            }
        }
    }
}

impl Worker for Writer {
    type Job = WriteJob;

    fn link(&self) -> &Link {
        &self.link
    }

    fn request_id(job: &WriteJob) -> RequestId {
        job.re
    }

    /// Like Python's `send`, one write: the kernel may take fewer bytes than
    /// offered (when its buffer is full), and the answer says how many it took.
    async fn run(&mut self, job: WriteJob) -> Result<(), ErrorInfo> {
        let n = oserror::within(self.link.idle, self.write_some(&job.data)).await?;
        let message = RelayMessage::Sent { re: job.re, socket: self.link.socket, bytes: n as u64 };
        self.link.out.send(message).await;
        Ok(())
    }

    fn done(&self) {
        // After the answer: a send made now goes out behind this one.
        self.waiting.fetch_sub(1, Ordering::AcqRel);
    }
}
