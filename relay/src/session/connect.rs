//! `s.connect((host, port))`, in its two real steps.
//!
//! 1. **Name resolution.** `getaddrinfo` turns the host name into addresses.
//!    A name may have several, IPv4 and IPv6; the page is shown them all
//!    (the `resolved` message) before anything is sent on the network.
//! 2. **The handshake.** The socket connects to the first address of its own
//!    family (an `AF_INET` socket takes the first IPv4 address, as Python's
//!    `connect` does). The kernel sends SYN, the peer answers SYN-ACK, the
//!    kernel sends ACK: then `connect` returns, and the connection has its
//!    4-tuple: local address and port, peer address and port.

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use dns_lookup::{AddrFamily, AddrInfoHints, LookupError, SockType};
use protocol::{ErrorInfo, ErrorKind, Family, RelayMessage, RequestId, SocketId};
use tokio::net::{TcpSocket, TcpStream};

use super::oserror;
use super::outbox::Outbox;

/// One `connect` call on one socket.
pub struct Dial {
    pub re: RequestId,
    pub socket: SocketId,
    pub family: Family,
    pub host: String,
    pub port: u16,
}

impl Dial {
    /// Resolves, tells the page what resolved, then connects `tcp`.
    pub async fn run(self, tcp: TcpSocket, out: &Outbox, limit: Duration) -> Result<TcpStream, ErrorInfo> {
        let addresses = resolve(&self.host, None).await?;
        let resolved = RelayMessage::Resolved {
            re: self.re,
            socket: self.socket,
            host: self.host.clone(),
            addresses: addresses.clone(),
        };
        out.send(resolved).await;
        let ip = match addresses.into_iter().find(|ip| self.family.admits(*ip)) {
            Some(ip) => ip,
            // None of the socket's family: ask again for that family alone,
            // so the learner sees the resolver's own error for it.
            None => resolve(&self.host, Some(self.family)).await?[0],
        };
        oserror::within(limit, tcp.connect(SocketAddr::new(ip, self.port))).await
    }
}

/// `getaddrinfo(host, None, family, SOCK_STREAM)`: every address, in the
/// resolver's order, each once. It may block, so it runs on a blocking thread.
async fn resolve(host: &str, family: Option<Family>) -> Result<Vec<IpAddr>, ErrorInfo> {
    let host = host.to_owned();
    let hints = AddrInfoHints {
        socktype: SockType::Stream.into(),
        address: match family {
            None => 0,
            Some(Family::Inet) => AddrFamily::Inet.into(),
            Some(Family::Inet6) => AddrFamily::Inet6.into(),
        },
        ..AddrInfoHints::default()
    };
    let lookup = tokio::task::spawn_blocking(move || {
        let mut addresses = Vec::new();
        for info in dns_lookup::getaddrinfo(Some(&host), None, Some(hints))? {
            let ip = info?.sockaddr.ip();
            if !addresses.contains(&ip) {
                addresses.push(ip);
            }
        }
        Ok::<_, LookupError>(addresses)
    });
    match lookup.await {
        Ok(Ok(addresses)) if !addresses.is_empty() => Ok(addresses),
        Ok(Ok(_)) => Err(ErrorInfo::os(ErrorKind::Gaierror, -2, "Name or service not known")),
        Ok(Err(error)) => Err(gaierror(error)),
        Err(join) => Err(ErrorInfo::new(ErrorKind::OSError, format!("name resolution stopped: {join}"))),
    }
}

/// `socket.gaierror: [Errno -2] Name or service not known`.
fn gaierror(error: LookupError) -> ErrorInfo {
    let code = error.error_num();
    let text = std::io::Error::from(error).to_string();
    let description = text.strip_prefix("failed to lookup address information: ").unwrap_or(&text);
    ErrorInfo::os(ErrorKind::Gaierror, code, description)
}
