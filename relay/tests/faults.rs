//! Peers that misbehave in the middle of a conversation.
//!
//! Each test plays the target server itself, on a loopback listener it
//! controls, and makes it fail in one way while the page talks to it through
//! the relay over a real WebSocket:
//!
//! * it **resets** the connection (SO_LINGER 0, then close: a RST instead of a
//!   FIN) while the page streams with `recv_all`: the page gets every byte that
//!   arrived before the reset, then `ConnectionResetError: [Errno 104]` for
//!   that request; afterwards the socket reads as closed and `send` on it is
//!   `BrokenPipeError`, as in Python, and the session goes on;
//! * it **half-closes** (`shutdown(SHUT_WR)`) but keeps reading: `recv` gives
//!   its last bytes, then `b''`, and the page can still send to it;
//! * it **stalls** mid-stream: `recv_all` hands over what came, then fails with
//!   `TimeoutError`, and the connection is still usable;
//! * it **hangs up at once**, without a word: `recv_all` ends with `drained`
//!   and no chunks, and `recv` returns `b''`.
//!
//! Faults covered elsewhere are not repeated here: a `recv` from a silent
//! server timing out, a `connect` to a server whose accept queue is full, and a
//! reset seen by a plain `recv` are in `timeouts.rs`; a name that does not
//! resolve (`socket.gaierror`) and a refused connection are in `errors.rs`.

mod common;

use std::io::{Read, Write};
use std::net::Shutdown;
use std::time::Duration;

use common::targets::connected_to_the_test;
use common::{Page, TestRelay, expect_error};
use protocol::{ErrorKind, Op, RelayMessage, RequestId};
use socket2::SockRef;

/// `n` bytes that tell where they are in the stream.
fn pattern(seed: u8, n: usize) -> Vec<u8> {
    (0..n).map(|i| (i % 251) as u8 ^ seed).collect()
}

/// Collects the chunks of `recv_all` request `re` until its final answer,
/// which is returned with the bytes.
async fn chunks_until_final(page: &mut Page, re: RequestId, bytes: &mut Vec<u8>) -> RelayMessage {
    loop {
        let answer = page.about(re).await;
        match answer.message {
            RelayMessage::Chunk { .. } => bytes.extend_from_slice(&answer.payload),
            other => return other,
        }
    }
}

/// The reads of `recv_all` into the relay's memory (`max` under 64 KiB), and
/// through a pipe with `splice` (Linux, larger `max`): faults must look
/// the same either way.
const BOTH_PATHS: [u32; 2] = [1024, 256 * 1024];

#[tokio::test]
async fn a_reset_in_the_middle_of_recv_all_ends_it_with_connection_reset_error() {
    for max in BOTH_PATHS {
        reset_in_the_middle_of_recv_all(max).await;
    }
}

async fn reset_in_the_middle_of_recv_all(max: u32) {
    let relay = TestRelay::start(&[]).await;
    let (mut page, s, mut server) = connected_to_the_test(&relay).await;
    let (first, second) = (pattern(1, 3000), pattern(2, 5000));

    let re = page.request(Op::RecvAll { socket: s, max }, b"").await;
    server.write_all(&first).unwrap();
    // The stream is under way: the page has had the first part.
    let mut got = Vec::new();
    while got.len() < first.len() {
        let answer = page.about(re).await;
        let RelayMessage::Chunk { .. } = answer.message else { panic!("expected a chunk, got {answer:?}") };
        got.extend_from_slice(&answer.payload);
    }
    assert_eq!(got, first);

    // More data, then the reset right behind it.
    server.write_all(&second).unwrap();
    SockRef::from(&server).set_linger(Some(Duration::ZERO)).unwrap();
    drop(server);

    let last = chunks_until_final(&mut page, re, &mut got).await;
    let RelayMessage::Error { re: Some(got_re), socket, error } = last else {
        panic!("recv_all must end with an error, not {last:?}")
    };
    assert_eq!((got_re, socket), (re, Some(s)));
    assert_eq!(error.kind, ErrorKind::ConnectionResetError, "{error}");
    assert_eq!(error.errno, Some(104));
    assert_eq!(error.message, "[Errno 104] Connection reset by peer");
    assert_eq!(got.len(), first.len() + second.len(), "the bytes that arrived before the reset");
    assert_eq!(got, [first, second].concat());

    // As in Python: the reset is reported once; then the socket reads as
    // closed, and sending on it is a broken pipe.
    assert_eq!(page.recv(s, 1024).await, "");
    let (kind, errno, _) = page.fails(Op::Send { socket: s }, b"anyone?").await;
    assert_eq!((kind, errno), (ErrorKind::BrokenPipeError, Some(32)));
    page.close(s).await;

    // The session goes on.
    let t = page.socket().await;
    page.connect(t, relay.hello).await;
    assert_eq!(page.recv(t, 1024).await, "Welcome!");
}

