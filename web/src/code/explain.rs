//! What the kernel did for each step, in a few sentences.
//!
//! A socket call looks like a function call, but each one asks the kernel
//! to act: `connect` sends the three-way handshake, `send` only copies into
//! a buffer, `recv` hands over whatever has arrived, `close` sends FIN.
//! Before a step runs, its explanation says what the call does; once it
//! has, the same story is told with what really happened ([`Facts`]): the
//! addresses the name resolved to, the ephemeral port, the bytes taken.
//!
//! The texts come in English and Chinese, one [`Explanations`] each, so a
//! sentence missing from one language is a compile error.

use std::net::{IpAddr, SocketAddr};

use protocol::SocketId;

use crate::i18n::{Lang, fill};
use crate::steps::call::{Call, Outcome};
use crate::steps::plan::{Plan, StepState};

/// What a step that succeeded did, read from the plan: the values its
/// explanation is filled with.
#[derive(Debug, Clone, PartialEq)]
pub enum Facts<'a> {
    Created {
        socket: SocketId,
    },
    Connected {
        host: &'a str,
        resolved: &'a [IpAddr],
        local: SocketAddr,
        peer: SocketAddr,
    },
    Sent {
        bytes: u64,
        of: usize,
    },
    Received {
        bytes: usize,
        max: u32,
    },
    Drained {
        chunks: usize,
        bytes: usize,
    },
    /// `peer_first`: the peer had closed its side before (a `recv` saw `b''`).
    Closed {
        local: SocketAddr,
        peer_first: bool,
    },
}

impl<'a> Facts<'a> {
    /// What step `index` of `plan` did, once it has succeeded.
    pub fn of(plan: &'a Plan, index: usize) -> Option<Facts<'a>> {
        let step = plan.steps.get(index)?;
        let StepState::Done(outcome) = &step.state else { return None };
        Some(match (&step.call, outcome) {
            (Call::Socket, Outcome::Created { socket }) => Facts::Created { socket: *socket },
            (Call::Connect { host, .. }, &Outcome::Connected { local, peer }) => {
                Facts::Connected { host, resolved: &plan.resolved, local, peer }
            }
            (Call::Send { .. }, &Outcome::Sent { bytes, of }) => Facts::Sent { bytes, of },
            (&Call::Recv { max }, Outcome::Received { data }) => Facts::Received { bytes: data.len(), max },
            (Call::RecvLoop { .. }, &Outcome::Drained { chunks, bytes }) => Facts::Drained { chunks, bytes },
            (Call::Close, Outcome::Closed) => {
                let (local, _) = plan.four_tuple()?;
                Facts::Closed { local, peer_first: saw_fin(plan, index) }
            }
            _ => return None,
        })
    }

    fn explain(&self, texts: &Explanations) -> String {
        match self {
            Facts::Created { socket } => fill(texts.socket_did, &[socket]),
            Facts::Connected { host, resolved, local, peer } => {
                let addresses = match resolved {
                    [] => peer.ip().to_string(),
                    _ => resolved.iter().map(ToString::to_string).collect::<Vec<_>>().join(", "),
                };
                fill(texts.connect_did, &[host, &addresses, peer, &local.port(), local])
            }
            Facts::Sent { bytes, of } => fill(texts.send_did, &[bytes, of]),
            Facts::Received { bytes: 0, .. } => texts.recv_eof.to_owned(),
            Facts::Received { bytes, max } => fill(texts.recv_did, &[bytes, max]),
            Facts::Drained { chunks, bytes } => fill(texts.loop_did, &[chunks, bytes]),
            Facts::Closed { local, peer_first: true } => fill(texts.close_after_peer, &[&local.port()]),
            Facts::Closed { local, peer_first: false } => fill(texts.close_first, &[&local.port()]),
        }
    }
}

/// Whether a step before `index` read the peer's FIN.
fn saw_fin(plan: &Plan, index: usize) -> bool {
    plan.steps[..index].iter().any(|step| match &step.state {
        StepState::Done(Outcome::Received { data }) => data.is_empty(),
        StepState::Done(Outcome::Drained { .. }) => true,
        _ => false,
    })
}

/// What step `index` of `plan` does, in `lang`: once it has run, what the
/// kernel did, with the real values; before, what the call will ask of it.
/// `None` when the plan has no such step.
pub fn explain(plan: &Plan, index: usize, lang: Lang) -> Option<String> {
    let call = &plan.steps.get(index)?.call;
    let texts = Explanations::of(lang);
    Some(match Facts::of(plan, index) {
        Some(facts) => facts.explain(texts),
        None => before(call, texts),
    })
}

/// What a call does, before it has run.
fn before(call: &Call, texts: &Explanations) -> String {
    match call {
        Call::Socket => texts.socket.to_owned(),
        Call::Connect { .. } => texts.connect.to_owned(),
        Call::Send { .. } => texts.send.to_owned(),
        Call::Recv { max } => fill(texts.recv, &[max]),
        Call::RecvLoop { max } => fill(texts.recv_loop, &[max]),
        Call::Close => texts.close.to_owned(),
    }
}

/// The explanations in one language. A call's name alone is what it does;
/// `_did` is what it did, filled from [`Facts`].
pub struct Explanations {
    pub socket: &'static str,
    /// {0}: the relay's number for the socket.
    pub socket_did: &'static str,
    pub connect: &'static str,
    /// {0}: the host; {1}: its addresses; {2}: the peer; {3}: the local
    /// port; {4}: the local address.
    pub connect_did: &'static str,
    pub send: &'static str,
    /// {0}: bytes taken; {1}: bytes offered.
    pub send_did: &'static str,
    /// {0}: the most bytes asked for.
    pub recv: &'static str,
    /// {0}: bytes returned; {1}: the most asked for.
    pub recv_did: &'static str,
    pub recv_eof: &'static str,
    /// {0}: the most bytes each `recv` asks for.
    pub recv_loop: &'static str,
    /// {0}: the reads that returned data; {1}: their bytes.
    pub loop_did: &'static str,
    pub close: &'static str,
    /// {0}: the local port.
    pub close_first: &'static str,
    /// {0}: the local port.
    pub close_after_peer: &'static str,
}

impl Explanations {
    fn of(lang: Lang) -> &'static Explanations {
        match lang {
            Lang::En => &EN,
            Lang::Zh => &ZH,
        }
    }
}

