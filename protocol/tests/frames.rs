//! The frame codec: every message round-trips, bytes stay exact, and broken
//! frames are rejected with an error that still names the request.

use bytes::Bytes;
use protocol::frame::{HEADER_LEN_BYTES, Message};
use protocol::{
    DecodeError, ErrorInfo, ErrorKind, Family, Frame, LessonServer, Op, RelayMessage, Request, ServerEvent,
    ServerInfo, WireFrame,
};

fn round_trip<M: Message + PartialEq + std::fmt::Debug + Clone>(message: M, payload: &[u8]) {
    let frame = Frame::with_payload(message, Bytes::copy_from_slice(payload));
    let wire = frame.encode();
    assert_eq!(matches!(wire, WireFrame::Binary(_)), frame.message.carries_payload());
    let back = Frame::<M>::decode(wire).expect("decodes");
    assert_eq!(back, frame);
}

#[test]
fn every_request_round_trips() {
    let ops = [
        Op::Socket { family: Family::Inet6 },
        Op::Connect { socket: 1, host: "127.0.0.1".into(), port: 9999 },
        Op::Recv { socket: 1, max: 1024 },
        Op::RecvAll { socket: 1, max: 4096 },
        Op::Close { socket: 1 },
        Op::Watch { server: LessonServer::Hello },
    ];
    for (id, op) in ops.into_iter().enumerate() {
        round_trip(Request { id: id as u32, op }, b"");
    }
    round_trip(Request { id: 9, op: Op::Send { socket: 1 } }, b"Michael");
}

#[test]
fn every_relay_message_round_trips() {
    let addr = "127.0.0.1:9999".parse().unwrap();
    let local = "127.0.0.1:50000".parse().unwrap();
    let info = ServerInfo { name: LessonServer::Hello, addr, delay_ms: 1000 };
    let messages = [
        RelayMessage::Welcome { relay: "0.1.0".into(), servers: vec![info.clone()] },
        RelayMessage::Created { re: 1, socket: 1, family: Family::Inet },
        RelayMessage::Resolved {
            re: 2,
            socket: 1,
            host: "localhost".into(),
            addresses: vec!["127.0.0.1".parse().unwrap(), "::1".parse().unwrap()],
        },
        RelayMessage::Connected { re: 2, socket: 1, local, peer: addr },
        RelayMessage::Sent { re: 3, socket: 1, bytes: 7 },
        RelayMessage::Drained { re: 5, socket: 1, chunks: 3, bytes: 2100 },
        RelayMessage::Closed { re: 6, socket: 1 },
        RelayMessage::Watching { re: 7, server: info },
        RelayMessage::Error {
            re: Some(8),
            socket: Some(1),
            error: ErrorInfo::os(ErrorKind::ConnectionRefusedError, 111, "Connection refused"),
        },
        RelayMessage::Error { re: None, socket: None, error: ErrorInfo::protocol("bad") },
    ];
    for message in messages {
        round_trip(message, b"");
    }
    round_trip(RelayMessage::Received { re: 4, socket: 1 }, b"Welcome!");
    round_trip(RelayMessage::Received { re: 4, socket: 1 }, b"");
    round_trip(RelayMessage::Chunk { re: 5, socket: 1 }, &[0u8; 1024]);
    round_trip(
        RelayMessage::ServerLog {
            server: LessonServer::Hello,
            thread: "Thread-1".into(),
            peer: local,
            event: ServerEvent::Received,
        },
        b"Michael",
    );
}

#[test]
fn all_256_byte_values_survive_unchanged() {
    let every_byte: Vec<u8> = (0..=255).collect();
    let frame = Frame::with_payload(Request { id: 1, op: Op::Send { socket: 1 } }, every_byte.clone());
    let WireFrame::Binary(wire) = frame.encode() else { panic!("send must be binary") };
    // Nothing is escaped or encoded: the frame is the header plus the bytes themselves.
    assert!(wire.ends_with(&every_byte));
    let back = Frame::<Request>::decode_binary(wire).unwrap();
    assert_eq!(&back.payload[..], &every_byte[..]);
}

