//! `s.connect((host, port))`, in its two real steps, with the egress policy
//! (see `policy`) around the first.
//!
//! 1. **Name resolution.** `getaddrinfo` turns the host name into addresses.
//!    A name may have several, IPv4 and IPv6; the page is shown them all
//!    (the `resolved` message) before anything is sent on the network. A
//!    host that is an address already (`127.0.0.1`, or `2130706433`, which
//!    is the same address written as one number) resolves to itself.
//! 2. **The check.** Each address of the socket's family is checked against
//!    the policy, in the resolver's order; the first one allowed is used.
//!    The relay connects to exactly the address it checked: it never
//!    resolves the name again, as a second answer could differ (DNS
//!    rebinding).
//! 3. **The handshake.** The socket connects to that address (an `AF_INET`
//!    socket takes IPv4 addresses only, as Python's `connect` does). The
//!    kernel sends SYN, the peer answers SYN-ACK, the kernel sends ACK: then
//!    `connect` returns, and the connection has its 4-tuple: local address
//!    and port, peer address and port.

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use dns_lookup::{AddrFamily, AddrInfoHints, LookupError, SockType};
use protocol::{ErrorInfo, ErrorKind, Family, RelayMessage, RequestId, SocketId};
use tokio::net::{TcpSocket, TcpStream};

use super::oserror;
use super::outbox::Outbox;
use crate::policy::{Host, Policy, Refusal};

/// One `connect` call on one socket.
pub struct Dial {
    pub re: RequestId,
    pub socket: SocketId,
    pub family: Family,
    /// The host as the page wrote it.
    pub asked: String,
    /// The same host, normalised.
    pub host: Host,
    pub port: u16,
}

impl Dial {
    /// Resolves, tells the page what resolved, checks, then connects `tcp`.
    pub async fn run(
        self,
        tcp: TcpSocket,
        out: &Outbox,
        policy: &Policy,
        limit: Duration,
    ) -> Result<TcpStream, ErrorInfo> {
        let addresses = match &self.host {
            Host::Ip(ip) => vec![*ip],
            Host::Name(name) => resolve(name, None).await?,
        };
        let resolved = RelayMessage::Resolved {
            re: self.re,
            socket: self.socket,
            host: self.asked.clone(),
            addresses: addresses.clone(),
        };
        out.send(resolved).await;
        let mut candidates = addresses.into_iter().filter(|ip| self.family.admits(*ip)).peekable();
        if candidates.peek().is_none() {
            // None of the socket's family: ask the resolver for that family
            // alone, so the learner sees its own error for it.
            resolve(&self.host.to_string(), Some(self.family)).await?;
        }
        let mut refused = None;
        for ip in candidates {
            let addr = SocketAddr::new(ip, self.port);
            match policy.check(&self.host, addr) {
                Ok(()) => return oserror::within(limit, tcp.connect(addr)).await,
                Err(refusal) => refused = refused.or(Some(refusal)),
            }
        }
        Err(refused.map_or_else(
            || ErrorInfo::os(ErrorKind::Gaierror, -9, "Address family for hostname not supported"),
            policy_error,
        ))
    }
}

/// A destination the egress policy refuses, as the page is told of it.
pub fn policy_error(refusal: Refusal) -> ErrorInfo {
    tracing::info!("egress refused by rule {:?}: {refusal}", refusal.rule());
    ErrorInfo::new(ErrorKind::PolicyError, refusal.to_string())
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
