//! `recv_all`: receiving until the peer closes, streamed chunk by chunk.

mod common;

use std::io::Write;
use std::net::TcpListener;

use common::{Page, TestRelay};
use protocol::Op;

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
    let server = one_shot_server(data.clone());
    let relay = TestRelay::start(&[]).await;
    let mut page = Page::open(&relay).await;
    let s = page.socket().await;
    page.connect(s, server).await;

    let streamed = page.recv_all(s, 1024).await;
    let chunk_count = streamed.chunks.len() as u64;
    let (chunks, bytes) = streamed.drained;
    assert_eq!(streamed.concat(), data, "every byte, in order");
    assert_eq!(chunks, chunk_count, "one chunk message per read");
    assert_eq!(bytes, data.len() as u64);
    assert!(chunk_count >= 293, "1024-byte reads of 300000 bytes: {chunk_count}");
    page.close(s).await;
}

#[tokio::test]
async fn recv_all_needs_room_for_at_least_one_byte() {
    let relay = TestRelay::start(&[]).await;
    let (mut page, s) = Page::connected_to_hello(&relay).await;
    let (kind, _, _) = page.fails(Op::RecvAll { socket: s, max: 0 }, b"").await;
    assert_eq!(kind, protocol::ErrorKind::ProtocolError);
}