#[test]
fn binary_frame_layout_is_length_header_payload() {
    let frame = Frame::with_payload(Request { id: 4, op: Op::Send { socket: 1 } }, &b"hi"[..]);
    let WireFrame::Binary(wire) = frame.encode() else { panic!("send must be binary") };
    let header = br#"{"id":4,"op":"send","socket":1}"#;
    assert_eq!(&wire[..HEADER_LEN_BYTES], &(header.len() as u32).to_be_bytes());
    assert_eq!(&wire[HEADER_LEN_BYTES..HEADER_LEN_BYTES + header.len()], header);
    assert_eq!(&wire[HEADER_LEN_BYTES + header.len()..], b"hi");
}

#[test]
fn text_requests_read_as_documented() {
    let frame = Frame::<Request>::decode_text(r#"{"id":1,"op":"socket"}"#).unwrap();
    assert_eq!(frame.message.op, Op::Socket { family: Family::Inet });
    let frame = Frame::<Request>::decode_text(r#"{"id":2,"op":"socket","family":"AF_INET6"}"#).unwrap();
    assert_eq!(frame.message.op, Op::Socket { family: Family::Inet6 });
}

#[test]
fn errors_serialize_with_python_names() {
    let json =
        serde_json::to_string(&ErrorInfo::os(ErrorKind::Gaierror, -2, "Name or service not known")).unwrap();
    assert_eq!(
        json,
        r#"{"kind":"socket.gaierror","errno":-2,"message":"[Errno -2] Name or service not known"}"#
    );
    let refused = ErrorInfo::os(ErrorKind::ConnectionRefusedError, 111, "Connection refused");
    assert_eq!(refused.to_string(), "ConnectionRefusedError: [Errno 111] Connection refused");
}

#[test]
fn unknown_operation_is_an_error_that_keeps_the_id() {
    let err = Frame::<Request>::decode_text(r#"{"id":7,"op":"fly"}"#).unwrap_err();
    assert!(matches!(err, DecodeError::Json { .. }), "{err:?}");
    assert_eq!(err.request_id(), Some(7));
    assert!(err.to_string().contains("unknown variant `fly`"), "{err}");
}

#[test]
fn malformed_json_and_wrong_types_are_errors() {
    for text in [
        "",
        "not json",
        "[1,2]",
        r#"{"id":"one","op":"socket"}"#,
        r#"{"id":1,"op":"recv","socket":1,"max":-5}"#,
    ] {
        assert!(Frame::<Request>::decode_text(text).is_err(), "{text:?} should be rejected");
    }
    let err = Frame::<Request>::decode_text(r#"{"id":3,"op":"recv","socket":"x","max":1}"#).unwrap_err();
    assert_eq!(err.request_id(), Some(3));
}

#[test]
fn send_as_text_is_rejected_and_socket_as_binary_is_rejected() {
    let err = Frame::<Request>::decode_text(r#"{"id":5,"op":"send","socket":1}"#).unwrap_err();
    assert!(matches!(err, DecodeError::PayloadMissing { id: Some(5), name: "send" }), "{err:?}");

    let wire = protocol::frame::encode_binary(&Request { id: 6, op: Op::Close { socket: 1 } }, b"");
    let err = Frame::<Request>::decode_binary(wire).unwrap_err();
    assert!(matches!(err, DecodeError::PayloadUnexpected { id: Some(6), name: "close" }), "{err:?}");
}

#[test]
fn truncated_binary_frames_are_rejected() {
    let err = Frame::<Request>::decode_binary(Bytes::from_static(&[0, 0])).unwrap_err();
    assert!(matches!(err, DecodeError::ShortFrame(2)));
    let err = Frame::<Request>::decode_binary(Bytes::from_static(&[0, 0, 1, 0, b'{'])).unwrap_err();
    assert!(matches!(err, DecodeError::HeaderOverrun { declared: 256, available: 1 }), "{err:?}");
}
