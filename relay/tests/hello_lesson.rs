//! The tutorial's Hello conversation, driven through the relay's WebSocket
//! exactly as the page drives it, against the relay's own Hello server.

mod common;

use common::{Page, TestRelay};
use std::time::Duration;

use protocol::{LessonServer, Op, RelayMessage, ServerEvent};

/// The tutorial's client: Welcome!, then Michael, Tracy, Sarah, then exit.
#[tokio::test]
async fn the_whole_hello_flow_has_the_exact_bytes() {
    let relay = TestRelay::start(&[]).await;
    let mut page = Page::open(&relay).await;
    page.watch_hello().await;

    let s = page.socket().await;
    let (local, peer) = page.connect(s, relay.hello).await;
    assert_eq!(peer, relay.hello);
    assert_eq!(local.ip(), relay.hello.ip());
    assert_ne!(local.port(), relay.hello.port(), "the client gets its own ephemeral port");

    assert_eq!(page.recv(s, 1024).await, "Welcome!");
    for name in ["Michael", "Tracy", "Sarah"] {
        assert_eq!(page.send(s, name.as_bytes()).await, name.len() as u64);
        assert_eq!(page.recv(s, 1024).await, format!("Hello,{name}!"));
    }
    assert_eq!(page.send(s, b"exit").await, 4);
    // The server closes after `exit`: recv returns b'', the end of the stream.
    assert_eq!(page.recv(s, 1024).await, "");
    page.close(s).await;

    // The server's side of the same conversation, as the page's log shows it.
    let mut log = Vec::new();
    while log.last().map(|(event, _): &(ServerEvent, String)| *event) != Some(ServerEvent::Closed) {
        let entry = match page.others.is_empty() {
            true => page.next().await,
            false => page.others.remove(0),
        };
        if let RelayMessage::ServerLog { peer: client, event, thread, .. } = entry.message {
            assert_eq!(client, local, "only this connection talks to this server");
            assert!(thread.starts_with("Thread-"), "{thread}");
            log.push((event, String::from_utf8(entry.payload.to_vec()).unwrap()));
        }
    }
    use ServerEvent::*;
    let expected = [
        (Accepted, ""),
        (Sent, "Welcome!"),
        (Received, "Michael"),
        (Sent, "Hello,Michael!"),
        (Received, "Tracy"),
        (Sent, "Hello,Tracy!"),
        (Received, "Sarah"),
        (Sent, "Hello,Sarah!"),
        (Received, "exit"),
        (Closed, ""),
    ];
    let expected: Vec<_> = expected.iter().map(|(event, data)| (*event, data.to_string())).collect();
    assert_eq!(log, expected);
}

/// Payloads are bytes: every value from 0 to 255, invalid UTF-8 included,
/// goes to the server and comes back inside `Hello,...!` unchanged.
#[tokio::test]
async fn all_256_byte_values_round_trip() {
    let relay = TestRelay::start(&[]).await;
    let (mut page, s) = Page::connected_to_hello(&relay).await;
    assert_eq!(page.recv(s, 1024).await, "Welcome!");

    let every_byte: Vec<u8> = (0..=255).collect();
    assert_eq!(page.send(s, &every_byte).await, 256);
    let reply = page.recv_exactly(s, 6 + 256 + 1).await;
    assert_eq!(reply, [&b"Hello,"[..], &every_byte, b"!"].concat());
    page.close(s).await;
}

/// One thread per connection: several pages talk to the server at once, each
/// gets its own conversation, and each connection is served by its own thread.
#[tokio::test]
async fn several_sessions_at_once() {
    let relay = TestRelay::start(&["--hello-delay", "50"]).await;
    let mut pages = Vec::new();
    for _ in 0..8 {
        let mut page = Page::open(&relay).await;
        page.watch_hello().await;
        pages.push(page);
    }
    let conversations = pages.into_iter().enumerate().map(|(n, mut page)| {
        let hello = relay.hello;
        tokio::spawn(async move {
            let s = page.socket().await;
            let (local, _) = page.connect(s, hello).await;
            assert_eq!(page.recv(s, 1024).await, "Welcome!");
            for round in 0..3 {
                let message = format!("page{n}-round{round}");
                page.send(s, message.as_bytes()).await;
                assert_eq!(page.recv(s, 1024).await, format!("Hello,{message}!"));
            }
            page.send(s, b"exit").await;
            page.close(s).await;
            (local, page)
        })
    });
    let mut finished = Vec::new();
    for conversation in conversations.collect::<Vec<_>>() {
        finished.push(conversation.await.expect("conversation succeeds"));
    }

    // Every page watched the server: find the thread that served each connection.
    let (_, mut watcher) = finished.pop().unwrap();
    let mut threads = std::collections::HashMap::new();
    while threads.len() < finished.len() + 1 {
        let entry = match watcher.others.is_empty() {
            true => watcher.next().await,
            false => watcher.others.remove(0),
        };
        if let RelayMessage::ServerLog { peer, thread, event: ServerEvent::Accepted, .. } = entry.message {
            threads.insert(peer, thread);
        }
    }
    let distinct: std::collections::HashSet<_> = threads.values().collect();
    assert_eq!(distinct.len(), 8, "each connection has its own thread: {threads:?}");
    for (local, _) in &finished {
        assert!(threads.contains_key(local), "{local} was accepted");
    }
}

/// Without threads, one client at a time: the second client's handshake
/// completes (the kernel does that, into the listen queue), but its
/// `Welcome!` comes only once the first client has said `exit`.
#[tokio::test]
async fn the_single_threaded_server_makes_the_second_client_wait() {
    let relay = TestRelay::start(&[]).await;
    let mut first = Page::open(&relay).await;
    let single = first.servers.iter().find(|server| server.name == LessonServer::HelloSingle).unwrap().addr;
    assert_ne!(single, relay.hello, "it has a port of its own");
    let a = first.socket().await;
    first.connect(a, single).await;
    assert_eq!(first.recv(a, 1024).await, "Welcome!");

    let mut second = Page::open(&relay).await;
    let b = second.socket().await;
    second.connect(b, single).await; // connected: the handshake does not need accept()
    let waiting = second.request(Op::Recv { socket: b, max: 1024 }, b"").await;
    let early = tokio::time::timeout(Duration::from_millis(500), second.about(waiting)).await;
    assert!(early.is_err(), "the second client heard nothing while the first talks: {early:?}");

    first.send(a, b"Michael").await;
    assert_eq!(first.recv(a, 1024).await, "Hello,Michael!");
    first.send(a, b"exit").await;
    first.close(a).await;
    let welcome = second.final_answer(waiting).await;
    assert_eq!(welcome.payload, "Welcome!", "served once the first client left");
}