#[tokio::test]
async fn a_half_closed_target_gives_eof_and_still_reads_what_the_page_sends() {
    let relay = TestRelay::start(&[]).await;
    let (mut page, s, mut server) = connected_to_the_test(&relay).await;

    server.write_all(b"partial answer").unwrap();
    server.shutdown(Shutdown::Write).unwrap();

    assert_eq!(page.recv_exactly(s, 14).await, b"partial answer");
    assert_eq!(page.recv(s, 1024).await, "", "the target's FIN: recv returns b''");
    assert_eq!(page.recv(s, 1024).await, "", "and keeps returning b''");

    // Only the target's side is closed: what the page sends still arrives.
    assert_eq!(page.send(s, b"still here").await, 10);
    let mut heard = [0u8; 10];
    server.read_exact(&mut heard).unwrap();
    assert_eq!(&heard, b"still here");
    assert_eq!(page.send(s, b"and here").await, 8);
    let mut heard = [0u8; 8];
    server.read_exact(&mut heard).unwrap();
    assert_eq!(&heard, b"and here");

    // Closing the page's side ends the conversation: the target reads EOF.
    page.close(s).await;
    assert_eq!(server.read(&mut [0u8; 16]).unwrap(), 0);
}

#[tokio::test]
async fn a_target_that_stalls_mid_stream_times_out_recv_all_and_the_socket_goes_on() {
    for max in [4, BOTH_PATHS[1]] {
        stall_mid_stream(max).await;
    }
}

async fn stall_mid_stream(max: u32) {
    let relay = TestRelay::start(&["--idle-timeout", "300"]).await;
    let (mut page, s, mut server) = connected_to_the_test(&relay).await;

    server.write_all(b"the first part").unwrap();
    let re = page.request(Op::RecvAll { socket: s, max }, b"").await;
    let mut got = Vec::new();
    let last = chunks_until_final(&mut page, re, &mut got).await;
    assert_eq!(got, b"the first part", "what came before the stall");
    let (kind, errno, message) = expect_error(common::Answer::new(last));
    assert_eq!((kind, errno, message.as_str()), (ErrorKind::TimeoutError, None, "timed out"));

    // The connection was not harmed: both directions still work.
    server.write_all(b"the rest").unwrap();
    assert_eq!(page.recv_exactly(s, 8).await, b"the rest");
    assert_eq!(page.send(s, b"thanks").await, 6);
    let mut heard = [0u8; 6];
    server.read_exact(&mut heard).unwrap();
    assert_eq!(&heard, b"thanks");
    page.close(s).await;
}

#[tokio::test]
async fn a_target_that_hangs_up_at_once_drains_nothing() {
    for max in BOTH_PATHS {
        hang_up_at_once(max).await;
    }
}

async fn hang_up_at_once(max: u32) {
    let relay = TestRelay::start(&[]).await;
    let (mut page, s, server) = connected_to_the_test(&relay).await;
    drop(server);

    let streamed = page.recv_all(s, max).await;
    assert!(streamed.chunks.is_empty(), "{} chunks from a silent target", streamed.chunks.len());
    assert_eq!(streamed.drained, (0, 0));
    assert_eq!(page.recv(s, 1024).await, "");
    page.close(s).await;
}

/// A target that stops reading: the kernel's buffers fill, so a `send`
/// takes fewer bytes than offered (one write, as in Python), and the next
/// ones wait for room, in turn. Once the target reads again, each is
/// answered in order with what it wrote, and those bytes arrive in order.
#[tokio::test]
async fn sends_to_a_target_that_stops_reading_wait_their_turn() {
    let relay = TestRelay::start(&["--max-session-bytes", "1000000000"]).await;
    let (mut page, s, mut server) = connected_to_the_test(&relay).await;
    let block = pattern(3, 1 << 20);
    let mut expected = Vec::new();
    loop {
        let n = page.send(s, &block).await as usize;
        expected.extend_from_slice(&block[..n]);
        if n < block.len() {
            break; // the buffers are full
        }
        assert!(expected.len() < 1 << 30, "the kernel took 1 GiB without the target reading");
    }

    let (first, second) = (pattern(4, 1000), pattern(5, 2000));
    let first_re = page.request(Op::Send { socket: s }, &first).await;
    let second_re = page.request(Op::Send { socket: s }, &second).await;
    let early = tokio::time::timeout(Duration::from_millis(200), page.next()).await;
    assert!(early.is_err(), "a send answered while the buffers are full: {early:?}");

    let reading = tokio::task::spawn_blocking(move || {
        let mut got = Vec::new();
        server.read_to_end(&mut got).unwrap();
        got
    });
    let mut sent_in_turn = Vec::new();
    for (re, data) in [(first_re, &first), (second_re, &second)] {
        let answer = page.next().await;
        let RelayMessage::Sent { re: answered, bytes, .. } = answer.message else {
            panic!("expected `sent`, got {answer:?}")
        };
        assert_eq!(answered, re, "answered in the order they were made");
        sent_in_turn.extend_from_slice(&data[..bytes as usize]);
    }
    expected.extend_from_slice(&sent_in_turn);
    page.close(s).await;
    let got = reading.await.unwrap();
    assert_eq!(got.len(), expected.len());
    assert!(got == expected, "every byte written, in the order written");
}
