//! Servers the tests play themselves, for the relay to connect to.

use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::time::Duration;

use protocol::SocketId;
use socket2::{Domain, Socket, Type};

use super::{Page, TestRelay};

/// How long the test's own blocking reads may wait before the test fails.
pub const READ_PATIENCE: Duration = Duration::from_secs(10);

/// A page with a socket connected to a server the test plays: the page,
/// its socket, and the server's end of the connection.
pub async fn connected_to_the_test(relay: &TestRelay) -> (Page, SocketId, TcpStream) {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    let mut page = Page::open(relay).await;
    let s = page.socket().await;
    page.connect(s, listener.local_addr().unwrap()).await;
    // The handshake is done: the connection waits in the queue, so this returns at once.
    let (server, _) = listener.accept().unwrap();
    server.set_read_timeout(Some(READ_PATIENCE)).unwrap();
    // Every write goes out at once, rather than waiting for an ACK (Nagle).
    server.set_nodelay(true).unwrap();
    (page, s, server)
}

/// A listener whose accept queue is full, so that a `connect` to it never
/// completes (Linux drops the SYN): its address, the listener, and the
/// connections that fill its queue. Accepting one makes room again.
pub fn black_hole() -> (SocketAddr, Socket, Vec<TcpStream>) {
    let listener = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
    listener.bind(&SocketAddr::from((Ipv4Addr::LOCALHOST, 0)).into()).unwrap();
    listener.listen(0).unwrap();
    let addr = listener.local_addr().unwrap().as_socket().unwrap();
    let mut queued = Vec::new();
    while let Ok(stream) = TcpStream::connect_timeout(&addr, Duration::from_millis(200)) {
        queued.push(stream);
        assert!(queued.len() < 10, "the queue of a listen(0) socket never filled up");
    }
    (addr, listener, queued)
}
