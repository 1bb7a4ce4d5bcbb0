//! Every error the page words itself has a text in English and one in
//! Chinese: a variant added without its line, or English left in the
//! Chinese page, fails here. Python's exception names and what the relay
//! said stay as they are, introduced in the learner's language.

#![cfg(not(target_arch = "wasm32"))]

use protocol::{ErrorInfo, ErrorKind};
use web::bridge::CallError;
use web::http::response::{ChunkedError, ParseError, parse};
use web::http::view::{chunked_error_text, parse_error_text};
use web::i18n::{EN, Texts, ZH, fill};
use web::steps::view::failure;

/// Whether `text` has Chinese in it.
fn chinese(text: &str) -> bool {
    text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// Each text is there in both languages, and the Chinese one is Chinese.
fn in_both(what: &str, text: impl Fn(&Texts) -> String) {
    let (en, zh) = (text(&EN), text(&ZH));
    assert!(!en.is_empty() && !chinese(&en), "{what} in English: {en:?}");
    assert!(chinese(&zh), "{what} in Chinese: {zh:?}");
}

#[test]
fn every_reason_a_header_is_not_http_is_said_in_both_languages() {
    use httparse::Error::*;
    let errors =
        [HeaderName, HeaderValue, NewLine, Status, Token, TooManyHeaders, Version].map(ParseError::Invalid);
    for error in [ParseError::Incomplete].iter().chain(&errors) {
        in_both(&format!("{error:?}"), |texts| parse_error_text(error, texts).to_owned());
    }
    for texts in [&EN, &ZH] {
        assert_eq!(texts.http_errors.lines().count(), 1 + errors.len(), "a line each, no more");
    }
    // The Hello server's greeting is no HTTP response: it has no version.
    let greeting = parse(b"Welcome!\r\n\r\n").unwrap_err();
    assert_eq!(parse_error_text(&greeting, &EN), "they do not start with HTTP/1.0 or HTTP/1.1");
    assert_eq!(parse_error_text(&greeting, &ZH), "开头不是 HTTP/1.0 或 HTTP/1.1");
}

#[test]
fn every_reason_a_chunked_body_fails_is_said_in_both_languages_with_where() {
    let errors =
        [ChunkedError::BadSize { at: 7 }, ChunkedError::BadEnd { at: 7 }, ChunkedError::Truncated { at: 7 }];
    for error in &errors {
        in_both(&format!("{error:?}"), |texts| chunked_error_text(error, texts));
        for texts in [&EN, &ZH] {
            assert!(chunked_error_text(error, texts).contains('7'), "{error:?} says where");
        }
    }
    for texts in [&EN, &ZH] {
        assert_eq!(texts.chunked_errors.lines().count(), errors.len());
    }
    let truncated = ChunkedError::Truncated { at: 10 };
    assert_eq!(chunked_error_text(&truncated, &ZH), "正文在第 10 字节处中断，最后一个分块还没有到");
}

#[test]
fn a_failed_call_keeps_pythons_name_and_the_relays_words_and_the_page_says_the_rest() {
    let refused =
        CallError::Failed(ErrorInfo::os(ErrorKind::ConnectionRefusedError, 111, "Connection refused"));
    for texts in [&EN, &ZH] {
        let (kind, message) = failure(&refused, texts);
        assert_eq!((kind, message.as_str()), ("ConnectionRefusedError", "[Errno 111] Connection refused"));
    }
    let (kind, message) = failure(&refused, &ZH);
    assert_eq!(
        fill(ZH.call_failed, &[&kind, &message]),
        "调用失败：ConnectionRefusedError: [Errno 111] Connection refused"
    );

    // What the page itself finds wrong is in the learner's language.
    for error in [CallError::Unexpected("sent"), CallError::ChunksLost { read: 3, arrived: 2 }] {
        assert_eq!(failure(&error, &EN).0, "ProtocolError");
        in_both(&format!("{error:?}"), |texts| failure(&error, texts).1);
    }
    assert_eq!(failure(&CallError::RelayGone, &ZH), ("RelayGone", ZH.relay_gone_call.to_owned()));
    in_both("the relay gone", |texts| failure(&CallError::RelayGone, texts).1);
    in_both("a failed call", |texts| {
        fill(texts.call_failed, &[&"OSError", &"[Errno 9] Bad file descriptor"])
    });
}

#[test]
fn what_the_relay_or_a_course_page_got_wrong_is_introduced_in_both_languages() {
    let lost = ErrorInfo::limit("you missed 3 log lines");
    in_both("the relay's notice", |texts| fill(texts.relay_error, &[&lost]));
    assert_eq!(fill(ZH.relay_error, &[&lost]), "中继出错：LimitError: you missed 3 log lines");
    in_both("a client a course page asked for", |texts| fill(texts.no_such_client, &[&3, &2]));
    assert_eq!(fill(EN.no_such_client, &[&3, &2]), "There is no client 3: the lesson has 2.");
}
