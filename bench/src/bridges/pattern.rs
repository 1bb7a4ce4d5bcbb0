//! The bytes of the bulk test, and the check that every one arrived right.
//!
//! A bridge that is fast because it loses, repeats or reorders data must
//! not win, so the client does not just count bytes: it compares each byte
//! with the one the target sent at that offset. The target sends a fixed
//! pattern, byte `i` of the stream being `i % 251`. 251 is prime and not a
//! power of two, so a chunk that is lost, doubled or moved by any whole
//! number of buffers (sizes such as 4096 or 65536) no longer lines up.
//!
//! Checking is a `memcmp` against a precomputed table, a few gigabytes a
//! second, far above what any bridge delivers, so it costs the
//! measurement little.

use crate::client::Failure;

/// The pattern's period.
const PERIOD: usize = 251;

/// How many bytes one comparison covers.
const PIECE: usize = 64 * 1024;

/// The byte at `offset` of the stream.
fn byte_at(offset: usize) -> u8 {
    (offset % PERIOD) as u8
}

/// `len` bytes of the pattern from offset 0, rounded down to whole periods
/// (at least one), so that writing it again and again continues the pattern.
pub fn block(len: usize) -> Vec<u8> {
    let len = (len / PERIOD).max(1) * PERIOD;
    (0..len).map(byte_at).collect()
}

/// Checks a stream read in pieces of any size against the pattern.
pub struct Checker {
    /// The pattern from offset 0, a period longer than a piece, so that a
    /// piece starting at any offset finds its bytes in one slice.
    table: Vec<u8>,
    /// How many bytes have arrived so far.
    pub received: u64,
    /// In how many pieces (reads, messages, chunks) they came.
    pub pieces: u64,
}

impl Default for Checker {
    fn default() -> Checker {
        Checker { table: (0..PIECE + PERIOD).map(byte_at).collect(), received: 0, pieces: 0 }
    }
}

impl Checker {
    /// Checks the next piece of the stream.
    pub fn take(&mut self, data: &[u8]) -> Result<(), Failure> {
        self.pieces += 1;
        for piece in data.chunks(PIECE) {
            let phase = (self.received % PERIOD as u64) as usize;
            if piece != &self.table[phase..phase + piece.len()] {
                let at = piece.iter().zip(&self.table[phase..]).position(|(got, want)| got != want);
                let offset = self.received + at.unwrap_or(0) as u64;
                return Err(Failure::Garbled(format!("wrong byte at offset {offset} of the stream")));
            }
            self.received += piece.len() as u64;
        }
        Ok(())
    }

    /// Checks that the stream ended after exactly `expected` bytes.
    pub fn finish(&self, expected: u64) -> Result<(), Failure> {
        match self.received {
            got if got == expected => Ok(()),
            got if got < expected => {
                Err(Failure::Lost(format!("the stream ended after {got} of {expected} bytes")))
            }
            got => Err(Failure::Garbled(format!("{got} bytes arrived, {expected} were sent"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_repeat_into_the_pattern() {
        let block = block(1000);
        assert_eq!(block.len(), 3 * PERIOD);
        let mut checker = Checker::default();
        for _ in 0..1000 {
            checker.take(&block).expect("the pattern");
        }
        checker.finish(1000 * block.len() as u64).expect("every byte");
    }

    #[test]
    fn pieces_of_any_size_check_the_same() {
        let stream = block(300_000);
        let mut checker = Checker::default();
        for piece in stream.chunks(7919) {
            checker.take(piece).expect("the pattern");
        }
        assert_eq!(checker.received, stream.len() as u64);
        assert_eq!(checker.pieces, stream.len().div_ceil(7919) as u64);
    }

    #[test]
    fn a_lost_buffer_is_caught() {
        let stream = block(PERIOD * 1000);
        let mut checker = Checker::default();
        checker.take(&stream[..4096]).expect("the start is right");
        let failure = checker.take(&stream[8192..]).expect_err("a buffer went missing");
        assert!(matches!(failure, Failure::Garbled(_)), "{failure}");
    }

    #[test]
    fn a_short_stream_is_lost() {
        let mut checker = Checker::default();
        checker.take(&block(PERIOD)).expect("the pattern");
        assert!(matches!(checker.finish(2 * PERIOD as u64), Err(Failure::Lost(_))));
        assert!(matches!(checker.finish(1), Err(Failure::Garbled(_))));
    }
}
