//! The WebSocket itself, below the protocol: the handshake as a client
//! without a WebSocket library makes it, and the frames the protocol does
//! not use (ping and pong), which the relay must still answer.

mod common;

use std::time::Duration;

use common::{Page, TestRelay};
use futures_util::{SinkExt, StreamExt};
use protocol::{Family, Frame, RelayMessage};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::Role;

/// A page's ping is answered with a pong carrying the same bytes, in among
/// the relay's own frames, and the session goes on.
#[tokio::test]
async fn a_ping_gets_its_pong_and_the_session_goes_on() {
    let relay = TestRelay::start(&[]).await;
    let (mut ws, _) = tokio_tungstenite::connect_async(relay.ws_url()).await.unwrap();
    let welcome = ws.next().await.unwrap().unwrap();
    assert!(matches!(welcome, Message::Text(_)), "{welcome:?}");
    ws.send(Message::Ping(b"are you there?".to_vec().into())).await.unwrap();
    match ws.next().await {
        Some(Ok(Message::Pong(payload))) => assert_eq!(&payload[..], b"are you there?"),
        other => panic!("expected the pong, got {other:?}"),
    }
    drop(ws);
    let (mut page, s) = Page::connected_to_hello(&relay).await;
    assert_eq!(page.recv(s, 1024).await, "Welcome!");
}

/// A client may send its first frame right behind the upgrade request, in
/// the same TCP segment; the HTTP server has then read it already, and the
/// relay must take it from there rather than lose it.
#[tokio::test]
async fn a_request_sent_with_the_upgrade_is_answered() {
    let relay = TestRelay::start(&[]).await;
    let mut tcp = TcpStream::connect(relay.http).await.unwrap();
    let handshake = format!(
        "GET /ws HTTP/1.1\r\nHost: {}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\
         Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n",
        relay.http
    );
    let request = br#"{"id":1,"op":"socket","family":"AF_INET"}"#;
    let mut bytes = handshake.into_bytes();
    bytes.extend_from_slice(&masked_text_frame(request));
    tcp.write_all(&bytes).await.unwrap();

    let (head, rest) = read_response_head(&mut tcp).await;
    assert!(head.starts_with("HTTP/1.1 101"), "{head}");
    assert!(
        head.to_ascii_lowercase().contains("sec-websocket-accept: s3pplmbitxaq9kygzzhzrbk+xoo="),
        "{head}"
    );
    let mut ws = WebSocketStream::from_partially_read(tcp, rest, Role::Client, None).await;
    let mut messages = Vec::new();
    for _ in 0..2 {
        let next = tokio::time::timeout(Duration::from_secs(5), ws.next()).await;
        let Ok(Some(Ok(Message::Text(text)))) = next else {
            panic!("expected two text frames, got {next:?}")
        };
        messages.push(Frame::<RelayMessage>::decode_text(&text).unwrap().message);
    }
    assert!(matches!(messages[0], RelayMessage::Welcome { .. }), "{:?}", messages[0]);
    assert_eq!(messages[1], RelayMessage::Created { re: 1, socket: 1, family: Family::Inet });
}

/// A text frame as a client must send it: masked (RFC 6455, section 5.3).
fn masked_text_frame(payload: &[u8]) -> Vec<u8> {
    assert!(payload.len() < 126, "a short frame");
    let mask = [0x37, 0xfa, 0x21, 0x3d];
    let mut frame = vec![0x81, 0x80 | payload.len() as u8];
    frame.extend_from_slice(&mask);
    frame.extend(payload.iter().enumerate().map(|(i, byte)| byte ^ mask[i % 4]));
    frame
}

/// Reads the HTTP response's head; returns it and whatever came after it.
async fn read_response_head(tcp: &mut TcpStream) -> (String, Vec<u8>) {
    let mut read = Vec::new();
    loop {
        let mut buffer = [0u8; 4096];
        let n = tcp.read(&mut buffer).await.unwrap();
        assert!(n > 0, "the relay closed before answering: {:?}", String::from_utf8_lossy(&read));
        read.extend_from_slice(&buffer[..n]);
        if let Some(end) = read.windows(4).position(|window| window == b"\r\n\r\n") {
            let rest = read.split_off(end + 4);
            return (String::from_utf8(read).unwrap(), rest);
        }
    }
}
