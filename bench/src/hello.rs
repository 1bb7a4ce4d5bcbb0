//! The tutorial's Hello client, as one session of a load test.
//!
//! ```python
//! s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
//! s.connect(('127.0.0.1', 9999))
//! print(s.recv(1024).decode('utf-8'))
//! for data in [b'Michael', b'Tracy', b'Sarah']:
//!     s.send(data)
//!     print(s.recv(1024).decode('utf-8'))
//! s.send(b'exit')
//! s.close()
//! ```
//!
//! Each line is one request to the relay (a reply may take more, see
//! below), and every reply from the Hello server is checked byte for byte:
//! `Welcome!` first, then `Hello,<name>!` for each name.
//!
//! TCP carries a stream of bytes, not messages: one reply may arrive in
//! several reads. So where the Python reads once, this client reads until
//! the reply's length has arrived, checking each read against what should
//! come next. Replies cannot run together, because the server answers each
//! name before the client sends the next one.
//!
//! The program is cut in two, [`connect`] and [`talk`], so that a load test
//! can pace the connections: the Hello server's `listen(5)` holds only five
//! connections waiting for `accept`, and a storm of connections overflows it.

use std::net::SocketAddr;

use bytes::Bytes;
use protocol::{Family, SocketId};

use crate::client::{Client, Failure};

/// `recv(1024)`, as in the tutorial.
const RECV_MAX: u32 = 1024;

/// How many answers a whole session brings, from the relay's `welcome` to
/// `closed`: the welcome, `created`, `connected`, the server's `Welcome!`,
/// `sent` and the reply for each name, `sent` for `exit`, and `closed`.
pub fn answers_per_session(names: usize) -> u64 {
    6 + 2 * names as u64
}

/// The step that brings answer number `answered` (counting from 0, as
/// [`answers_per_session`] lists them) for a session sending `names` names.
pub fn step(answered: u64, names: usize) -> &'static str {
    let names = names as u64;
    match answered {
        0 => "welcome",
        1 => "socket",
        2 => "connect",
        3 => "recv \"Welcome!\"",
        n if n < 4 + 2 * names && n % 2 == 0 => "send a name",
        n if n < 4 + 2 * names => "recv \"Hello,<name>!\"",
        n if n == 4 + 2 * names => "send exit",
        _ => "close",
    }
}

/// `socket`, `connect`, and the server's `Welcome!`, which proves that the
/// server accepted the connection and a thread of its own now serves it.
/// Adds one to `answered` for each answer that came right (see
/// [`answers_per_session`]; the relay's welcome is the caller's), so that a
/// session cut short by a failure or a time limit still tells how far it got.
pub async fn connect(
    client: &mut Client,
    hello: SocketAddr,
    answered: &mut u64,
) -> Result<SocketId, Failure> {
    let socket = client.socket(Family::Inet).await.map_err(|failure| failure.during("socket"))?;
    *answered += 1;
    client.connect(socket, hello).await.map_err(|failure| failure.during("connect"))?;
    *answered += 1;
    receive(client, socket, Bytes::from_static(b"Welcome!")).await?;
    *answered += 1;
    Ok(socket)
}

/// The rest of the program on a connected socket: each name and its
/// `Hello,<name>!`, then `exit` and `close`. Counts answers as [`connect`] does.
pub async fn talk(
    client: &mut Client,
    socket: SocketId,
    names: &[Bytes],
    answered: &mut u64,
) -> Result<(), Failure> {
    for name in names {
        client.send_all(socket, name).await.map_err(|failure| failure.during("send a name"))?;
        *answered += 1;
        receive(client, socket, [&b"Hello,"[..], name, b"!"].concat().into()).await?;
        *answered += 1;
    }
    client
        .send_all(socket, &Bytes::from_static(b"exit"))
        .await
        .map_err(|failure| failure.during("send exit"))?;
    *answered += 1;
    client.close(socket).await.map_err(|failure| failure.during("close"))?;
    *answered += 1;
    Ok(())
}

/// `recv(1024)` until the whole of `expected` has arrived.
async fn receive(client: &mut Client, socket: SocketId, expected: Bytes) -> Result<(), Failure> {
    let step = format!("recv {:?}", String::from_utf8_lossy(&expected));
    let mut reply = Reply::new(expected);
    loop {
        let read = client.recv(socket, RECV_MAX).await;
        if reply.take(&read.map_err(|failure| failure.during(&step))?)? {
            return Ok(());
        }
    }
}

/// A reply being received read by read (the round-trip benchmark reads
/// the Hello server's replies the same way).
pub(crate) struct Reply {
    expected: Bytes,
    got: Vec<u8>,
}

impl Reply {
    pub(crate) fn new(expected: Bytes) -> Reply {
        Reply { expected, got: Vec::new() }
    }

    /// Adds what one `recv` returned; true once the whole reply is in.
    pub(crate) fn take(&mut self, read: &[u8]) -> Result<bool, Failure> {
        let expected = String::from_utf8_lossy(&self.expected);
        if read.is_empty() {
            let got = self.got.len();
            return Err(Failure::Lost(format!("the server closed after {got} bytes of {expected:?}")));
        }
        self.got.extend_from_slice(read);
        if !self.expected.starts_with(&self.got) {
            let got = String::from_utf8_lossy(&self.got);
            return Err(Failure::Garbled(format!("expected {expected:?}, got {got:?}")));
        }
        Ok(self.got.len() == self.expected.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reply_may_come_in_pieces() {
        let mut reply = Reply::new(Bytes::from_static(b"Hello,Tracy!"));
        assert_eq!(reply.take(b"Hel"), Ok(false));
        assert_eq!(reply.take(b"lo,Tracy"), Ok(false));
        assert_eq!(reply.take(b"!"), Ok(true));
    }

    #[test]
    fn wrong_or_extra_bytes_are_garbled() {
        let mut reply = Reply::new(Bytes::from_static(b"Welcome!"));
        assert!(matches!(reply.take(b"Welcome?"), Err(Failure::Garbled(_))));
        let mut reply = Reply::new(Bytes::from_static(b"Welcome!"));
        assert!(matches!(reply.take(b"Welcome!Hello"), Err(Failure::Garbled(_))));
    }

    #[test]
    fn a_reply_cut_short_is_lost() {
        let mut reply = Reply::new(Bytes::from_static(b"Welcome!"));
        assert_eq!(reply.take(b"Wel"), Ok(false));
        assert!(matches!(reply.take(b""), Err(Failure::Lost(_))));
    }

    #[test]
    fn a_session_brings_twelve_answers_for_the_tutorials_three_names() {
        assert_eq!(answers_per_session(3), 12);
        let steps: Vec<_> = (0..12).map(|answered| step(answered, 3)).collect();
        assert_eq!(steps[..5], ["welcome", "socket", "connect", "recv \"Welcome!\"", "send a name"]);
        assert_eq!(steps[9..], ["recv \"Hello,<name>!\"", "send exit", "close"]);
    }
}
