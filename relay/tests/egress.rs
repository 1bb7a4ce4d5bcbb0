//! The egress policy, end to end: a page asks the relay to connect, and the
//! relay refuses every destination the policy denies, saying which rule
//! refused it, without ever reaching it. Each form the host may take is
//! normalised first, so `2130706433` is loopback as surely as `127.0.0.1`.
//! (The policy's unit tests in relay/src/policy/ go through every rule.)

mod common;

use std::net::TcpListener;

use common::{Page, TestRelay, expect_error};
use protocol::{ErrorKind, Family, Op, RelayMessage};

/// A server on loopback that must never see a connection.
struct Untouched(TcpListener);

impl Untouched {
    fn new() -> Untouched {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        Untouched(listener)
    }

    fn port(&self) -> u16 {
        self.0.local_addr().unwrap().port()
    }

    fn assert_untouched(&self) {
        assert!(self.0.accept().is_err(), "the relay connected to a refused destination");
    }
}

/// Asks for `host:port` on a new socket of `family`; returns the error.
async fn refused(page: &mut Page, family: Family, host: &str, port: u16) -> (ErrorKind, String) {
    let socket = match page.call(Op::Socket { family }, b"").await.message {
        RelayMessage::Created { socket, .. } => socket,
        other => panic!("{other:?}"),
    };
    let (kind, _, message) =
        expect_error(page.call(Op::Connect { socket, host: host.into(), port }, b"").await);
    page.close(socket).await;
    (kind, message)
}

/// The spellings of denied addresses the issue lists, and the rule that
/// must refuse each.
const DENIED: &[(Family, &str, &str)] = &[
    (Family::Inet, "127.0.0.1", "loopback"),
    (Family::Inet, "2130706433", "loopback"),
    (Family::Inet, "0x7f.1", "loopback"),
    (Family::Inet, "0177.0.0.1", "loopback"),
    (Family::Inet, "127.1", "loopback"),
    (Family::Inet, "127.0.0.1.", "loopback"),
    (Family::Inet, "localhost", "loopback"),
    (Family::Inet, "localhost.", "loopback"),
    (Family::Inet6, "[::ffff:127.0.0.1]", "ipv4-mapped"),
    (Family::Inet6, "::1", "ipv6-loopback"),
    (Family::Inet6, "[::127.0.0.1]", "ipv4-compatible"),
    (Family::Inet6, "64:ff9b::7f00:1", "nat64"),
    (Family::Inet6, "64:ff9b::a9fe:a9fe", "nat64"),
    (Family::Inet6, "2002:7f00:1::1", "6to4"),
    (Family::Inet6, "fd00::1", "ipv6-unique-local"),
    (Family::Inet6, "fe80::1", "ipv6-link-local"),
    (Family::Inet6, "ff02::1", "ipv6-multicast"),
    (Family::Inet, "169.254.169.254", "link-local"),
    (Family::Inet, "10.0.0.1", "private"),
    (Family::Inet, "172.16.0.1", "private"),
    (Family::Inet, "192.168.1.1", "private"),
    (Family::Inet, "100.64.0.1", "cgnat"),
    (Family::Inet, "0.0.0.0", "unspecified"),
    (Family::Inet, "224.0.0.1", "multicast"),
    (Family::Inet, "255.255.255.255", "broadcast"),
    (Family::Inet, "240.0.0.1", "reserved"),
];

#[tokio::test]
async fn every_denied_spelling_is_refused_by_its_rule_and_never_reached() {
    let target = Untouched::new();
    let relay = TestRelay::start_with_policy(&["--ports", "any"]).await;
    let mut page = Page::open(&relay).await;
    for &(family, host, rule) in DENIED {
        let (kind, message) = refused(&mut page, family, host, target.port()).await;
        assert_eq!(kind, ErrorKind::PolicyError, "{host}: {message}");
        assert!(message.contains(&format!("rule \"{rule}\"")), "{host} is refused by {rule}: {message}");
    }
    target.assert_untouched();
}

#[tokio::test]
async fn ports_off_the_list_are_refused_before_any_lookup() {
    let relay = TestRelay::start_with_policy(&[]).await;
    let mut page = Page::open(&relay).await;
    let socket = page.socket().await;
    let re = page.request(Op::Connect { socket, host: "mail.example.com".into(), port: 25 }, b"").await;
    let answer = page.about(re).await;
    let (kind, _, message) = expect_error(answer); // no `resolved` first: nothing was looked up
    assert_eq!(kind, ErrorKind::PolicyError);
    assert!(message.contains("port 25") && message.contains("rule \"ports\""), "{message}");
}

#[tokio::test]
async fn allow_opens_a_denied_network_and_only_that_one() {
    let target = Untouched::new();
    let relay = TestRelay::start_with_policy(&["--allow", "127.0.0.2/32", "--ports", "any"]).await;
    let mut page = Page::open(&relay).await;
    let (kind, message) = refused(&mut page, Family::Inet, "127.0.0.1", target.port()).await;
    assert_eq!(kind, ErrorKind::PolicyError, "{message}");
    assert!(message.contains("--allow"), "the refusal says how to allow it: {message}");
    // 127.0.0.2 is allowed: the kernel is asked, and nobody listens there.
    let (kind, message) = refused(&mut page, Family::Inet, "127.0.0.2", target.port()).await;
    assert_eq!(kind, ErrorKind::ConnectionRefusedError, "{message}");
}

#[tokio::test]
async fn in_local_mode_the_hello_server_is_reached_by_any_name() {
    let relay = TestRelay::start_with_policy(&[]).await;
    let mut page = Page::open(&relay).await;
    for host in ["127.0.0.1", "localhost", "2130706433"] {
        let socket = page.socket().await;
        let op = Op::Connect { socket, host: host.into(), port: relay.hello.port() };
        let answer = page.call(op, b"").await;
        assert!(matches!(answer.message, RelayMessage::Connected { .. }), "{host}: {answer:?}");
        assert_eq!(page.recv(socket, 1024).await, "Welcome!");
        page.close(socket).await;
    }
}

#[tokio::test]
async fn in_public_mode_the_hello_server_is_reached_by_its_address_only() {
    let relay = TestRelay::start_with_policy(&["--public"]).await;
    let mut page = Page::open(&relay).await;
    let (kind, message) = refused(&mut page, Family::Inet, "localhost", relay.hello.port()).await;
    assert_eq!(kind, ErrorKind::PolicyError);
    assert!(message.contains("rule \"lesson-by-name\""), "{message}");

    let socket = page.socket().await;
    page.connect(socket, relay.hello).await;
    assert_eq!(page.recv(socket, 1024).await, "Welcome!");
}

#[tokio::test]
async fn malformed_hosts_are_protocol_errors_and_the_session_goes_on() {
    let relay = TestRelay::start_with_policy(&[]).await;
    let mut page = Page::open(&relay).await;
    for host in ["", "a b", "256.1.1.1", "1.2.3.0x100", "fe80::1%eth0", "exa mple.com", "a..b", "\u{0}"] {
        let (kind, message) = refused(&mut page, Family::Inet, host, 80).await;
        assert_eq!(kind, ErrorKind::ProtocolError, "{host:?}: {message}");
    }
    let socket = page.socket().await;
    page.connect(socket, relay.hello).await;
}
