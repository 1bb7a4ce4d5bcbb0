//! The lessons' programs as code, and what each step did, natively.
//!
//! A listing is not only compared with text: each one is run, by `python3`
//! or compiled by `rustc`, against a server the test plays, and the server
//! checks every byte that arrives. A listing that only looks right fails.

#![cfg(not(target_arch = "wasm32"))]

use std::fs;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::thread::{self, JoinHandle};
use std::time::Duration;

use web::code::python::str_literal;
use web::code::rust::byte_string;
use web::code::{Facts, Language, Line, explain, listing};
use web::hello::plan::TUTORIAL_NAMES;
use web::http::plan::SEND_STEP;
use web::i18n::Lang;
use web::steps::call::{Call, Outcome};
use web::steps::plan::{Plan, StepState};

/// How long the test's servers wait for a listing before giving up on it.
const PATIENCE: Duration = Duration::from_secs(30);

const RESPONSE: &[u8] = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello";

fn http_plan(port: u16) -> Plan {
    web::http::plan::tutorial_client("127.0.0.1", port)
}

fn hello_plan(port: u16) -> Plan {
    web::hello::plan::tutorial_client("127.0.0.1", port, &TUTORIAL_NAMES)
}

fn calls(plan: &Plan) -> Vec<Call> {
    plan.steps.iter().map(|step| step.call.clone()).collect()
}

fn source(lines: &[Line]) -> String {
    lines.iter().map(|line| format!("{}\n", line.text)).collect()
}

// The listings, as text.

#[test]
fn the_python_listing_is_the_tutorials_web_client() {
    let plan = web::http::plan::tutorial_client("www.sina.com.cn", 80);
    let expected = r"import socket

s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.connect(('www.sina.com.cn', 80))
s.send(b'GET / HTTP/1.1\r\nHost: www.sina.com.cn\r\nConnection: close\r\n\r\n')
buffer = []
while True:
    d = s.recv(1024)
    if d:
        buffer.append(d)
    else:
        break
data = b''.join(buffer)
s.close()
header, html = data.split(b'\r\n\r\n', 1)
print(header.decode('utf-8'))
with open('sina.html', 'wb') as f:
    f.write(html)
";
    let lines = listing(Language::Python, &calls(&plan));
    assert_eq!(source(&lines), expected);
    let loop_lines: Vec<&str> =
        lines.iter().filter(|line| line.marks(3)).map(|line| line.text.as_str()).collect();
    assert_eq!(loop_lines.first(), Some(&"buffer = []"));
    assert_eq!(loop_lines.last(), Some(&"data = b''.join(buffer)"));
    assert_eq!(loop_lines.len(), 8, "the whole loop is the loop's step");
    assert!(lines[0].steps.is_empty(), "import socket is no step");
}

#[test]
fn the_listings_mark_every_step_in_order() {
    for plan in [http_plan(80), hello_plan(9999)] {
        for language in Language::ALL {
            let lines = listing(language, &calls(&plan));
            let first_lines: Vec<usize> = (0..plan.steps.len())
                .map(|step| lines.iter().position(|line| line.marks(step)))
                .map(|line| line.unwrap_or_else(|| panic!("{}: a step has no line", language.name())))
                .collect();
            assert!(first_lines.is_sorted(), "{}: steps out of order: {first_lines:?}", language.name());
            assert!(lines.iter().all(|line| line.steps.end <= plan.steps.len()), "no step past the end");
        }
    }
}

