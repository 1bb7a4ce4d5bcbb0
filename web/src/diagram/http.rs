//! The HTTP lesson's diagram: the client and the web server.
//!
//! The web server's side is not visible to the page, so its lane shows
//! only what reached the client: the bytes of the response (however many
//! `recv` calls it took) and its FIN, which makes the last `recv` return
//! `b''`.

use super::{Diagram, recv_label, send_label};
use crate::i18n::{Texts, fill};
use crate::steps::call::{Call, Outcome};
use crate::steps::plan::{Plan, StepState};

/// The diagram of what the plan's finished steps did, in order.
pub fn http(plan: &Plan, texts: &Texts) -> Diagram {
    let mut diagram = Diagram::default();
    let (client_name, server_name) = match plan.four_tuple() {
        Some((local, peer)) => {
            (format!("{} {local}", texts.diagram_client), format!("{} {peer}", texts.diagram_server))
        }
        None => (texts.diagram_client.to_owned(), texts.diagram_server.to_owned()),
    };
    let (client, server) = (diagram.lane(&client_name), diagram.lane(&server_name));
    for step in &plan.steps {
        match (&step.call, &step.state) {
            (Call::Socket, StepState::Done(_)) => diagram.note(client, "socket()"),
            (Call::Connect { .. }, StepState::Done(_)) => {
                diagram.handshake(client, server);
                diagram.note(client, "connect() ✓");
            }
            (Call::Send { .. }, StepState::Done(Outcome::Sent { bytes, .. })) => {
                diagram.arrow(client, server, send_label(*bytes as usize, texts.size));
            }
            (Call::RecvLoop { .. }, state) if plan.received.chunks() > 0 => {
                let received = &plan.received;
                let label = fill(texts.diagram_response, &[&received.data.len(), &received.chunks()]);
                diagram.arrow(server, client, label);
                if matches!(state, StepState::Done(_)) {
                    diagram.arrow(server, client, "FIN");
                    diagram.note(client, recv_label(0, texts.size));
                }
            }
            (Call::Recv { .. }, StepState::Done(Outcome::Received { data })) => {
                diagram.note(client, recv_label(data.len(), texts.size));
            }
            (Call::Close, StepState::Done(_)) => {
                diagram.arrow(client, server, "FIN");
                diagram.note(client, "close()");
            }
            _ => {}
        }
    }
    diagram
}
