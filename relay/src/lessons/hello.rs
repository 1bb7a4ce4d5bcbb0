//! The tutorial's threaded Hello server, written with `std::net` and threads
//! exactly as the Python program is:
//!
//! ```python
//! s.bind(('127.0.0.1', 9999)); s.listen(5)   # here: a longer queue, see BACKLOG
//! while True:
//!     sock, addr = s.accept()
//!     threading.Thread(target=tcplink, args=(sock, addr)).start()
//! ```
//!
//! Each connection gets its own thread, which sends `Welcome!` and then, for
//! every message, sleeps the configured delay and answers `Hello,<msg>!`,
//! until the client sends `exit` or hangs up.
//!
//! The relay also runs a *single-threaded* variant on its own port
//! (`--hello-single`, 127.0.0.1:9998): it serves each connection on the
//! accepting thread itself, so a second client's handshake completes (the
//! kernel does that) but its `Welcome!` waits until the first client has
//! said `exit`. That is why the tutorial starts a thread per connection.
//!
//! One difference from the Python: the tutorial decodes each message as
//! UTF-8 and would die on bytes that are not. This server treats messages as
//! bytes, so `Hello,` + whatever arrived + `!` goes back unchanged.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;
use std::time::Duration;

use bytes::Bytes;
use protocol::{LessonServer, ServerEvent};
use socket2::{Domain, Protocol, Socket, Type};

use super::log::{LogBus, LogEntry};

/// How many finished handshakes may wait for `accept`. The tutorial calls
/// `s.listen(5)`, which is plenty for one learner; this server is shared by
/// every page of the relay, and when many connect at once a full queue
/// makes the kernel drop handshakes (or answer with SYN cookies, leaving
/// clients that think they are connected waiting for a `Welcome!` that
/// never comes). So it keeps a longer queue.
const BACKLOG: i32 = 128;
/// `sock.recv(1024)`: the most one read takes.
const RECV_MAX: usize = 1024;

/// Starts the thread that accepts connections on `listener` (see [`bind`]).
/// `name` says whether it starts a thread per connection
/// ([`LessonServer::Hello`]) or serves them one after the other
/// ([`LessonServer::HelloSingle`]). Returns the address it listens on.
pub fn start(
    name: LessonServer,
    listener: TcpListener,
    delay: Duration,
    log: LogBus,
) -> io::Result<SocketAddr> {
    let local = listener.local_addr()?;
    let listener_thread = format!("{}-listener", name.as_str());
    tracing::info!(target: "hello", "[{listener_thread}] Waiting for connection...");
    let server = Arc::new(Server { name, delay, log, threads: AtomicU64::new(0) });
    thread::Builder::new().name(listener_thread).spawn(move || server.accept_forever(listener))?;
    Ok(local)
}

/// `socket(AF_INET, SOCK_STREAM)`, `bind`, `listen`: fails if another
/// socket has the port.
pub fn bind(addr: SocketAddr) -> io::Result<TcpListener> {
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, Some(Protocol::TCP))?;
    // Lets the relay restart at once although its old connections linger in
    // TIME_WAIT. It does not let two sockets listen on one port.
    socket.set_reuse_address(true)?;
    socket.bind(&addr.into())?;
    socket.listen(BACKLOG)?;
    Ok(socket.into())
}

struct Server {
    /// Which of the two servers this is.
    name: LessonServer,
    delay: Duration,
    log: LogBus,
    /// Numbers the connection threads as Python does: Thread-1, Thread-2, ...
    threads: AtomicU64,
}

impl Server {
    fn accept_forever(self: Arc<Self>, listener: TcpListener) {
        loop {
            let (sock, addr) = match listener.accept() {
                Ok(connection) => connection,
                Err(error) => {
                    // Such as EMFILE when out of file descriptors: wait and go on.
                    tracing::warn!(target: "hello", "accept failed: {error}");
                    thread::sleep(Duration::from_millis(100));
                    continue;
                }
            };
            if self.name == LessonServer::HelloSingle {
                // No thread: the next `accept` waits until this client is done.
                self.tcplink("MainThread".to_owned(), sock, addr);
                continue;
            }
            let name = format!("Thread-{}", self.threads.fetch_add(1, Ordering::Relaxed) + 1);
            let server = Arc::clone(&self);
            let spawned =
                thread::Builder::new().name(name.clone()).spawn(move || server.tcplink(name, sock, addr));
            if let Err(error) = spawned {
                tracing::warn!(target: "hello", "cannot start a thread for {addr}: {error}");
            }
        }
    }

    /// The tutorial's `tcplink(sock, addr)`, run on the connection's own thread.
    fn tcplink(&self, thread: String, mut sock: TcpStream, addr: SocketAddr) {
        let link = Link { server: self, thread: &thread, peer: addr };
        link.say(format!("Accept new connection from {addr}..."));
        link.log(ServerEvent::Accepted, Bytes::new());
        if let Err(error) = self.converse(&link, &mut sock) {
            link.say(format!("error on the connection from {addr}: {error}"));
        }
        drop(sock); // sock.close()
        link.say(format!("Connection from {addr} closed."));
        link.log(ServerEvent::Closed, Bytes::new());
    }

    fn converse(&self, link: &Link, sock: &mut TcpStream) -> io::Result<()> {
        link.send(sock, Bytes::from_static(b"Welcome!"))?;
        let mut buffer = [0u8; RECV_MAX];
        loop {
            let n = sock.read(&mut buffer)?;
            let data = Bytes::copy_from_slice(&buffer[..n]);
            link.log(ServerEvent::Received, data.clone());
            thread::sleep(self.delay);
            if data.is_empty() || data == "exit" {
                return Ok(());
            }
            let reply = [&b"Hello,"[..], &data, b"!"].concat();
            link.send(sock, reply.into())?;
        }
    }
}

/// One connection's view of the server: who it is, for the log.
struct Link<'a> {
    server: &'a Server,
    thread: &'a str,
    peer: SocketAddr,
}

impl Link<'_> {
    fn send(&self, sock: &mut TcpStream, data: Bytes) -> io::Result<()> {
        sock.write_all(&data)?;
        self.log(ServerEvent::Sent, data);
        Ok(())
    }

    /// A line of the tutorial's console output, tagged with the thread.
    fn say(&self, line: String) {
        tracing::info!(target: "hello", "[{}] {line}", self.thread);
    }

    fn log(&self, event: ServerEvent, payload: Bytes) {
        self.server.log.emit(LogEntry {
            server: self.server.name,
            thread: self.thread.to_owned(),
            peer: self.peer,
            event,
            payload,
        });
    }
}
