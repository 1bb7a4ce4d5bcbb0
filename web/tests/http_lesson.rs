//! The HTTP lesson's logic, natively: the program, the request editor, the
//! header parser and the chunked decoder. (The whole lesson against a real
//! nginx is tested from `relay/tests`, over the relay and in Chromium.)

#![cfg(not(target_arch = "wasm32"))]

use web::http::plan::{SEND_STEP, follow_address, tutorial_client};
use web::http::response::{ChunkedError, ParseError, decode_chunked, parse};
use web::http::view::crlf_visible;
use web::steps::call::{Call, Field, Outcome};
use web::steps::plan::StepState;

const RESPONSE: &[u8] = b"HTTP/1.1 200 OK\r\n\
Server: nginx\r\n\
Content-Type: text/html; charset=utf-8\r\n\
Set-Cookie: a=1\r\n\
Content-Length: 12\r\n\
Set-Cookie: b=2\r\n\
\r\n\
<p>\xe4\xbd\xa0\xe5\xa5\xbd</p>\r\n\r\n";

#[test]
fn the_program_is_the_tutorials_client() {
    let lines: Vec<String> =
        tutorial_client("www.sina.com.cn", 80).steps.iter().map(|step| step.call.python()).collect();
    assert_eq!(
        lines,
        [
            "s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)",
            "s.connect(('www.sina.com.cn', 80))",
            r"s.send(b'GET / HTTP/1.1\r\nHost: www.sina.com.cn\r\nConnection: close\r\n\r\n')",
            "while d := s.recv(1024): buffer.append(d)",
            "s.close()",
        ]
    );
}

#[test]
fn the_request_editor_sends_crlf_and_shows_it() {
    let mut plan = tutorial_client("example.test", 80);
    plan.edit(SEND_STEP, Field::Request, "GET /big.html HTTP/1.1\nHost: example.test\n\n");
    let Call::Send { text, .. } = &plan.steps[SEND_STEP].call else { panic!("step 3 sends") };
    assert_eq!(text, "GET /big.html HTTP/1.1\r\nHost: example.test\r\n\r\n");
    assert_eq!(crlf_visible(text), "GET /big.html HTTP/1.1\\r\\n\nHost: example.test\\r\\n\n\\r\\n\n");
}

#[test]
fn the_host_line_follows_connect_until_the_request_is_sent() {
    let mut plan = tutorial_client("www.sina.com.cn", 80);
    plan.edit(1, Field::Host, "localhost");
    plan.edit(1, Field::Port, "8080");
    assert!(follow_address(&mut plan));
    assert_eq!(
        plan.steps[SEND_STEP].call.python(),
        r"s.send(b'GET / HTTP/1.1\r\nHost: localhost:8080\r\nConnection: close\r\n\r\n')"
    );
    assert!(!follow_address(&mut plan), "nothing more to change");

    plan.steps[SEND_STEP].state = StepState::Done(Outcome::Sent { bytes: 10, of: 10 });
    plan.edit(1, Field::Port, "80");
    assert!(!follow_address(&mut plan), "a sent request stays as it was sent");
}

#[test]
fn the_header_is_split_at_the_first_blank_line_and_keeps_every_field() {
    let response = parse(RESPONSE).unwrap();
    let header = &response.header;
    assert_eq!(header.status_line, "HTTP/1.1 200 OK");
    assert_eq!((header.code, header.reason.as_str()), (200, "OK"));
    let names: Vec<&str> = header.fields.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(names, ["Server", "Content-Type", "Set-Cookie", "Content-Length", "Set-Cookie"]);
    assert_eq!(header.fields[4].1, b"b=2");
    assert_eq!(header.field("set-cookie"), Some(&b"a=1"[..]));
    assert_eq!(header.content_length(), Some(12));
    assert_eq!(header.content_type().as_deref(), Some("text/html; charset=utf-8"));
    // The body is everything after the first blank line, a later one included.
    assert_eq!(response.body, "<p>你好</p>\r\n\r\n".as_bytes());
    assert_eq!(response.body_start, RESPONSE.len() - response.body.len());
}

#[test]
fn an_incomplete_or_foreign_header_is_said_to_be_so() {
    assert_eq!(parse(b"HTTP/1.1 200 OK\r\nServer: nginx\r\n"), Err(ParseError::Incomplete));
    assert_eq!(parse(b""), Err(ParseError::Incomplete));
    assert!(matches!(parse(b"Welcome!\r\n\r\n"), Err(ParseError::Invalid(_))));
}

#[test]
fn a_redirect_names_where_to() {
    let response =
        parse(b"HTTP/1.1 301 Moved Permanently\r\nLocation: https://www.sina.com.cn/\r\n\r\n").unwrap();
    assert_eq!(response.header.redirect().as_deref(), Some("https://www.sina.com.cn/"));
    assert_eq!(parse(RESPONSE).unwrap().header.redirect(), None);
}

#[test]
fn a_chunked_body_decodes_and_a_broken_one_says_where() {
    let header = parse(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n").unwrap().header;
    assert!(header.is_chunked());
    assert!(!parse(RESPONSE).unwrap().header.is_chunked());

    let body = b"5\r\nHello\r\nc;name=value\r\n, chunked!\r\n\r\n0\r\nTrailer: x\r\n\r\n";
    assert_eq!(decode_chunked(body).unwrap(), b"Hello, chunked!\r\n");
    assert_eq!(decode_chunked(b"5\r\nHello\r\n"), Err(ChunkedError::Truncated { at: 10 }));
    assert_eq!(decode_chunked(b"5\r\nHel"), Err(ChunkedError::Truncated { at: 6 }));
    assert_eq!(decode_chunked(b"zz\r\n"), Err(ChunkedError::BadSize { at: 0 }));
    assert_eq!(decode_chunked(b"2\r\nHello\r\n0\r\n\r\n"), Err(ChunkedError::BadEnd { at: 5 }));
}

#[test]
fn the_address_chooses_where_the_lesson_connects_and_what_it_sends() {
    use web::embed::Options;
    use web::http::HttpLesson;
    let call =
        |lesson: &HttpLesson, index: usize| lesson.walk.plan.as_ref().unwrap().steps[index].call.clone();

    // ?host=&port=: connect goes there, and the request's Host line follows.
    let options = Options { host: Some("127.0.0.1".into()), port: Some("8081".into()), ..Options::default() };
    let lesson = HttpLesson::asked(&options);
    assert_eq!(call(&lesson, 1), Call::Connect { host: "127.0.0.1".into(), port: "8081".into() });
    let Call::Send { text, .. } = call(&lesson, SEND_STEP) else { panic!("step 2 sends") };
    assert_eq!(text, "GET / HTTP/1.1\r\nHost: 127.0.0.1:8081\r\nConnection: close\r\n\r\n");

    // ?request= is sent as given, with \r\n line breaks.
    let request = "HEAD /about HTTP/1.0\r\n\r\n";
    let lesson = HttpLesson::asked(&Options { request: Some(request.into()), ..options });
    let Call::Send { text, .. } = call(&lesson, SEND_STEP) else { panic!("step 2 sends") };
    assert_eq!(text, request);

    // Nothing asked: the tutorial's own program.
    let tutorial = HttpLesson::asked(&Options::default());
    assert_eq!(tutorial.walk.plan, Some(tutorial_client("www.sina.com.cn", 80)));
}
