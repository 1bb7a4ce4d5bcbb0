//! A socket's bytes into the WebSocket without copying them (Linux's `splice`).
//!
//! To pass bytes from one socket to another, a program normally reads them
//! (the kernel copies them into the program's memory) and writes them (the
//! kernel copies them back out). Linux can skip both copies: `splice(2)`
//! moves data between a socket and a *pipe*, a small kernel buffer, by
//! handing over references to the kernel's own pages. So the chunks of a
//! `recv_all` stream can travel
//!
//! ```text
//! the target's socket ──splice──► pipe ──splice──► the WebSocket
//! ```
//!
//! and the relay itself writes only each chunk's frame header (see
//! `writer`).
//!
//! A pipe holds one chunk at a time: the socket's reader fills it with one
//! `splice`, as it would make one `recv` (at most `max` bytes, whatever has
//! arrived), the session's writer drains the chunk into the WebSocket behind
//! its header, and only then may the reader fill the pipe again. That turn
//! is a [`Turn`]: [`Pipe::fill`] needs one, and the [`Chunk`] it returns
//! keeps it until the chunk is dropped. A socket has two pipes, used in
//! turn ([`Pipes`]), so that the reader fills one while the writer drains
//! the other.

use std::io;
use std::os::fd::{AsFd, OwnedFd};
use std::sync::Arc;

use rustix::pipe::{PipeFlags, SpliceFlags, fcntl_setpipe_size, pipe_with, splice};
use tokio::io::Interest;
use tokio::net::TcpStream;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// The most a pipe is asked to hold: Linux lets a user have pipes of up to
/// 1 MiB (`/proc/sys/fs/pipe-max-size`) without privileges.
const MAX_CAPACITY: usize = 1 << 20;

/// A pipe, and whose turn it is to use it.
#[derive(Debug)]
pub struct Pipe {
    read: OwnedFd,
    write: OwnedFd,
    turn: Arc<Semaphore>,
}

/// A socket's two pipes, used in turn.
#[derive(Debug)]
pub struct Pipes {
    pipes: [Arc<Pipe>; 2],
    next: usize,
}

impl Pipes {
    /// Two new pipes for reads of up to `max` bytes.
    pub fn new(max: usize) -> io::Result<Pipes> {
        Ok(Pipes { pipes: [Pipe::new(max)?, Pipe::new(max)?], next: 0 })
    }

    /// The pipe whose turn it is to be filled next.
    pub fn next(&mut self) -> Arc<Pipe> {
        let pipe = Arc::clone(&self.pipes[self.next]);
        self.next = 1 - self.next;
        pipe
    }
}

/// The right to fill the pipe: it is empty. Dropping it gives it back.
#[derive(Debug)]
pub struct Turn {
    _permit: OwnedSemaphorePermit,
}

/// One `recv`'s worth of bytes, waiting in the pipe.
#[derive(Debug)]
pub struct Chunk {
    pipe: Arc<Pipe>,
    len: usize,
    _turn: Turn,
}

impl Pipe {
    /// A new pipe for reads of up to `max` bytes. Both ends are
    /// non-blocking: waiting is tokio's job, on the sockets.
    pub fn new(max: usize) -> io::Result<Arc<Pipe>> {
        let (read, write) = pipe_with(PipeFlags::CLOEXEC | PipeFlags::NONBLOCK)?;
        // A larger pipe moves more bytes per call. Should the kernel refuse
        // (a limit on a user's pipes), the default 64 KiB still works: each
        // chunk is then at most that, as a `recv` may return less than asked.
        if let Err(error) = fcntl_setpipe_size(&write, max.min(MAX_CAPACITY)) {
            tracing::debug!("pipe keeps its default size: {error}");
        }
        Ok(Arc::new(Pipe { read, write, turn: Arc::new(Semaphore::new(1)) }))
    }

