//! How fast bulk data comes through the relay, next to reading it directly.
//!
//! ```text
//! cargo bench -p relay --bench bulk            # 100 MiB
//! cargo bench -p relay --bench bulk -- 20      # 20 MiB (or BULK_MIB=20)
//! ```
//!
//! A loopback TCP server sends N MiB, then closes. The same data is read
//! twice, each time from a fresh connection:
//!
//! * **direct**: a tokio `TcpStream` reads until the end of the stream;
//! * **relay**: a page's session, over a real WebSocket, asks a relay to
//!   connect and `recv_all`; the relay streams each read as a `chunk` frame
//!   and the bench counts their payload bytes until `drained`.
//!
//! Both read at most 64 KiB at a time (`BULK_READ` changes it; 1024 is the
//! tutorial's `recv(1024)`). The figures are printed, not checked: this is a
//! measurement, not a test.

use std::io::Write;
use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::time::{Duration, Instant};

use bytes::Bytes;
use clap::Parser;
use futures_util::{SinkExt, StreamExt};
use protocol::{Frame, Op, RelayMessage, Request, WireFrame};
use relay::{Config, Relay};
use tokio::io::AsyncReadExt;
use tokio_tungstenite::tungstenite::Message;

const MIB: usize = 1 << 20;

fn main() {
    let mib: usize = std::env::args()
        .skip(1)
        .find(|arg| !arg.starts_with('-'))
        .or_else(|| std::env::var("BULK_MIB").ok())
        .map_or(100, |n| n.parse().expect("the size is a whole number of MiB"));
    let read: u32 =
        std::env::var("BULK_READ").map_or(64 * 1024, |n| n.parse().expect("BULK_READ is a byte count"));
    let total = mib * MIB;
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let direct = runtime.block_on(direct(sender(total), read as usize));
    let relayed = runtime.block_on(relayed(sender(total), read));
    for (bytes, _) in [direct, relayed] {
        assert_eq!(bytes, total as u64, "every byte arrived");
    }
    let rate = |elapsed: Duration| total as f64 / MIB as f64 / elapsed.as_secs_f64();
    println!("{mib} MiB over loopback, reads of at most {read} bytes:");
    println!("  direct TCP read        {:>9.1} MiB/s  ({:.2?})", rate(direct.1), direct.1);
    println!("  relay, recv_all over WS {:>8.1} MiB/s  ({:.2?})", rate(relayed.1), relayed.1);
    println!("  relay / direct         {:>9.2}", rate(relayed.1) / rate(direct.1));
}

/// A server that sends `total` bytes to its first client, then closes.
fn sender(total: usize) -> SocketAddr {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        let (mut client, _) = listener.accept().unwrap();
        let block: Vec<u8> = (0..MIB).map(|i| (i % 251) as u8).collect();
        for _ in 0..total / MIB {
            client.write_all(&block).unwrap();
        }
    });
    addr
}

/// Reads everything from `server`; returns the byte count and the time taken.
async fn direct(server: SocketAddr, read: usize) -> (u64, Duration) {
    let started = Instant::now();
    let mut stream = tokio::net::TcpStream::connect(server).await.unwrap();
    let (mut buffer, mut bytes) = (vec![0u8; read], 0u64);
    loop {
        match stream.read(&mut buffer).await.unwrap() {
            0 => return (bytes, started.elapsed()),
            n => bytes += n as u64,
        }
    }
}

/// Reads everything from `server` through a relay; returns the byte count
/// and the time taken from the `socket` request to `drained`.
async fn relayed(server: SocketAddr, read: u32) -> (u64, Duration) {
    let config = Config::parse_from([
        "relay",
        "--listen",
        "127.0.0.1:0",
        "--hello",
        "127.0.0.1:0",
        "--hello-single",
        "127.0.0.1:0",
        "--allow",
        "127.0.0.1",
        "--ports",
        "any",
    ]);
    let relay = Relay::bind(&config).await.unwrap();
    let url = format!("ws://{}/ws", relay.http_addr());
    tokio::spawn(relay.serve(std::future::pending()));
    let (mut ws, _) = tokio_tungstenite::connect_async(url).await.unwrap();
    assert!(matches!(next(&mut ws).await.message, RelayMessage::Welcome { .. }));

    let started = Instant::now();
    let requests = [
        Op::Socket { family: protocol::Family::Inet },
        Op::Connect { socket: 1, host: server.ip().to_string(), port: server.port() },
        Op::RecvAll { socket: 1, max: read },
    ];
    let mut bytes = 0u64;
    for (id, op) in (1..).zip(requests) {
        let WireFrame::Text(text) = Frame::with_payload(Request { id, op }, Bytes::new()).encode() else {
            unreachable!("requests without a payload travel as text")
        };
        ws.send(Message::Text(text.into())).await.unwrap();
        loop {
            let answer = next(&mut ws).await;
            match answer.message {
                RelayMessage::Chunk { .. } => bytes += answer.payload.len() as u64,
                RelayMessage::Drained { bytes: drained, .. } => {
                    assert_eq!(drained, bytes);
                    return (bytes, started.elapsed());
                }
                RelayMessage::Error { error, .. } => panic!("{error}"),
                message if message.is_final() => break,
                _ => {}
            }
        }
    }
    unreachable!("recv_all ends with drained")
}

type WebSocket = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// The relay's next message.
async fn next(ws: &mut WebSocket) -> Frame<RelayMessage> {
    loop {
        let frame = match ws.next().await.unwrap().unwrap() {
            Message::Text(text) => Frame::decode_text(&text),
            Message::Binary(bytes) => Frame::decode_binary(bytes),
            _ => continue,
        };
        return frame.unwrap();
    }
}
