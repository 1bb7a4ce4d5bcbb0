//! Where a socket's reads land: large shared blocks, reused.
//!
//! A `received` or `chunk` frame carries the bytes one `recv` returned. The
//! writer sends them straight from where they were read, behind their
//! frame's header (see `websocket::writer`), so a read needs memory that
//! outlives it until the frame is written. Allocating that memory for every
//! read costs page faults at a few gigabytes a second, so the [`Arena`]
//! carves reads from a large block instead:
//!
//! ```text
//! block:  [ read 1 ........ | read 2 .... | read 3 ......... |  free ...... ]
//!           (a view, on its way to the page)                   next read here
//! ```
//!
//! Each read is a [`Bytes`] view into the block, and the arena moves on.
//! When its block is full it takes back an earlier block whose reads have
//! all been written to the WebSocket, or allocates a new one.

use bytes::{BufMut, Bytes, BytesMut};
use tokio::io::AsyncReadExt;
use tokio::net::tcp::OwnedReadHalf;

/// How many reads of the largest size one block holds.
const READS_PER_BLOCK: usize = 4;
/// How many used-up blocks are kept for reuse.
const SPARES: usize = 4;

/// A buffer that socket reads are carved from.
#[derive(Debug, Default)]
pub struct Arena {
    /// The block being filled: its unused end.
    free: BytesMut,
    /// Used-up blocks; each is taken back once its reads are gone.
    spares: Vec<BytesMut>,
}

impl Arena {
    /// One read of at most `max` bytes from `half` (a `recv(max)`); empty
    /// at the end of the stream.
    pub async fn read(&mut self, half: &mut OwnedReadHalf, max: usize) -> std::io::Result<Bytes> {
        if self.free.capacity() < max {
            self.next_block(max);
        }
        // Cancel-safe: a read that is cancelled has taken nothing.
        half.read_buf(&mut (&mut self.free).limit(max)).await?;
        Ok(self.free.split().freeze())
    }

    /// Replaces the full block with a spare whose reads are all gone, or
    /// with a new block, with room for at least `needed` bytes.
    fn next_block(&mut self, needed: usize) {
        let full = std::mem::take(&mut self.free);
        // A spare is the empty end of a used block; once no read shares
        // its block, `try_reclaim` makes the whole block its own again.
        let reclaimed = self.spares.iter_mut().position(|spare| spare.try_reclaim(needed));
        self.free = match reclaimed {
            Some(at) => self.spares.swap_remove(at),
            None => BytesMut::with_capacity(READS_PER_BLOCK * needed),
        };
        if self.spares.len() < SPARES && full.capacity() > 0 {
            self.spares.push(full);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::tcp_pair;
    use tokio::io::AsyncWriteExt;
    use tokio::net::TcpStream;

    async fn connected() -> (TcpStream, OwnedReadHalf) {
        let (sender, receiver) = tcp_pair().await;
        (sender, receiver.into_split().0)
    }

    #[tokio::test]
    async fn reads_carry_exactly_the_bytes_sent() {
        let (mut sender, mut half) = connected().await;
        let data: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
        sender.write_all(&data).await.unwrap();
        drop(sender);

        let mut arena = Arena::default();
        let mut reads = Vec::new();
        for max in 1000.. {
            let read = arena.read(&mut half, max).await.unwrap();
            if read.is_empty() {
                break;
            }
            assert!(read.len() <= max);
            reads.push(read);
        }
        // Every read is still intact after later reads reused the arena.
        assert_eq!(reads.concat(), data);
    }

    #[test]
    fn a_block_comes_back_once_its_reads_are_gone() {
        let mut arena = Arena::default();
        arena.next_block(1000);
        let first = arena.free.as_ptr();
        arena.free.put_bytes(0, 4000);
        let read = arena.free.split().freeze();
        arena.next_block(1000);
        assert_ne!(arena.free.as_ptr(), first, "the first block is still in use");
        drop(read);
        arena.free.put_bytes(0, 4000);
        drop(arena.free.split());
        arena.next_block(1000);
        assert_eq!(arena.free.as_ptr(), first, "the first block is reused");
    }

    #[tokio::test]
    async fn a_cancelled_read_leaves_nothing_behind() {
        let (mut sender, mut half) = connected().await;
        let mut arena = Arena::default();
        let waiting = tokio::time::timeout(std::time::Duration::from_millis(20), arena.read(&mut half, 100));
        assert!(waiting.await.is_err(), "nothing was sent yet");
        sender.write_all(b"late").await.unwrap();
        assert_eq!(arena.read(&mut half, 100).await.unwrap(), "late");
    }
}
