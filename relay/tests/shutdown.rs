//! Ctrl+C or SIGTERM stops the relay gracefully: each open page is told why
//! in a close frame, every socket the pages opened is closed (their peers
//! see the end of the stream), and the process exits with success.

mod common;

use std::io::{BufRead, BufReader, Read};
use std::net::{SocketAddr, TcpListener};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use common::{LOOPBACK_TARGETS, Page};

/// Starts the relay binary; returns it and the address it serves.
fn relay_process() -> (Child, SocketAddr, impl BufRead) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_relay"))
        .args(["--listen", "127.0.0.1:0", "--hello", "127.0.0.1:0", "--hello-single", "127.0.0.1:0"])
        .args(LOOPBACK_TARGETS)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    stdout.read_line(&mut first).unwrap();
    let http = first.trim().trim_start_matches("Socket Playground: http://").trim_end_matches('/');
    (child, http.parse().unwrap(), stdout)
}

#[tokio::test]
async fn sigterm_tells_the_pages_and_closes_their_sockets() {
    let (mut child, http, _stdout) = relay_process();
    let peer = TcpListener::bind("127.0.0.1:0").unwrap();
    let mut page = Page::open_url(&format!("ws://{http}/ws")).await;
    let s = page.socket().await;
    page.connect(s, peer.local_addr().unwrap()).await;
    let (mut accepted, _) = peer.accept().unwrap();

    // SAFETY: kill(2) with a pid this test started and a valid signal number.
    assert_eq!(unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGTERM) }, 0);

    assert_eq!(page.closed_by_relay().await, (1001, "the relay is shutting down".to_owned()));
    accepted.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    assert_eq!(accepted.read(&mut [0; 16]).unwrap(), 0, "the relay's socket was closed: EOF");
    let status = tokio::task::spawn_blocking(move || child.wait()).await.unwrap().unwrap();
    assert!(status.success(), "{status}");
}
