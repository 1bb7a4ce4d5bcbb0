//! The limits on what one page, and one client, may ask of the relay. Each
//! is answered with a `LimitError` that says which limit and why, and the
//! session goes on working where it can. (The limits on payload size and
//! sockets per session are in errors.rs.)

mod common;

use std::time::Duration;

use common::{Page, TestRelay};
use futures_util::StreamExt;
use protocol::{ErrorKind, Family, Frame, Op, RelayMessage};
use tokio_tungstenite::tungstenite::Message;

#[tokio::test]
async fn a_page_faster_than_the_rate_is_told_to_wait() {
    let relay = TestRelay::start(&["--max-ops-per-second", "5"]).await;
    let mut page = Page::open(&relay).await;
    for _ in 0..5 {
        page.socket().await;
    }
    let (kind, _, message) = page.fails(Op::Close { socket: 1 }, b"").await;
    assert_eq!(kind, ErrorKind::LimitError);
    assert!(message.contains("more than 5 requests per second"), "{message}");
    // A token comes back every 200 ms.
    tokio::time::sleep(Duration::from_millis(300)).await;
    page.close(1).await;
}

#[tokio::test]
async fn a_session_moves_at_most_its_bytes_and_loses_none() {
    let relay = TestRelay::start(&["--max-session-bytes", "100"]).await;
    let (mut page, s) = Page::connected_to_hello(&relay).await;
    assert_eq!(page.recv(s, 1024).await, "Welcome!"); // 8 bytes moved
    page.send(s, &[b'a'; 40]).await; // 48
    let reply = page.recv_exactly(s, 47).await; // 95
    assert_eq!(reply, [&b"Hello,"[..], &[b'a'; 40], b"!"].concat());

    let (kind, _, message) = page.fails(Op::Send { socket: s }, &[b'b'; 10]).await;
    assert_eq!(kind, ErrorKind::LimitError, "a send is refused whole, never cut");
    assert!(message.contains("moved 95 of the 100 bytes"), "{message}");
    assert_eq!(page.send(s, b"bbbbb").await, 5); // 100: the last bytes allowed
    let (kind, _, message) = page.fails(Op::Recv { socket: s, max: 1024 }, b"").await;
    assert_eq!(kind, ErrorKind::LimitError);
    assert!(message.contains("moved 100 of the 100 bytes"), "{message}");
    page.close(s).await;
}

/// A stream spliced through a pipe (a large `max`) spends from the same
/// budget, read by read, and stops at the limit with every byte delivered.
#[tokio::test]
async fn a_spliced_stream_stops_at_the_session_limit_with_every_byte_delivered() {
    let relay = TestRelay::start(&["--max-session-bytes", "100000"]).await;
    let (mut page, s, mut server) = common::targets::connected_to_the_test(&relay).await;
    let data: Vec<u8> = (0..150_000u32).map(|i| (i % 241) as u8).collect();
    std::thread::spawn(move || {
        use std::io::Write;
        let _ = server.write_all(&data);
    });
    let re = page.request(Op::RecvAll { socket: s, max: 256 * 1024 }, b"").await;
    let mut got = Vec::new();
    let error = loop {
        let answer = page.about(re).await;
        match answer.message {
            RelayMessage::Chunk { .. } => got.extend_from_slice(&answer.payload),
            RelayMessage::Error { error, .. } => break error,
            other => panic!("expected chunks, then the limit, got {other:?}"),
        }
    };
    assert_eq!(error.kind, ErrorKind::LimitError, "{error}");
    assert_eq!(got.len(), 100_000, "exactly the budget, not a byte dropped");
    assert_eq!(got, (0..100_000u32).map(|i| (i % 241) as u8).collect::<Vec<_>>());
    page.close(s).await;
}

/// The relay's first message on a new WebSocket.
async fn first_message(relay: &TestRelay) -> (WebSocket, RelayMessage) {
    let (mut ws, _) = tokio_tungstenite::connect_async(relay.ws_url()).await.unwrap();
    let frame = match ws.next().await {
        Some(Ok(Message::Text(text))) => Frame::decode_text(&text),
        Some(Ok(Message::Binary(bytes))) => Frame::decode_binary(bytes),
        other => panic!("expected a message, got {other:?}"),
    };
    (ws, frame.expect("well-formed").message)
}

type WebSocket = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// Opens a WebSocket that the relay turns away; returns its error message
/// and the close frame's code.
async fn turned_away(relay: &TestRelay) -> (String, u16) {
    let (mut ws, error) = match first_message(relay).await {
        (ws, RelayMessage::Error { re: None, error, .. }) => (ws, error),
        (_, other) => panic!("expected an error for no request, got {other:?}"),
    };
    assert_eq!(error.kind, ErrorKind::LimitError);
    match ws.next().await {
        Some(Ok(Message::Close(Some(frame)))) => (error.message, frame.code.into()),
        other => panic!("expected a close frame, got {other:?}"),
    }
}

#[tokio::test]
async fn one_client_address_may_hold_only_so_many_sessions() {
    let relay = TestRelay::start(&["--max-sessions-per-client", "2"]).await;
    let first = Page::open(&relay).await;
    let _second = Page::open(&relay).await;
    let (message, code) = turned_away(&relay).await;
    assert!(message.contains("127.0.0.1 already has 2 sessions open"), "{message}");
    assert_eq!(code, 1013, "try again later");

    drop(first);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    loop {
        if let (_, RelayMessage::Welcome { .. }) = first_message(&relay).await {
            break; // the closed page's place was given back
        }
        assert!(tokio::time::Instant::now() < deadline, "the place never came back");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn the_relay_serves_only_so_many_sessions_in_all() {
    let relay = TestRelay::start(&["--max-sessions", "1"]).await;
    let mut only = Page::open(&relay).await;
    let (message, _) = turned_away(&relay).await;
    assert!(message.contains("serving 1 sessions"), "{message}");
    // The session that was admitted goes on working.
    let answer = only.call(Op::Socket { family: Family::Inet }, b"").await;
    assert!(matches!(answer.message, RelayMessage::Created { .. }), "{answer:?}");
}
