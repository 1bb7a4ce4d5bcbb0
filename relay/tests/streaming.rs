//! `recv_all`: receiving until the peer closes, streamed chunk by chunk.

mod common;

use std::io::Write;
use std::net::TcpListener;

use common::{Page, TestRelay};
use protocol::{Op, SocketId};

/// A page connected to a TCP server that sends `data` in pieces, then closes.
async fn page_connected_to_a_server_sending(relay: &TestRelay, data: &[u8]) -> (Page, SocketId) {
    let server = one_shot_server(data.to_vec());
    let mut page = Page::open(relay).await;
    let s = page.socket().await;
    page.connect(s, server).await;
    (page, s)
}

/// A TCP server that sends `data` in pieces to its first client, then closes.
fn one_shot_server(data: Vec<u8>) -> std::net::SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        let (mut client, _) = listener.accept().unwrap();
        for piece in data.chunks(7000) {
            client.write_all(piece).unwrap();
        }
    });
    addr
}

#[tokio::test]
async fn recv_all_streams_every_byte_and_counts_the_reads() {
    let data: Vec<u8> = (0..300_000u32).map(|i| (i * 7 % 251) as u8).collect();
    let relay = TestRelay::start(&[]).await;
    let (mut page, s) = page_connected_to_a_server_sending(&relay, &data).await;

    let streamed = page.recv_all(s, 1024).await;
    let chunk_count = streamed.chunks.len() as u64;
    let (chunks, bytes) = streamed.drained;
    assert_eq!(streamed.concat(), data, "every byte, in order");
    assert_eq!(chunks, chunk_count, "one chunk message per read");
    assert_eq!(bytes, data.len() as u64);
    assert!(chunk_count >= 293, "1024-byte reads of 300000 bytes: {chunk_count}");
    page.close(s).await;
}

/// A large `max` takes the other road on Linux: each read is spliced from
/// the socket into a pipe and from the pipe into the WebSocket, never
/// copied into the relay (see `websocket::pipe`). What the page gets is the
/// same: every byte, in chunks of at most `max`, and the totals.
#[tokio::test]
async fn recv_all_with_a_large_max_streams_every_byte_in_reads_of_at_most_max() {
    const MAX: u32 = 128 * 1024;
    let data: Vec<u8> = (0..5_000_000u32).map(|i| (i * 13 % 251) as u8).collect();
    let relay = TestRelay::start(&[]).await;
    let (mut page, s) = page_connected_to_a_server_sending(&relay, &data).await;

    let streamed = page.recv_all(s, MAX).await;
    assert_eq!(streamed.concat(), data, "every byte, in order");
    assert!(streamed.chunks.iter().all(|chunk| !chunk.is_empty() && chunk.len() <= MAX as usize));
    assert_eq!(streamed.drained, (streamed.chunks.len() as u64, data.len() as u64));
    assert!(streamed.chunks.len() >= data.len().div_ceil(MAX as usize));

    // The socket and the session go on as before.
    assert_eq!(page.recv(s, 1024).await, "", "the server has closed");
    page.close(s).await;
    let (mut page, t) = Page::connected_to_hello(&relay).await;
    assert_eq!(page.recv(t, 1024).await, "Welcome!");
}

#[tokio::test]
async fn recv_all_needs_room_for_at_least_one_byte() {
    let relay = TestRelay::start(&[]).await;
    let (mut page, s) = Page::connected_to_hello(&relay).await;
    let (kind, _, _) = page.fails(Op::RecvAll { socket: s, max: 0 }, b"").await;
    assert_eq!(kind, protocol::ErrorKind::ProtocolError);
}
