//! What one session may spend: requests per second and bytes in all.
//!
//! - [`Rate`] is a *token bucket*: it holds up to N tokens and gains N per
//!   second; each request takes one. A page may burst N requests at once,
//!   and sustain N per second, but no more.
//! - [`ByteBudget`] counts down the bytes a session may still send and receive
//!   (`--max-session-bytes`). Reads ask for room first and are cut to what is
//!   left, so a byte the relay took from a socket always reaches the page:
//!   the limit stops the transfer with an error, it never drops data.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use protocol::ErrorInfo;

/// Requests per second, as a token bucket.
#[derive(Debug)]
pub struct Rate {
    per_second: f64,
    tokens: f64,
    last: Instant,
}

impl Rate {
    pub fn new(per_second: u32) -> Rate {
        let per_second = f64::from(per_second);
        Rate { per_second, tokens: per_second, last: Instant::now() }
    }

    /// Takes a token for one request, or says the page is too fast.
    pub fn take(&mut self) -> Result<(), ErrorInfo> {
        let now = Instant::now();
        let earned = now.duration_since(self.last).as_secs_f64() * self.per_second;
        self.tokens = (self.tokens + earned).min(self.per_second);
        self.last = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            Ok(())
        } else {
            Err(ErrorInfo::limit(format!(
                "more than {} requests per second: this relay allows no more; wait a moment",
                self.per_second
            )))
        }
    }
}

/// The bytes a session may still move; cheap to clone, shared by its sockets.
#[derive(Debug, Clone)]
pub struct ByteBudget {
    left: Arc<AtomicU64>,
    limit: u64,
}

impl ByteBudget {
    pub fn new(limit: u64) -> ByteBudget {
        ByteBudget { left: Arc::new(AtomicU64::new(limit)), limit }
    }

    /// Spends exactly `n` bytes (for a `send`), or none if fewer are left.
    pub fn spend(&self, n: usize) -> Result<(), ErrorInfo> {
        let n = n as u64;
        self.left
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |left| left.checked_sub(n))
            .map(drop)
            .map_err(|left| self.exhausted(left))
    }

    /// Reserves room for a read of up to `want` bytes: as much as is left,
    /// at least 1. What the read does not use comes back when the
    /// [`Reservation`] is dropped, even if the read was cancelled.
    pub fn reserve(&self, want: usize) -> Result<Reservation, ErrorInfo> {
        let want = want as u64;
        let before = self
            .left
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |left| {
                (left > 0).then(|| left - left.min(want))
            })
            .map_err(|left| self.exhausted(left))?;
        // At most `want`, which came from a usize.
        let room = before.min(want) as usize;
        Ok(Reservation { budget: self.clone(), room, used: 0 })
    }

    fn exhausted(&self, left: u64) -> ErrorInfo {
        ErrorInfo::limit(format!(
            "this session has moved {} of the {} bytes a session may send and receive; open a new page to go on",
            self.limit - left,
            self.limit
        ))
    }
}

/// Room reserved for one read; the unused part goes back on drop.
#[derive(Debug)]
pub struct Reservation {
    budget: ByteBudget,
    pub room: usize,
    used: usize,
}

impl Reservation {
    /// The read took `n` bytes (at most `room`).
    pub fn used(&mut self, n: usize) {
        self.used = n.min(self.room);
    }
}

impl Drop for Reservation {
    fn drop(&mut self) {
        let unused = (self.room - self.used) as u64;
        self.budget.left.fetch_add(unused, Ordering::AcqRel);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_is_allowed_then_the_rate_holds() {
        let mut rate = Rate::new(5);
        for _ in 0..5 {
            rate.take().unwrap();
        }
        let error = rate.take().unwrap_err();
        assert!(error.message.contains("more than 5 requests per second"), "{error}");
        std::thread::sleep(std::time::Duration::from_millis(450));
        rate.take().expect("tokens come back with time");
    }

    #[test]
    fn reads_are_cut_to_what_is_left_and_sends_are_all_or_nothing() {
        let bytes = ByteBudget::new(100);
        bytes.spend(60).unwrap();
        assert!(bytes.spend(41).is_err(), "a send is never cut short");
        let mut read = bytes.reserve(1024).unwrap();
        assert_eq!(read.room, 40);
        read.used(10);
        drop(read);
        let cancelled = bytes.reserve(5).unwrap();
        assert_eq!(cancelled.room, 5);
        drop(cancelled);
        let mut last = bytes.reserve(1024).unwrap();
        assert_eq!(last.room, 30);
        last.used(30);
        drop(last);
        let error = bytes.reserve(1).unwrap_err();
        assert!(error.message.contains("moved 100 of the 100 bytes"), "{error}");
    }
}
