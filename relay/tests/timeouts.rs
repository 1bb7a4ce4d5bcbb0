//! When the network does not answer, or answers with a reset.
//!
//! A socket call may wait forever for a peer that never speaks. The relay
//! gives each call a time limit, as Python's `s.settimeout(...)` does: a
//! `connect` that gets no answer, or a `recv` that gets no data, fails with
//! `TimeoutError: timed out` instead of hanging, and the socket and the
//! session go on. A peer that aborts the connection sends a RST instead of
//! a FIN; the next `recv` raises `ConnectionResetError: [Errno 104]`.
//!
//! Each test plays the server itself, with a listener it controls.

mod common;

use std::io::Read;

use std::time::{Duration, Instant};

use common::targets::{black_hole, connected_to_the_test};
use common::{Page, TestRelay};
use protocol::{ErrorKind, Op};
use socket2::SockRef;

/// The relay's limit in these tests, for both `connect` and `recv`.
const LIMIT: Duration = Duration::from_millis(300);

async fn relay_with_short_limits() -> TestRelay {
    let ms = LIMIT.as_millis().to_string();
    TestRelay::start(&["--idle-timeout", &ms, "--connect-timeout", &ms]).await
}

/// Makes the call `op`, which must fail with `TimeoutError: timed out`
/// once the limit has passed, not before and not much later.
async fn times_out(page: &mut Page, op: Op) {
    let started = Instant::now();
    let (kind, errno, message) = page.fails(op, b"").await;
    let waited = started.elapsed();
    assert_eq!((kind, errno, message.as_str()), (ErrorKind::TimeoutError, None, "timed out"));
    assert!(waited >= LIMIT, "gave up after {waited:?}, before the limit");
    assert!(waited < LIMIT + Duration::from_secs(3), "gave up only after {waited:?}");
}

#[tokio::test]
async fn recv_from_a_silent_server_times_out_and_the_socket_goes_on() {
    let relay = relay_with_short_limits().await;
    let (mut page, s, mut server) = connected_to_the_test(&relay).await;

    times_out(&mut page, Op::Recv { socket: s, max: 1024 }).await;

    // As with Python's settimeout, the socket is still connected: data that
    // comes later is there for the next recv.
    std::io::Write::write_all(&mut server, b"late").unwrap();
    assert_eq!(page.recv(s, 1024).await, "late");
    // And the session takes new sockets.
    let (mut page, hello) = Page::connected_to_hello(&relay).await;
    assert_eq!(page.recv(hello, 1024).await, "Welcome!");
}

/// On Linux, a listener whose accept queue is full drops new SYNs: the
/// client hears nothing and retransmits (after 1 s, 3 s, ...) until its
/// `connect` gives up.
#[tokio::test]
async fn connect_to_a_server_whose_queue_is_full_times_out() {
    let relay = relay_with_short_limits().await;
    let (addr, listener, _queued) = black_hole();

    let mut page = Page::open(&relay).await;
    let s = page.socket().await;
    let op = Op::Connect { socket: s, host: addr.ip().to_string(), port: addr.port() };
    times_out(&mut page, op).await;

    // Once the server accepts, there is room again, and the same socket may try again.
    let (first, _) = listener.accept().unwrap();
    drop(first);
    page.connect(s, addr).await;
}

#[tokio::test]
async fn a_reset_from_the_server_is_connection_reset_error() {
    let relay = relay_with_short_limits().await;
    let (mut page, s, mut server) = connected_to_the_test(&relay).await;

    assert_eq!(page.send(s, b"Michael").await, 7);
    let mut got = [0u8; 7];
    server.read_exact(&mut got).unwrap();
    assert_eq!(&got, b"Michael");
    // SO_LINGER with a zero timeout: close aborts the connection with a RST
    // rather than ending it with a FIN.
    SockRef::from(&server).set_linger(Some(Duration::ZERO)).unwrap();
    drop(server);

    let (kind, errno, message) = page.fails(Op::Recv { socket: s, max: 1024 }, b"").await;
    assert_eq!(kind, ErrorKind::ConnectionResetError);
    assert_eq!(errno, Some(104));
    assert_eq!(message, "[Errno 104] Connection reset by peer");
}
