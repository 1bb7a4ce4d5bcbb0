//! The sequence diagram, natively: what each lesson's state draws, and
//! that the SVG is well-formed whatever bytes the labels carry.

use std::net::SocketAddr;

use protocol::{LessonServer, ServerEvent, ServerInfo};
use web::diagram::{self, Diagram, Row, svg};
use web::hello::{HelloLesson, LogLine};
use web::i18n::{EN, ZH};
use web::steps::call::Outcome;
use web::steps::plan::StepState;

const THREADED: &str = "127.0.0.1:9999";
const SINGLE: &str = "127.0.0.1:9998";

fn addr(text: &str) -> SocketAddr {
    text.parse().unwrap()
}

/// A Hello lesson with `clients` clients, all pointed at `server`.
fn lesson(clients: usize, server: LessonServer) -> HelloLesson {
    let mut lesson = HelloLesson::default();
    lesson.welcome(vec![
        ServerInfo { name: LessonServer::Hello, addr: addr(THREADED), delay_ms: 0 },
        ServerInfo { name: LessonServer::HelloSingle, addr: addr(SINGLE), delay_ms: 0 },
    ]);
    lesson.choose(server);
    for _ in 1..clients {
        lesson.add_client();
    }
    lesson
}

/// Client `client`'s step `index` finished with `outcome`.
fn done(lesson: &mut HelloLesson, client: usize, index: usize, outcome: Outcome) {
    lesson.clients[client].plan.as_mut().unwrap().steps[index].state = StepState::Done(outcome);
    lesson.step_done(client, index);
}

fn connect(lesson: &mut HelloLesson, client: usize, local: &str, server: &str) {
    done(lesson, client, 0, Outcome::Created { socket: client as u32 + 1 });
    done(lesson, client, 1, Outcome::Connected { local: addr(local), peer: addr(server) });
}

fn log(lesson: &mut HelloLesson, thread: &str, peer: &str, event: ServerEvent, data: &[u8]) {
    lesson.add_log(LogLine { thread: thread.into(), peer: addr(peer), event, data: data.to_vec() });
}

fn arrow(diagram: &Diagram, from: &str, to: &str, label: &str) -> bool {
    let lane = |name: &str| diagram.lanes.iter().position(|lane| lane == name);
    let (Some(from), Some(to)) = (lane(from), lane(to)) else { return false };
    diagram.rows.contains(&Row::Arrow { from, to, label: label.into() })
}

#[test]
fn two_clients_of_the_threaded_server_get_a_thread_each() {
    let mut lesson = lesson(2, LessonServer::Hello);
    connect(&mut lesson, 0, "127.0.0.1:50001", THREADED);
    log(&mut lesson, "Thread-1", "127.0.0.1:50001", ServerEvent::Accepted, b"");
    connect(&mut lesson, 1, "127.0.0.1:50002", THREADED);
    log(&mut lesson, "Thread-2", "127.0.0.1:50002", ServerEvent::Accepted, b"");
    log(&mut lesson, "Thread-2", "127.0.0.1:50002", ServerEvent::Sent, b"Welcome!");
    // Another page's connection is not ours: no lane for it.
    log(&mut lesson, "Thread-3", "127.0.0.1:50003", ServerEvent::Accepted, b"");

    let diagram = diagram::hello(&lesson, &EN);
    assert_eq!(diagram.lanes, ["Client 1", "Client 2", "hello-listener", "Thread-1", "Thread-2"]);
    assert!(arrow(&diagram, "Client 1", "hello-listener", "SYN"));
    assert!(arrow(&diagram, "hello-listener", "Client 1", "SYN-ACK"));
    assert!(arrow(&diagram, "hello-listener", "Thread-2", "accept(), new thread"));
    assert!(arrow(&diagram, "Thread-2", "Client 2", "send(): 8 bytes"));
}

