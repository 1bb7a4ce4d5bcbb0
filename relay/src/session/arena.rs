//! Reading from a socket straight into the frame that carries the bytes.
//!
//! A `received` or `chunk` frame is a small header followed by the bytes one
//! `recv` returned (see `protocol::frame`). Reading into a buffer and then
//! copying the bytes behind a header costs a copy of every byte; at a few
//! gigabytes a second over loopback, that copy shows. So the [`Arena`] reads
//! each `recv` into a large shared buffer *after* a gap left for the header,
//! then writes the header into the gap, just in front of the bytes:
//!
//! ```text
//! arena:  [ gap ............ | bytes read ............ ][ next gap | ...
//! frame:          [len][JSON]  bytes read                  (a view, no copy)
//! ```
//!
//! Each finished frame is a [`Bytes`] view into the arena, and the arena
//! moves on. When its block is full it takes back an earlier block whose
//! frames have all been written to the WebSocket, or allocates a new one
//! (fresh memory costs page faults, so reuse pays off in a long stream).

use bytes::{BufMut, Bytes, BytesMut};
use protocol::RelayMessage;
use protocol::frame::encode_binary;
use tokio::io::AsyncReadExt;
use tokio::net::tcp::OwnedReadHalf;

/// Room in front of each read for its frame's header: the length prefix and
/// a `chunk` or `received` header (`{"type":"chunk","re":…,"socket":…}`)
/// take well under this.
const GAP: usize = 128;
/// How many reads of the largest size one block holds.
const READS_PER_BLOCK: usize = 4;
/// How many used-up blocks are kept for reuse.
const SPARES: usize = 4;

/// A buffer that socket reads are carved from.
#[derive(Debug, Default)]
pub struct Arena {
    /// The block being filled: its unused end.
    free: BytesMut,
    /// Used-up blocks; each is taken back once its frames are gone.
    spares: Vec<BytesMut>,
}

impl Arena {
    /// One read of at most `max` bytes from `half` (a `recv(max)`), placed
    /// after a gap for a header. Returns the bytes read, as a [`Read`].
    pub async fn read(&mut self, half: &mut OwnedReadHalf, max: usize) -> std::io::Result<Read> {
        // Whatever is left is the gap of a read that was cancelled (a
        // timeout, a close): drop it.
        self.free.clear();
        if self.free.capacity() < GAP + max {
            self.next_block(GAP + max);
        }
        self.free.put_bytes(0, GAP);
        let outcome = half.read_buf(&mut (&mut self.free).limit(max)).await;
        let taken = self.free.split();
        outcome.map(|_| Read { frame: taken })
    }
}

impl Arena {
    /// Replaces the full block with a spare whose frames are all gone, or
    /// with a new block, with room for at least `needed` bytes.
    fn next_block(&mut self, needed: usize) {
        let full = std::mem::take(&mut self.free);
        // A spare is the empty end of a used block; once no frame shares
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

/// The bytes of one read, behind the gap for their header.
#[derive(Debug)]
pub struct Read {
    frame: BytesMut,
}

impl Read {
    /// How many bytes were read (0 at the end of the stream).
    pub fn len(&self) -> usize {
        self.frame.len() - GAP
    }

    /// The finished frame: `message`'s header, then the bytes.
    pub fn into_frame(self, message: &RelayMessage) -> Bytes {
        debug_assert!(protocol::frame::Message::carries_payload(message));
        let header = encode_binary(message, &[]);
        let mut frame = self.frame;
        match GAP.checked_sub(header.len()) {
            Some(start) => {
                frame[start..GAP].copy_from_slice(&header);
                frame.freeze().slice(start..)
            }
            // A header too long for the gap (no message has one): copy.
            None => encode_binary(message, &frame[GAP..]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use protocol::Frame;
    use tokio::io::AsyncWriteExt;
    use tokio::net::{TcpListener, TcpStream};

    #[tokio::test]
    async fn frames_carry_exactly_the_bytes_read() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let mut sender = TcpStream::connect(listener.local_addr().unwrap()).await.unwrap();
        let (receiver, _) = listener.accept().await.unwrap();
        let (mut half, _write) = receiver.into_split();
        let data: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
        sender.write_all(&data).await.unwrap();
        drop(sender);

        let mut arena = Arena::default();
        let mut got = Vec::new();
        for re in 1.. {
            let read = arena.read(&mut half, 1000 + re as usize).await.unwrap();
            if read.len() == 0 {
                break;
            }
            assert!(read.len() <= 1000 + re as usize);
            let frame = read.into_frame(&RelayMessage::Chunk { re, socket: 7 });
            let decoded = Frame::<RelayMessage>::decode_binary(frame).unwrap();
            assert_eq!(decoded.message, RelayMessage::Chunk { re, socket: 7 });
            got.extend_from_slice(&decoded.payload);
        }
        assert_eq!(got, data);
    }

    #[test]
    fn a_block_comes_back_once_its_frames_are_gone() {
        let mut arena = Arena::default();
        arena.next_block(1000);
        let first = arena.free.as_ptr();
        arena.free.put_bytes(0, 4000);
        let frame = arena.free.split().freeze();
        arena.next_block(1000);
        assert_ne!(arena.free.as_ptr(), first, "the first block is still in use");
        drop(frame);
        arena.free.put_bytes(0, 4000);
        drop(arena.free.split());
        arena.next_block(1000);
        assert_eq!(arena.free.as_ptr(), first, "the first block is reused");
    }

    #[tokio::test]
    async fn a_cancelled_read_leaves_nothing_behind() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let mut sender = TcpStream::connect(listener.local_addr().unwrap()).await.unwrap();
        let (receiver, _) = listener.accept().await.unwrap();
        let (mut half, _write) = receiver.into_split();
        let mut arena = Arena::default();
        let waiting = tokio::time::timeout(std::time::Duration::from_millis(20), arena.read(&mut half, 100));
        assert!(waiting.await.is_err(), "nothing was sent yet");
        sender.write_all(b"late").await.unwrap();
        let frame = arena
            .read(&mut half, 100)
            .await
            .unwrap()
            .into_frame(&RelayMessage::Received { re: 1, socket: 1 });
        assert_eq!(Frame::<RelayMessage>::decode_binary(frame).unwrap().payload, "late");
    }
}