pub static EN: Explanations = Explanations {
    socket: "socket() asks the kernel for a TCP endpoint. The kernel makes it and gives the program a file descriptor; no packet is sent yet.",
    socket_did: "The kernel made a TCP endpoint and gave it a file descriptor (the relay's socket {0}). Nothing has gone on the wire: it has no peer yet.",
    connect: "connect() resolves the name to addresses; then the kernel runs the three-way handshake, SYN → SYN-ACK → ACK, and picks an ephemeral local port.",
    connect_did: "{0} resolved to {1}. The kernel sent SYN to {2}, got SYN-ACK and answered ACK: the three-way handshake. It picked ephemeral port {3}; {4} → {2} is the connection's 4-tuple.",
    send: "send() copies the bytes into the kernel's send buffer and returns; TCP sends them from there. It may take fewer than offered (sendall loops).",
    send_did: "The kernel copied {0} of {1} bytes into its send buffer and returned; TCP sends them from there. send may take fewer than offered: sendall loops until all are taken.",
    recv: "recv({0}) waits for data, then returns what has arrived, up to {0} bytes: often fewer. b'' means the peer sent FIN.",
    recv_did: "recv returned {0} bytes, what had arrived so far; it asked for up to {1}. A recv may return fewer bytes than asked.",
    recv_eof: "recv returned b'': the peer sent FIN and will send nothing more.",
    recv_loop: "The loop calls recv({0}) until it returns b'', when the server has sent FIN after its last byte. Each call returns what has arrived.",
    loop_did: "{0} recv calls returned data, {1} bytes in all; then b'': the server sent FIN, so the response is complete.",
    close: "close() releases the socket and the kernel sends FIN. The side that closes first keeps its port in TIME_WAIT for a while, so late packets cannot disturb a new connection.",
    close_first: "The kernel sent FIN. This side closed first, so local port {0} stays in TIME_WAIT (a minute on Linux) before the 4-tuple can be used again.",
    close_after_peer: "The peer had sent FIN first (recv returned b''), so it keeps TIME_WAIT; the kernel answered with its own FIN, and port {0} is free once that is acknowledged.",
};

pub static ZH: Explanations = Explanations {
    socket: "socket() 请内核创建一个 TCP 端点。内核创建它，并给程序一个文件描述符；此时还不发送任何数据包。",
    socket_did: "内核创建了一个 TCP 端点，并给了它一个文件描述符（中继的套接字 {0}）。网络上还没有任何数据包：它还没有对端。",
    connect: "connect() 先把主机名解析为地址，然后内核进行三次握手（SYN → SYN-ACK → ACK），并为本端选一个临时端口。",
    connect_did: "{0} 解析为 {1}。内核向 {2} 发送 SYN，收到 SYN-ACK 后回复 ACK：这就是三次握手。它为本端选了临时端口 {3}；{4} → {2} 就是这个连接的四元组。",
    send: "send() 把字节复制到内核的发送缓冲区就返回，之后由 TCP 发出。它可能只接受一部分（sendall 会循环发送）。",
    send_did: "内核把 {0} 字节（共 {1} 字节）复制到发送缓冲区就返回了，之后由 TCP 发出。send 可能只接受一部分：sendall 会循环，直到全部交出。",
    recv: "recv({0}) 等待数据到达，然后返回已到达的数据，最多 {0} 字节，常常更少。返回 b'' 表示对端发送了 FIN。",
    recv_did: "recv 返回了 {0} 字节，即目前已经到达的数据（最多 {1} 字节）。recv 返回的字节可能比要求的少。",
    recv_eof: "recv 返回 b''：对端发送了 FIN，不会再发送数据了。",
    recv_loop: "循环调用 recv({0})，直到它返回 b''，即服务器在最后一个字节之后发送了 FIN。每次调用返回已到达的数据。",
    loop_did: "{0} 次 recv 调用返回了数据，共 {1} 字节；随后返回 b''：服务器发送了 FIN，响应已经完整。",
    close: "close() 释放套接字，内核发送 FIN。先关闭的一方让端口在 TIME_WAIT 状态停留一段时间，以免迟到的数据包干扰新的连接。",
    close_first: "内核发送了 FIN。本端先关闭，所以本地端口 {0} 要在 TIME_WAIT 状态停留（Linux 上为一分钟），这个四元组才能再次使用。",
    close_after_peer: "对端先发送了 FIN（recv 返回了 b''），所以 TIME_WAIT 留在对端；内核回复自己的 FIN，对端确认后，本地端口 {0} 即被释放。",
};
