//! A connected socket, served by two tasks: one reads, one writes.
//!
//! TCP is full duplex: both ends may send at the same time. So a connection
//! is split into its read half and its write half, each owned by a small
//! worker task that goes through its queue of jobs in order: the [`Reader`]
//! answers `recv` and `recv_all`, the [`Writer`] answers `send`. A long
//! `recv` never holds up a `send`, just as with two threads on one Python
//! socket.
//!
//! Closing cancels both tasks. A job that was waiting still gets an answer
//! (`[Errno 9] Bad file descriptor`), and dropping the halves closes the
//! socket, which sends the peer a FIN.

use std::net::SocketAddr;
use std::time::Duration;

use bytes::Bytes;
use protocol::{ErrorInfo, RelayMessage, RequestId, SocketId};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio_util::sync::{CancellationToken, DropGuard};

use super::arena::{Arena, Read};
use super::budget::ByteBudget;
use super::oserror::{self, EBADF};
use super::outbox::Outbox;

/// How many calls may wait their turn on one socket.
const QUEUE: usize = 32;

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
        let reader = Reader { half: read_half, arena: Arena::default(), link: link.clone() };
        let writer = Writer { half: write_half, link };
        let tasks = [
            tokio::spawn(serve(reader, read_jobs, cancel.clone())),
            tokio::spawn(serve(writer, write_jobs, cancel.clone())),
        ];
        Ok(Connection { socket, local, peer, reads, writes, stop: cancel.drop_guard(), tasks })
    }

    /// Queues a `recv` or `recv_all`.
    pub fn read(&self, job: ReadJob) -> Result<(), ErrorInfo> {
        self.reads.try_send(job).map_err(|_| too_many_waiting())
    }

    /// Queues a `send`.
    pub fn write(&self, job: WriteJob) -> Result<(), ErrorInfo> {
        self.writes.try_send(job).map_err(|_| too_many_waiting())
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
    }
    jobs.close();
    let link = worker.link();
    while let Ok(job) = jobs.try_recv() {
        link.out.error(Some(W::request_id(&job)), Some(link.socket), oserror::errno(EBADF)).await;
    }
}

/// The read half: answers `recv` and `recv_all`.
struct Reader {
    half: OwnedReadHalf,
    /// Where reads land, each behind room for its frame's header.
    arena: Arena,
    link: Link,
}

impl Reader {
    /// One `read` of at most `max` bytes, like one `recv` call, and no more
    /// than the session may still receive.
    async fn read_once(&mut self, max: usize) -> Result<Read, ErrorInfo> {
        let mut reservation = self.link.bytes.reserve(max)?;
        let read = oserror::within(self.link.idle, self.arena.read(&mut self.half, reservation.room)).await?;
        reservation.used(read.len());
        Ok(read)
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
            let frame = read.into_frame(&RelayMessage::Received { re, socket });
            self.link.out.send_data(frame).await;
            return Ok(());
        }
        let (mut chunks, mut bytes) = (0u64, 0u64);
        loop {
            let read = self.read_once(job.max).await?;
            let n = read.len();
            if n == 0 {
                let message = RelayMessage::Drained { re, socket, chunks, bytes };
                self.link.out.send(message).await;
                return Ok(());
            }
            self.link.out.send_data(read.into_frame(&RelayMessage::Chunk { re, socket })).await;
            chunks += 1;
            bytes += n as u64;
        }
    }
}

/// The write half: answers `send`.
struct Writer {
    half: OwnedWriteHalf,
    link: Link,
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
        let n = oserror::within(self.link.idle, self.half.write(&job.data)).await?;
        let message = RelayMessage::Sent { re: job.re, socket: self.link.socket, bytes: n as u64 };
        self.link.out.send(message).await;
        Ok(())
    }
}
