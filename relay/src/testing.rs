//! Helpers for the relay's unit tests: real connections on loopback, and
//! the frames a page would read from one.

use std::io::Cursor;

use tokio::net::{TcpListener, TcpStream};
use tokio_tungstenite::tungstenite::protocol::frame::FrameHeader;

/// Both ends of a new TCP connection on loopback: (connecting, accepted).
pub async fn tcp_pair() -> (TcpStream, TcpStream) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let connecting = TcpStream::connect(listener.local_addr().unwrap()).await.unwrap();
    let (accepted, _) = listener.accept().await.unwrap();
    (connecting, accepted)
}

/// The WebSocket frames in `wire`, each header with its payload, and what
/// follows the last whole frame.
pub fn frames(wire: &[u8]) -> (Vec<(FrameHeader, &[u8])>, &[u8]) {
    let mut cursor = Cursor::new(wire);
    let (mut frames, mut end) = (Vec::new(), 0);
    while let Ok(Some((header, len))) = FrameHeader::parse(&mut cursor) {
        let start = cursor.position() as usize;
        let Some(payload) = wire.get(start..start + len as usize) else { break };
        frames.push((header, payload));
        end = start + payload.len();
        cursor.set_position(end as u64);
    }
    (frames, &wire[end..])
}