    /// Waits until the pipe is empty: the last chunk has been written out.
    pub async fn turn(&self) -> Turn {
        let permit = Arc::clone(&self.turn).acquire_owned().await;
        Turn { _permit: permit.expect("the semaphore is never closed") }
    }

    /// One `recv` of at most `max` bytes from `socket`, into the pipe. A
    /// chunk of 0 bytes means the peer closed its side.
    pub async fn fill(self: &Arc<Self>, turn: Turn, socket: &TcpStream, max: usize) -> io::Result<Chunk> {
        loop {
            socket.readable().await?;
            // The pipe is empty (our turn), so "would block" can only mean
            // that nothing has arrived on the socket.
            match socket.try_io(Interest::READABLE, || move_bytes(socket, &self.write, max)) {
                Ok(len) => return Ok(Chunk { pipe: Arc::clone(self), len, _turn: turn }),
                Err(error) if error.kind() == io::ErrorKind::WouldBlock => continue,
                Err(error) => return Err(error),
            }
        }
    }
}

impl Chunk {
    /// How many bytes the `recv` returned.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Moves the whole chunk from the pipe into `socket`.
    pub async fn drain_into(&self, socket: &TcpStream) -> io::Result<()> {
        let mut left = self.len;
        while left > 0 {
            socket.writable().await?;
            match socket.try_io(Interest::WRITABLE, || move_bytes(&self.pipe.read, socket, left)) {
                Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
                Ok(moved) => left -= moved,
                Err(error) if error.kind() == io::ErrorKind::WouldBlock => continue,
                Err(error) => return Err(error),
            }
        }
        Ok(())
    }
}

/// One `splice` of at most `len` bytes, without waiting.
fn move_bytes(from: impl AsFd, to: impl AsFd, len: usize) -> io::Result<usize> {
    Ok(splice(from, None, to, None, len, SpliceFlags::MOVE | SpliceFlags::NONBLOCK)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::tcp_pair as connected;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    /// Bytes go socket → pipe → socket unchanged, a chunk at a time, each
    /// at most `max`, and the end of the stream is a chunk of 0 bytes.
    #[tokio::test]
    async fn chunks_carry_every_byte_from_one_socket_to_another() {
        let (mut source, from) = connected().await;
        let (to, mut sink) = connected().await;
        let data: Vec<u8> = (0..3_000_000u32).map(|i| (i % 251) as u8).collect();
        let sending = tokio::spawn({
            let data = data.clone();
            async move { source.write_all(&data).await.unwrap() }
        });
        let receiving = tokio::spawn(async move {
            let mut got = Vec::new();
            sink.read_to_end(&mut got).await.unwrap();
            got
        });
        let pipe = Pipe::new(256 * 1024).unwrap();
        let mut chunks = 0;
        loop {
            let chunk = pipe.fill(pipe.turn().await, &from, 100_000).await.unwrap();
            if chunk.len() == 0 {
                break;
            }
            assert!(chunk.len() <= 100_000, "{}", chunk.len());
            chunk.drain_into(&to).await.unwrap();
            chunks += 1;
        }
        sending.await.unwrap();
        drop(to);
        assert_eq!(receiving.await.unwrap(), data);
        assert!(chunks >= 30, "{chunks} chunks for 3 MB in reads of at most 100 kB");
    }

    /// The next fill waits until the chunk in the pipe has been drained.
    #[tokio::test]
    async fn a_pipe_holds_one_chunk_at_a_time() {
        let (mut source, from) = connected().await;
        source.write_all(b"one").await.unwrap();
        let pipe = Pipe::new(4096).unwrap();
        let chunk = pipe.fill(pipe.turn().await, &from, 100).await.unwrap();
        let waiting = tokio::time::timeout(std::time::Duration::from_millis(50), pipe.turn());
        assert!(waiting.await.is_err(), "the pipe is still full");
        drop(chunk);
        tokio::time::timeout(std::time::Duration::from_secs(5), pipe.turn()).await.unwrap();
    }
}
