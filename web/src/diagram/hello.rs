//! The Hello lesson's diagram: every client, and the server's threads.
//!
//! The rows come from the lesson's timeline, the order in which the page
//! learned of each thing: a client's finished step, or a line of the
//! server's log. Against the threaded server, the listening thread
//! (`hello-listener`) accepts each connection and starts a thread for it
//! (`Thread-1`, `Thread-2`, ...), each with its own lane. The
//! single-threaded server does everything on `MainThread`: a second
//! client's bytes wait in the kernel, drawn as arrows to that lane, until
//! the first client is done.

use std::net::SocketAddr;

use protocol::{LessonServer, ServerEvent};

use super::{Diagram, recv_label, send_label};
use crate::hello::{HelloLesson, LogLine, Moment};
use crate::i18n::{Texts, fill};
use crate::steps::call::{Call, Outcome};
use crate::steps::plan::{Step, StepState};

/// The diagram of everything the lesson's clients and server did.
pub fn hello(lesson: &HelloLesson, texts: &Texts) -> Diagram {
    let clients = lesson.clients.len();
    let mut builder = Builder {
        lesson,
        texts,
        diagram: Diagram::default(),
        threads: vec![None; clients],
        connected: vec![false; clients],
        early: vec![Vec::new(); clients],
    };
    for client in 0..clients {
        builder.diagram.lane(&fill(texts.client_title, &[&(client + 1)]));
    }
    for moment in &lesson.timeline {
        builder.add(moment);
    }
    builder.diagram
}

/// Draws the timeline a moment at a time.
struct Builder<'a> {
    lesson: &'a HelloLesson,
    texts: &'a Texts,
    diagram: Diagram,
    /// The lane of the thread serving each client, once the server has accepted it.
    threads: Vec<Option<usize>>,
    /// Whether each client's `connect` has been drawn.
    connected: Vec<bool>,
    /// Log lines about a connection that arrived before the page learned
    /// that `connect` returned: drawn just after it.
    early: Vec<Vec<&'a LogLine>>,
}

impl<'a> Builder<'a> {
    fn add(&mut self, moment: &'a Moment) {
        match moment {
            Moment::Step { client, index } => {
                let Some(step) = step(self.lesson, *client, *index) else { return };
                let server = self.threads[*client]
                    .or_else(|| listener(self.lesson, *client).map(|name| self.diagram.lane(name)));
                client_step(&mut self.diagram, *client, step, server, self.texts);
                if matches!(step.call, Call::Connect { .. }) {
                    self.connected[*client] = true;
                    for line in std::mem::take(&mut self.early[*client]) {
                        self.server_line(*client, line);
                    }
                }
            }
            Moment::Log(line) => {
                let Some(client) = self.lesson.client_at(line.peer) else { return };
                match self.connected[client] {
                    true => self.server_line(client, line),
                    false => self.early[client].push(line),
                }
            }
        }
    }

    /// A line of the server's log about a client's connection.
    fn server_line(&mut self, client: usize, line: &LogLine) {
        let (diagram, texts) = (&mut self.diagram, self.texts);
        let thread = diagram.lane(&line.thread);
        self.threads[client] = Some(thread);
        match line.event {
            ServerEvent::Accepted => {
                let accepting = listener(self.lesson, client).map(|name| diagram.lane(name));
                match accepting.filter(|&lane| lane != thread) {
                    Some(listener) => diagram.arrow(listener, thread, texts.diagram_new_thread),
                    None => diagram.note(thread, "accept()"),
                }
            }
            ServerEvent::Received => diagram.note(thread, recv_label(line.data.len(), texts.size)),
            ServerEvent::Sent => diagram.arrow(thread, client, send_label(line.data.len(), texts.size)),
            ServerEvent::Closed => {
                diagram.arrow(thread, client, "FIN");
                diagram.note(thread, "close()");
            }
        }
    }
}

fn step(lesson: &HelloLesson, client: usize, index: usize) -> Option<&Step> {
    lesson.clients.get(client)?.plan.as_ref()?.steps.get(index)
}

/// The lane of the thread that accepts connections on the server the
/// client connected to.
fn listener(lesson: &HelloLesson, client: usize) -> Option<&'static str> {
    let (_, peer) = lesson.clients.get(client)?.plan.as_ref()?.four_tuple()?;
    Some(listener_of(lesson, peer))
}

fn listener_of(lesson: &HelloLesson, server: SocketAddr) -> &'static str {
    let single =
        lesson.servers.iter().any(|info| info.addr == server && info.name == LessonServer::HelloSingle);
    if single { "MainThread" } else { "hello-listener" }
}

/// A client's finished step; `server` is the lane its bytes go to.
fn client_step(diagram: &mut Diagram, client: usize, step: &Step, server: Option<usize>, texts: &Texts) {
    match (&step.call, &step.state, server) {
        (Call::Socket, _, _) => diagram.note(client, "socket()"),
        (Call::Connect { .. }, _, Some(server)) => {
            diagram.handshake(client, server);
            diagram.note(client, "connect() ✓");
        }
        (Call::Send { text, .. }, _, Some(server)) => {
            diagram.arrow(client, server, send_label(text.len(), texts.size))
        }
        (Call::Recv { .. }, StepState::Done(Outcome::Received { data }), _) => {
            diagram.note(client, recv_label(data.len(), texts.size));
        }
        (Call::Close, _, Some(server)) => {
            diagram.arrow(client, server, "FIN");
            diagram.note(client, "close()");
        }
        _ => {}
    }
}