#[test]
fn rusts_connect_line_carries_out_socket_and_connect() {
    let lines = listing(Language::Rust, &calls(&hello_plan(9999)));
    let connect: Vec<&Line> = lines.iter().filter(|line| line.marks(1)).collect();
    assert_eq!(connect.len(), 2, "a comment and the call");
    assert!(connect[0].text.trim().starts_with("// std::net makes the socket"));
    assert_eq!(connect[1].text, r#"    let mut s = TcpStream::connect(("127.0.0.1", 9999))?;"#);
    assert!(connect.iter().all(|line| line.marks(0)), "the socket step lights the same lines");
}

#[test]
fn host_and_port_are_written_as_typed() {
    let calls = [Call::Socket, Call::Connect { host: r"it's\here".to_owned(), port: "eighty".to_owned() }];
    let python = listing(Language::Python, &calls);
    assert_eq!(python[3].text, r"s.connect(('it\'s\\here', eighty))");
    let rust = listing(Language::Rust, &calls);
    assert!(
        rust.iter()
            .any(|line| line.text == r#"    let mut s = TcpStream::connect(("it's\\here", eighty))?;"#)
    );
}

#[test]
fn python_reads_back_the_host_it_was_given() {
    let host = "it's \\ \"odd\"\t\u{1}é例";
    let tuple = format!("({}, 80)", str_literal(host));
    let script = "import ast, sys; sys.stdout.write(ast.literal_eval(sys.argv[1])[0])";
    let out = Command::new("python3").args(["-c", script, &tuple]).env("PYTHONIOENCODING", "utf-8").output();
    let out = out.expect("python3 runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8(out.stdout).unwrap(), host);
}

#[test]
fn literals_escape_what_they_must() {
    assert_eq!(byte_string(b"GET / HTTP/1.1\r\n"), r#"b"GET / HTTP/1.1\r\n""#);
    assert_eq!(byte_string(b"'\"\\\t"), r#"b"'\"\\\t""#);
    assert_eq!(byte_string("é".as_bytes()), r#"b"\xc3\xa9""#);
    assert_eq!(byte_string(&[0, 0x1f, 0x7f, 0xff]), r#"b"\x00\x1f\x7f\xff""#);
    assert_eq!(str_literal("it's"), r"'it\'s'");
    assert_eq!(str_literal("a\\b\r\n\u{0}\u{85}例"), r"'a\\b\r\n\x00\x85例'");
}

// The listings, run.

/// A fresh directory for one test's files, in Cargo's scratch directory
/// for integration tests.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("code").join(name);
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("scratch directory");
    dir
}

/// Saves the listing in `dir` and runs it there: Python with `python3`,
/// Rust compiled by `rustc` first, which must not even warn.
fn run(language: Language, lines: &[Line], dir: &Path) -> Output {
    let program = source(lines);
    let output = match language {
        Language::Python => {
            fs::write(dir.join("client.py"), &program).unwrap();
            Command::new("python3").arg("client.py").current_dir(dir).output()
        }
        Language::Rust => {
            fs::write(dir.join("client.rs"), &program).unwrap();
            let rustc = ["--edition", "2021", "-o", "prog", "client.rs"];
            let built = Command::new("rustc").args(rustc).current_dir(dir).output().expect("rustc runs");
            let warnings = String::from_utf8_lossy(&built.stderr);
            assert!(built.status.success() && warnings.is_empty(), "rustc:\n{warnings}\n{program}");
            Command::new(dir.join("prog")).current_dir(dir).output()
        }
    };
    let output = output.expect("the program starts");
    let errors = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{} failed:\n{errors}\n{program}", language.name());
    output
}

fn listen() -> (TcpListener, u16) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().unwrap().port();
    (listener, port)
}

/// Plays a web server for one request: reads up to the blank line, answers
/// `hello` and closes. Returns the request's bytes.
fn web_server() -> (u16, JoinHandle<Vec<u8>>) {
    let (listener, port) = listen();
    let server = thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        stream.set_read_timeout(Some(PATIENCE)).unwrap();
        let mut request = Vec::new();
        let mut buf = [0; 1024];
        while !request.ends_with(b"\r\n\r\n") {
            let n = stream.read(&mut buf).unwrap();
            assert!(n > 0, "the client closed before the blank line: {request:?}");
            request.extend_from_slice(&buf[..n]);
        }
        stream.write_all(RESPONSE).unwrap();
        request
    });
    (port, server)
}

/// Runs the HTTP lesson's program, with `request` if given, against the
/// test's web server; checks what arrived and what the program saved.
fn fetch(language: Language, request: Option<&str>, dir_name: &str) {
    let (port, server) = web_server();
    let mut plan = http_plan(port);
    if let Some(text) = request {
        plan.steps[SEND_STEP].call = Call::Send { text: text.to_owned(), editable: true };
    }
    let Call::Send { text, .. } = &plan.steps[SEND_STEP].call else { panic!("step 3 sends") };
    let dir = scratch(dir_name);

    let output = run(language, &listing(language, &calls(&plan)), &dir);

    assert_eq!(server.join().expect("the server saw the request"), text.as_bytes());
    assert_eq!(fs::read(dir.join("sina.html")).expect("sina.html saved"), b"hello");
    let header = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\n";
    assert_eq!(String::from_utf8_lossy(&output.stdout), header, "the header is printed");
}

/// A request with everything a literal must escape.
const AWKWARD: &str = "GET /it's\\a\"b\tc/ü HTTP/1.1\r\nHost: 例子.测试\r\nX-Odd: \u{1}\u{7f}\r\n\r\n";

#[test]
fn the_python_web_client_runs() {
    fetch(Language::Python, None, "python-http");
}

#[test]
fn the_rust_web_client_runs() {
    fetch(Language::Rust, None, "rust-http");
}

#[test]
fn python_sends_an_awkward_request_exactly() {
    fetch(Language::Python, Some(AWKWARD), "python-awkward");
}

#[test]
fn rust_sends_an_awkward_request_exactly() {
    fetch(Language::Rust, Some(AWKWARD), "rust-awkward");
}

/// Plays the tutorial's Hello server for one client, on its own thread:
/// `Welcome!`, then `Hello,<message>!` for each message, until `exit`.
/// Returns the messages.
fn hello_server() -> (u16, JoinHandle<Vec<String>>) {
    let (listener, port) = listen();
    let server = thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        stream.set_read_timeout(Some(PATIENCE)).unwrap();
        stream.write_all(b"Welcome!").unwrap();
        let mut messages = Vec::new();
        let mut buf = [0; 1024];
        loop {
            let n = stream.read(&mut buf).unwrap();
            let message = String::from_utf8(buf[..n].to_vec()).unwrap();
            if n == 0 || message == "exit" {
                messages.push(message);
                return messages;
            }
            stream.write_all(format!("Hello,{message}!").as_bytes()).unwrap();
            messages.push(message);
        }
    });
    (port, server)
}

fn greet(language: Language) {
    let (port, server) = hello_server();
    let dir = scratch(&format!("{}-hello", language.name()));

    let output = run(language, &listing(language, &calls(&hello_plan(port))), &dir);

    assert_eq!(server.join().expect("the server saw the messages"), ["Michael", "Tracy", "Sarah", "exit"]);
    let printed = String::from_utf8_lossy(&output.stdout);
    assert_eq!(printed, "Welcome!\nHello,Michael!\nHello,Tracy!\nHello,Sarah!\n");
}

#[test]
fn the_python_hello_client_runs() {
    greet(Language::Python);
}

#[test]
fn the_rust_hello_client_runs() {
    greet(Language::Rust);
}

// What each step did.

fn addr(text: &str) -> SocketAddr {
    text.parse().unwrap()
}

/// The HTTP lesson's plan, every step done.
fn fetched() -> Plan {
    let mut plan = web::http::plan::tutorial_client("www.sina.com.cn", 80);
    plan.resolved = vec!["10.1.2.3".parse().unwrap(), "10.1.2.4".parse().unwrap()];
    let outcomes = [
        Outcome::Created { socket: 7 },
        Outcome::Connected { local: addr("192.0.2.10:51234"), peer: addr("10.1.2.3:80") },
        Outcome::Sent { bytes: 40, of: 64 },
        Outcome::Drained { chunks: 9, bytes: 8123 },
        Outcome::Closed,
    ];
    for (step, outcome) in plan.steps.iter_mut().zip(outcomes) {
        step.state = StepState::Done(outcome);
    }
    plan
}

/// The Hello lesson's plan with one message, every step done; the last
/// `recv` saw the server close.
fn greeted() -> Plan {
    let mut plan = web::hello::plan::tutorial_client("127.0.0.1", 9999, &["Bob"]);
    let outcomes = [
        Outcome::Created { socket: 1 },
        Outcome::Connected { local: addr("127.0.0.1:40001"), peer: addr("127.0.0.1:9999") },
        Outcome::Received { data: b"Welcome!".to_vec() },
        Outcome::Sent { bytes: 3, of: 3 },
        Outcome::Received { data: Vec::new() },
        Outcome::Sent { bytes: 4, of: 4 },
        Outcome::Closed,
    ];
    for (step, outcome) in plan.steps.iter_mut().zip(outcomes) {
        step.state = StepState::Done(outcome);
    }
    plan
}

fn said(plan: &Plan, index: usize, lang: Lang) -> String {
    explain(plan, index, lang).expect("the step exists")
}

#[test]
fn every_step_is_explained_before_and_after_in_both_languages() {
    for done in [fetched(), greeted()] {
        let mut ready = done.clone();
        ready.reset();
        for index in 0..done.steps.len() {
            let [before_en, before_zh, after_en, after_zh] =
                [(&ready, Lang::En), (&ready, Lang::Zh), (&done, Lang::En), (&done, Lang::Zh)]
                    .map(|(plan, lang)| said(plan, index, lang));
            let all = [&before_en, &before_zh, &after_en, &after_zh];
            assert!(all.iter().all(|text| !text.is_empty()), "step {index}: {all:?}");
            assert_ne!(before_en, after_en, "step {index}: the English tells what happened");
            assert_ne!(before_zh, after_zh, "step {index}: the Chinese tells what happened");
            assert!(
                before_zh.chars().chain(after_zh.chars()).any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
            );
        }
    }
    assert_eq!(explain(&fetched(), 5, Lang::En), None, "no step 6");
}

#[test]
fn explanations_tell_the_real_values() {
    let (plan, hello) = (fetched(), greeted());
    for lang in [Lang::En, Lang::Zh] {
        let connect = said(&plan, 1, lang);
        for value in ["www.sina.com.cn", "10.1.2.3, 10.1.2.4", "51234", "192.0.2.10:51234", "10.1.2.3:80"] {
            assert!(connect.contains(value), "{value} in {connect}");
        }
        assert!(said(&plan, 0, lang).contains('7'));
        let send = said(&plan, 2, lang);
        assert!(send.contains("40") && send.contains("64"), "{send}");
        let drained = said(&plan, 3, lang);
        assert!(drained.contains('9') && drained.contains("8123"), "{drained}");
        assert!(said(&plan, 4, lang).contains("51234"));
        let welcome = said(&hello, 2, lang);
        assert!(welcome.contains('8') && welcome.contains("1024"), "{welcome}");
        assert_ne!(said(&hello, 4, lang), said(&hello, 2, lang), "b'' is the peer's FIN");
        assert!(said(&hello, 6, lang).contains("40001"));
    }
    let zh = |index| said(&plan, index, Lang::Zh);
    assert!(zh(1).contains("三次握手") && zh(1).contains("临时端口") && zh(1).contains("四元组"));
    assert!(zh(2).contains("发送缓冲区"));
    assert!(said(&plan, 1, Lang::En).contains("SYN-ACK"));
}

#[test]
fn close_says_which_side_waits_in_time_wait() {
    let (plan, hello) = (fetched(), greeted());
    let local = addr("192.0.2.10:51234");
    assert_eq!(
        Facts::of(&plan, 4),
        Some(Facts::Closed { local, peer_first: true }),
        "the server closed first"
    );
    let mut fresh = hello.clone();
    fresh.steps[4].state = StepState::Done(Outcome::Received { data: b"Hello,Bob!".to_vec() });
    let local = addr("127.0.0.1:40001");
    assert_eq!(
        Facts::of(&fresh, 6),
        Some(Facts::Closed { local, peer_first: false }),
        "the client closed first"
    );
    for lang in [Lang::En, Lang::Zh] {
        assert_ne!(said(&fresh, 6, lang), said(&hello, 6, lang));
        assert!(said(&fresh, 6, lang).contains("TIME_WAIT"));
    }
}

#[test]
fn a_step_not_yet_done_is_told_as_what_it_will_do() {
    let mut plan = fetched();
    plan.steps[1].state = StepState::Running;
    assert_eq!(Facts::of(&plan, 1), None);
    let mut ready = fetched();
    ready.reset();
    assert_eq!(said(&plan, 1, Lang::En), said(&ready, 1, Lang::En));
    assert!(!said(&plan, 1, Lang::En).contains("51234"));
}
