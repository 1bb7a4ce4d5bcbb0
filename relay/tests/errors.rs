//! Errors are data: each failure comes back as the exception Python would
//! raise (or a relay error for a malformed request), addressed to the request
//! that caused it, and the session keeps working afterwards.

mod common;

use bytes::Bytes;
use common::{Page, TestRelay, expect_error};
use protocol::{ErrorKind, Family, Op, RelayMessage, WireFrame};

/// An address on which nothing listens: bound, then released.
fn closed_port() -> std::net::SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap()
}

#[tokio::test]
async fn connection_refused_then_the_socket_can_try_again() {
    let relay = TestRelay::start(&[]).await;
    let mut page = Page::open(&relay).await;
    let s = page.socket().await;
    let nobody = closed_port();
    let op = Op::Connect { socket: s, host: "127.0.0.1".into(), port: nobody.port() };
    let (kind, errno, message) = page.fails(op, b"").await;
    assert_eq!(kind, ErrorKind::ConnectionRefusedError);
    assert_eq!(errno, Some(111));
    assert_eq!(message, "[Errno 111] Connection refused");

    // As on Linux, a socket whose connect failed may connect again.
    page.connect(s, relay.hello).await;
    assert_eq!(page.recv(s, 1024).await, "Welcome!");
}

#[tokio::test]
async fn name_resolution_is_shown_and_its_failure_is_gaierror() {
    let relay = TestRelay::start(&[]).await;
    let mut page = Page::open(&relay).await;
    let s = page.socket().await;

    let re = page
        .request(Op::Connect { socket: s, host: "localhost".into(), port: relay.hello.port() }, b"")
        .await;
    let RelayMessage::Resolved { host, addresses, .. } = page.about(re).await.message else {
        panic!("connect first reports what the name resolved to")
    };
    assert_eq!(host, "localhost");
    assert!(addresses.contains(&"127.0.0.1".parse().unwrap()), "{addresses:?}");
    assert!(matches!(page.final_answer(re).await.message, RelayMessage::Connected { .. }));

    let t = page.socket().await;
    let op = Op::Connect { socket: t, host: "no-such-host.invalid".into(), port: 80 };
    let (kind, errno, _) = page.fails(op, b"").await;
    assert_eq!(kind, ErrorKind::Gaierror);
    assert!(errno.is_some_and(|code| code < 0), "getaddrinfo's codes are negative: {errno:?}");
}

#[tokio::test]
async fn calls_on_a_socket_that_is_not_connected_fail_as_the_kernel_says() {
    let relay = TestRelay::start(&[]).await;
    let mut page = Page::open(&relay).await;
    let s = page.socket().await;
    let (kind, errno, _) = page.fails(Op::Recv { socket: s, max: 1024 }, b"").await;
    assert_eq!((kind, errno), (ErrorKind::OSError, Some(107)), "ENOTCONN");
    let (kind, errno, _) = page.fails(Op::Send { socket: s }, b"hi").await;
    assert_eq!((kind, errno), (ErrorKind::BrokenPipeError, Some(32)), "EPIPE");
}

#[tokio::test]
async fn a_closed_socket_is_a_bad_file_descriptor() {
    let relay = TestRelay::start(&[]).await;
    let (mut page, s) = Page::connected_to_hello(&relay).await;
    page.close(s).await;
    for op in [Op::Send { socket: s }, Op::Recv { socket: s, max: 10 }, Op::Close { socket: s }] {
        let (kind, errno, message) = page.fails(op, b"x").await;
        assert_eq!((kind, errno), (ErrorKind::OSError, Some(9)));
        assert_eq!(message, "[Errno 9] Bad file descriptor");
    }
    let op = Op::Connect { socket: s, host: "127.0.0.1".into(), port: relay.hello.port() };
    assert_eq!(page.fails(op, b"").await.1, Some(9));
}

#[tokio::test]
async fn connecting_twice_is_eisconn() {
    let relay = TestRelay::start(&[]).await;
    let (mut page, s) = Page::connected_to_hello(&relay).await;
    let op = Op::Connect { socket: s, host: "127.0.0.1".into(), port: relay.hello.port() };
    let (kind, errno, _) = page.fails(op, b"").await;
    assert_eq!((kind, errno), (ErrorKind::OSError, Some(106)));
}

#[tokio::test]
async fn close_answers_a_recv_that_was_waiting() {
    let relay = TestRelay::start(&[]).await;
    let (mut page, s) = Page::connected_to_hello(&relay).await;
    assert_eq!(page.recv(s, 1024).await, "Welcome!");
    // The server says nothing more until we speak: this recv waits.
    let waiting = page.request(Op::Recv { socket: s, max: 1024 }, b"").await;
    page.close(s).await;
    let (kind, errno, _) = expect_error(page.final_answer(waiting).await);
    assert_eq!((kind, errno), (ErrorKind::OSError, Some(9)));
}

#[tokio::test]
async fn malformed_requests_get_protocol_errors_and_the_session_goes_on() {
    let relay = TestRelay::start(&[]).await;
    let mut page = Page::open(&relay).await;
    let broken = [
        WireFrame::Text("this is not json".into()),
        WireFrame::Text(r#"{"id":41,"op":"fly"}"#.into()),
        WireFrame::Text(r#"{"id":42,"op":"recv","socket":"one","max":5}"#.into()),
        WireFrame::Text(r#"{"id":43,"op":"send","socket":1}"#.into()),
        WireFrame::Binary(Bytes::from_static(&[0, 0, 0, 200, b'{'])),
        WireFrame::Binary(Bytes::from_static(b"\0\0\0\x17{\"id\":44,\"op\":\"socket\"}")),
    ];
    let expected_re = [None, Some(41), Some(42), Some(43), None, Some(44)];
    for (frame, re) in broken.into_iter().zip(expected_re) {
        page.send_wire(frame).await;
        match page.next().await.message {
            RelayMessage::Error { re: got, error, .. } => {
                assert_eq!(got, re, "{error:?}");
                assert_eq!(error.kind, ErrorKind::ProtocolError);
            }
            other => panic!("expected an error, got {other:?}"),
        }
    }
    let (kind, _, message) = page.fails(Op::Close { socket: 77 }, b"").await;
    assert_eq!(kind, ErrorKind::ProtocolError);
    assert!(message.contains("no socket 77"), "{message}");
    let op = Op::Connect { socket: page.socket().await, host: "bad host\n".into(), port: 80 };
    assert_eq!(page.fails(op, b"").await.0, ErrorKind::ProtocolError);

    // Still a working session.
    let s = page.socket().await;
    page.connect(s, relay.hello).await;
    assert_eq!(page.recv(s, 1024).await, "Welcome!");
}

#[tokio::test]
async fn limits_answer_with_limit_errors() {
    let relay = TestRelay::start(&["--max-payload", "1000", "--max-sockets", "2"]).await;
    let (mut page, s) = Page::connected_to_hello(&relay).await;
    let (kind, _, message) = page.fails(Op::Send { socket: s }, &[b'x'; 1001]).await;
    assert_eq!(kind, ErrorKind::LimitError);
    assert!(message.contains("1001 bytes"), "{message}");
    assert_eq!(page.fails(Op::Recv { socket: s, max: 1001 }, b"").await.0, ErrorKind::LimitError);

    page.socket().await;
    assert_eq!(page.fails(Op::Socket { family: Family::Inet }, b"").await.0, ErrorKind::LimitError);
    // Closing one makes room again.
    page.close(s).await;
    page.socket().await;
}
