//! The front end's logic, tested in a real browser (headless Chromium) with
//! wasm-bindgen-test: `cargo xtask test-wasm`.

#![cfg(target_arch = "wasm32")]

use bytes::Bytes;
use protocol::{ErrorKind, Frame, LessonServer, RelayMessage, ServerEvent, WireFrame};
use wasm_bindgen_test::*;
use web::bytes_view::{hex_dump, python_repr};
use web::hello::plan::{TUTORIAL_NAMES, add_message, remove_message, tutorial_client};
use web::hello::{HelloLesson, LogLine};
use web::i18n::{EN, Lang, ZH, fill};
use web::steps::call::{Call, Field, Outcome, parse_port};
use web::steps::plan::{Plan, StepState};

wasm_bindgen_test_configure!(run_in_browser);

fn tutorial_plan() -> Plan {
    tutorial_client("127.0.0.1", 9999, &TUTORIAL_NAMES)
}

#[wasm_bindgen_test]
fn bytes_look_as_python_prints_them() {
    assert_eq!(python_repr(b"Welcome!"), "b'Welcome!'");
    assert_eq!(python_repr(b""), "b''");
    assert_eq!(python_repr(b"GET / HTTP/1.1\r\n\r\n"), r"b'GET / HTTP/1.1\r\n\r\n'");
    assert_eq!(python_repr("Zoë".as_bytes()), r"b'Zo\xc3\xab'");
    assert_eq!(python_repr(b"it's"), r#"b"it's""#);
    assert_eq!(python_repr(b"'\""), r#"b'\'"'"#);
    assert_eq!(python_repr(&[0, 9, 0x7f, 0xff, b'\\']), r"b'\x00\t\x7f\xff\\'");
}

#[wasm_bindgen_test]
fn hex_dump_shows_offset_hex_and_ascii() {
    assert_eq!(hex_dump(b"Welcome!"), format!("00000000  {:<47}  |Welcome!|\n", "57 65 6c 63 6f 6d 65 21"));
    let every_byte: Vec<u8> = (0..=255).collect();
    let dump = hex_dump(&every_byte);
    assert_eq!(dump.lines().count(), 16);
    assert!(dump.lines().nth(4).unwrap().starts_with("00000040  40 41 42"), "{dump}");
    assert!(dump.lines().nth(4).unwrap().ends_with("|@ABCDEFGHIJKLMNO|"), "{dump}");
    assert!(dump.lines().last().unwrap().ends_with("|................|"));
}

#[wasm_bindgen_test]
fn the_plan_is_the_tutorials_client() {
    let lines: Vec<String> = tutorial_plan().steps.iter().map(|step| step.call.python()).collect();
    assert_eq!(
        lines,
        [
            "s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)",
            "s.connect(('127.0.0.1', 9999))",
            "s.recv(1024)",
            "s.send(b'Michael')",
            "s.recv(1024)",
            "s.send(b'Tracy')",
            "s.recv(1024)",
            "s.send(b'Sarah')",
            "s.recv(1024)",
            "s.send(b'exit')",
            "s.close()",
        ]
    );
}

#[wasm_bindgen_test]
fn messages_can_be_edited_added_and_removed_before_they_run() {
    let mut plan = tutorial_plan();
    plan.edit(3, Field::Text, "Zoë");
    assert_eq!(plan.steps[3].call.python(), r"s.send(b'Zo\xc3\xab')");
    plan.edit(9, Field::Text, "quit"); // the closing exit is not editable
    assert_eq!(plan.steps[9].call.python(), "s.send(b'exit')");
    plan.edit(1, Field::Port, "10000");
    assert_eq!(plan.steps[1].call.python(), "s.connect(('127.0.0.1', 10000))");

    add_message(&mut plan, "Bob");
    assert_eq!(plan.steps.len(), 13);
    assert_eq!(plan.steps[9].call, Call::Send { text: "Bob".into(), editable: true });
    assert_eq!(plan.steps[10].call, Call::Recv { max: 1024 });
    assert_eq!(plan.steps[11].call.python(), "s.send(b'exit')");

    remove_message(&mut plan, 3);
    assert_eq!(plan.steps.len(), 11);
    assert_eq!(plan.steps[3].call.python(), "s.send(b'Tracy')");
    remove_message(&mut plan, 2); // a recv is not a message
    assert_eq!(plan.steps.len(), 11);

    // Once a step has run, it keeps what it said.
    plan.steps[3].state = StepState::Done(Outcome::Sent { bytes: 5, of: 5 });
    plan.edit(3, Field::Text, "changed");
    assert_eq!(plan.steps[3].call.python(), "s.send(b'Tracy')");
}

#[wasm_bindgen_test]
fn the_transcript_follows_the_steps_and_reset_clears_it() {
    let mut plan = tutorial_plan();
    assert_eq!(plan.next(), Some(0));
    plan.steps[0].state = StepState::Done(Outcome::Created { socket: 4 });
    plan.steps[1].state = StepState::Done(Outcome::Connected {
        local: "127.0.0.1:50000".parse().unwrap(),
        peer: "127.0.0.1:9999".parse().unwrap(),
    });
    plan.steps[2].state = StepState::Done(Outcome::Received { data: b"Welcome!".to_vec() });
    plan.steps[3].state = StepState::Done(Outcome::Sent { bytes: 7, of: 7 });
    assert_eq!(plan.socket(), Some(4));
    assert!(plan.socket_open());
    assert_eq!(plan.next(), Some(4));
    let transcript = |plan: &web::steps::plan::Plan| -> Vec<(bool, Vec<u8>)> {
        plan.steps
            .iter()
            .filter_map(|step| step.exchanged())
            .map(|line| (line.sent, line.data.to_vec()))
            .collect()
    };
    assert_eq!(transcript(&plan), [(false, b"Welcome!".to_vec()), (true, b"Michael".to_vec())]);

    plan.reset();
    assert!(transcript(&plan).is_empty());
    assert_eq!(plan.next(), Some(0));
    assert!(!plan.started());
}

#[wasm_bindgen_test]
fn a_port_out_of_range_is_pythons_overflow_error() {
    assert_eq!(parse_port("9999"), Ok(9999));
    let error = parse_port("70000").unwrap_err();
    assert_eq!(error.kind, ErrorKind::OverflowError);
    assert_eq!(error.to_string(), "OverflowError: connect(): port must be 0-65535.");
    assert!(parse_port("http").is_err());
}

#[wasm_bindgen_test]
fn the_server_log_shows_only_our_connection() {
    let mut lesson = HelloLesson::default();
    let server = protocol::ServerInfo {
        name: LessonServer::Hello,
        addr: "127.0.0.1:9999".parse().unwrap(),
        delay_ms: 1000,
    };
    lesson.welcome(vec![server]);
    let ours = "127.0.0.1:50000".parse().unwrap();
    let theirs = "127.0.0.1:50001".parse().unwrap();
    for (peer, event, data) in [
        (ours, ServerEvent::Accepted, ""),
        (theirs, ServerEvent::Accepted, ""),
        (ours, ServerEvent::Received, "Michael"),
    ] {
        lesson.add_log(LogLine { thread: "Thread-1".into(), peer, event, data: data.as_bytes().to_vec() });
    }
    assert_eq!(lesson.our_log().count(), 0, "not connected: no connection is ours yet");
    let plan = lesson.clients[0].plan.as_mut().unwrap();
    plan.steps[1].state =
        StepState::Done(Outcome::Connected { local: ours, peer: "127.0.0.1:9999".parse().unwrap() });
    let lines: Vec<String> = lesson.our_log().map(LogLine::text).collect();
    assert_eq!(
        lines,
        [
            "[Thread-1] Accept new connection from 127.0.0.1:50000...",
            "[Thread-1] sock.recv(1024) → b'Michael'"
        ]
    );
}

#[wasm_bindgen_test]
fn both_languages_fill_their_templates() {
    assert_eq!(Lang::choose(Some("zh"), "en-US"), Lang::Zh);
    assert_eq!(Lang::choose(None, "zh-CN"), Lang::Zh);
    assert_eq!(Lang::choose(Some("en"), "zh-TW"), Lang::En);
    assert_eq!(Lang::choose(None, "fr"), Lang::En);
    assert_eq!(fill(EN.sent, &[&7, &7]), "sent 7 of 7 bytes");
    assert_eq!(fill(ZH.sent, &[&7, &7]), "已发送 7 字节（共 7 字节）");
    assert_ne!(EN.run_all, ZH.run_all);
}

#[wasm_bindgen_test]
fn the_browser_reads_the_relays_binary_frames() {
    // A `received` frame as the relay sends it, bytes that are not UTF-8 included.
    let payload: Vec<u8> = (0..=255).collect();
    let wire = protocol::frame::encode_binary(&RelayMessage::Received { re: 3, socket: 1 }, &payload);
    let js_bytes = js_sys::Uint8Array::from(&wire[..]).to_vec();
    let frame = Frame::<RelayMessage>::decode(WireFrame::Binary(Bytes::from(js_bytes))).unwrap();
    assert_eq!(frame.message, RelayMessage::Received { re: 3, socket: 1 });
    assert_eq!(&frame.payload[..], &payload[..]);
}

#[wasm_bindgen_test]
fn redrawing_keeps_keyboard_focus() {
    use wasm_bindgen::JsCast;
    use web::dom::{document, el, replace};
    let body = document().body().unwrap();
    body.append_child(&el("div").id("area").element()).unwrap();
    replace("area", [el("button").id("keep").text("one")]);
    let button: web_sys::HtmlElement = document().get_element_by_id("keep").unwrap().dyn_into().unwrap();
    button.focus().unwrap();
    replace("area", [el("button").id("keep").text("two")]);
    let focused = document().active_element().unwrap();
    assert_eq!(focused.id(), "keep");
    assert_eq!(focused.text_content().unwrap(), "two");
}

#[wasm_bindgen_test]
fn addresses_read_and_print_in_wasm_as_they_do_natively() {
    use std::net::IpAddr;
    use web::address::model::{V6Kind, expanded, v4_bits, v6_kind};
    use web::address::parse::{Problem, read};
    assert_eq!(read("2130706433").unwrap().to_string(), "127.0.0.1");
    assert_eq!(read("0xffffffff").unwrap().to_string(), "255.255.255.255");
    let Ok(IpAddr::V6(mapped)) = read("::ffff:127.0.0.1") else { panic!("an IPv6 address") };
    assert_eq!(expanded(mapped), "0000:0000:0000:0000:0000:ffff:7f00:0001");
    assert_eq!(v6_kind(mapped), (V6Kind::Ipv4Mapped, "::ffff:0:0/96"));
    assert_eq!(
        v4_bits("127.0.0.1".parse().unwrap()).lines().last(),
        Some("01111111 00000000 00000000 00000001")
    );
    assert_eq!(read("256.0.0.1").unwrap_err().problem, Problem::OctetTooLarge);
}

#[wasm_bindgen_test]
fn the_address_panel_draws_what_is_typed() {
    use web::address::{AddressPanel, view};
    use web::dom::document;
    let body = document().body().unwrap();
    let mut panel = AddressPanel::default();
    body.append_child(&view::section(&panel, &EN).element()).unwrap();
    let text = |id: &str| document().get_element_by_id(id).and_then(|element| element.text_content());
    view::draw(&panel, &EN);
    assert_eq!(text("address-dotted").as_deref(), Some("127.0.0.1"));
    assert_eq!(text("address-mapped").as_deref(), Some("::ffff:127.0.0.1Examine"));

    panel.text = "1::2::3".into();
    view::draw(&panel, &ZH);
    assert_eq!(text("address-message").as_deref(), Some("“::”出现了两次：它只能代替一段全零组。"));
    assert_eq!(text("address-dotted"), None, "the forms are gone");
    let live = document().get_element_by_id("address-output").unwrap().get_attribute("aria-live");
    assert_eq!(live.as_deref(), Some("polite"));
}