#[test]
fn the_single_threaded_server_keeps_the_second_client_waiting_in_the_kernel() {
    let mut lesson = lesson(2, LessonServer::HelloSingle);
    connect(&mut lesson, 0, "127.0.0.1:50001", SINGLE);
    log(&mut lesson, "MainThread", "127.0.0.1:50001", ServerEvent::Accepted, b"");
    connect(&mut lesson, 1, "127.0.0.1:50002", SINGLE);
    // Client 2 sends before the server has accepted it: its bytes go to
    // the only thread there is, which is still busy with client 1.
    done(&mut lesson, 1, 2, Outcome::Received { data: Vec::new() });
    lesson.clients[1].plan.as_mut().unwrap().steps[3].state =
        StepState::Done(Outcome::Sent { bytes: 7, of: 7 });
    lesson.step_done(1, 3);

    let diagram = diagram::hello(&lesson, &EN);
    assert_eq!(diagram.lanes, ["Client 1", "Client 2", "MainThread"]);
    assert!(arrow(&diagram, "MainThread", "Client 2", "SYN-ACK"), "the kernel answers for the busy server");
    assert!(arrow(&diagram, "Client 2", "MainThread", "send(): 7 bytes"));
    assert!(diagram.rows.contains(&Row::Note { lane: 2, label: "accept()".into() }));
    assert!(diagram.rows.contains(&Row::Note { lane: 1, label: "recv() → b''".into() }));
}

#[test]
fn a_log_line_that_arrives_before_connect_returns_is_drawn_after_it() {
    let mut lesson = lesson(1, LessonServer::Hello);
    done(&mut lesson, 0, 0, Outcome::Created { socket: 1 });
    log(&mut lesson, "Thread-1", "127.0.0.1:50001", ServerEvent::Accepted, b"");
    done(&mut lesson, 0, 1, Outcome::Connected { local: addr("127.0.0.1:50001"), peer: addr(THREADED) });

    let diagram = diagram::hello(&lesson, &EN);
    let ack = diagram.rows.iter().position(|row| matches!(row, Row::Arrow { label, .. } if label == "ACK"));
    let accept = diagram
        .rows
        .iter()
        .position(|row| matches!(row, Row::Arrow { label, .. } if label.starts_with("accept")));
    assert!(ack.unwrap() < accept.unwrap(), "{:?}", diagram.rows);
}

#[test]
fn the_http_lesson_draws_the_response_and_both_fins() {
    let mut plan = web::http::plan::tutorial_client("example.org", 80);
    let outcomes = [
        Outcome::Created { socket: 1 },
        Outcome::Connected { local: addr("10.0.0.2:40000"), peer: addr("93.184.216.34:80") },
        Outcome::Sent { bytes: 57, of: 57 },
    ];
    for (index, outcome) in outcomes.into_iter().enumerate() {
        plan.steps[index].state = StepState::Done(outcome);
    }
    plan.received.push(b"HTTP/1.1 200 OK\r\n");
    plan.received.push(b"\r\nhello");
    plan.steps[3].state = StepState::Done(Outcome::Drained { chunks: 2, bytes: 24 });
    plan.steps[4].state = StepState::Done(Outcome::Closed);

    let diagram = diagram::http(&plan, &ZH);
    assert_eq!(diagram.lanes, ["客户端 10.0.0.2:40000", "服务器 93.184.216.34:80"]);
    let labels: Vec<&str> = diagram
        .rows
        .iter()
        .map(|row| match row {
            Row::Arrow { label, .. } | Row::Note { label, .. } => label.as_str(),
        })
        .collect();
    assert_eq!(
        labels,
        [
            "socket()",
            "SYN",
            "SYN-ACK",
            "ACK",
            "connect() ✓",
            "send(): 57 字节",
            "24 字节，共 2 次 recv()",
            "FIN",
            "recv() → b''",
            "FIN",
            "close()"
        ]
    );
}

#[test]
fn the_svg_is_well_formed_whatever_the_labels_hold() {
    let hostile = "<script>alert('x')</script> & \"quotes\" \u{0} \u{7}";
    let mut diagram = Diagram::default();
    let (a, b) = (diagram.lane(hostile), diagram.lane("服务器"));
    diagram.arrow(a, b, hostile);
    diagram.note(b, hostile);
    let text = svg::render(&diagram, "t", hostile);

    let document = roxmltree::Document::parse(&text).expect("well-formed XML");
    let root = document.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert!(!document.descendants().any(|node| node.tag_name().name() == "script"));
    let texts: Vec<&str> = document
        .descendants()
        .filter(|node| node.has_tag_name("text"))
        .filter_map(|node| node.text())
        .collect();
    let shown = "<script>alert('x')</script> & \"quotes\" \u{fffd} \u{fffd}";
    assert_eq!(texts, [shown, "服务器", shown, shown]);
    let arrows = document.descendants().filter(|node| node.attribute("marker-end").is_some()).count();
    assert_eq!(arrows, 1);
}
