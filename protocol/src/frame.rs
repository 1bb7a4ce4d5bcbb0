//! How a message travels inside a WebSocket frame.
//!
//! WebSocket has two kinds of data frame, text and binary, and we use both:
//!
//! ```text
//! text frame:    {"id":1,"op":"socket"}                    a message, no bytes
//! binary frame:  [header length: u32, big-endian][header JSON][payload ...]
//!                 00 00 00 1b  {"id":4,"op":"send","socket":1}  4d 69 63 68 61 65 6c
//! ```
//!
//! A message that carries bytes (a `send`, a `received`, a stream `chunk`)
//! always travels as a binary frame, even when it carries zero bytes; every
//! other message always travels as text. The payload follows the header
//! untouched, so any byte sequence round-trips exactly and bulk data costs no
//! more than its own size plus a few dozen header bytes.

use bytes::{Bytes, BytesMut};
use serde::{Deserialize, Serialize, de::DeserializeOwned};

use crate::RequestId;

/// Size of the length prefix that starts every binary frame.
pub const HEADER_LEN_BYTES: usize = 4;

/// A message type that can travel in a [`Frame`].
pub trait Message: Serialize + DeserializeOwned {
    /// The message's name on the wire (`"send"`, `"received"`), for error texts.
    fn name(&self) -> &'static str;
    /// Whether this message carries bytes, and so travels as a binary frame.
    fn carries_payload(&self) -> bool;
    /// The request this message is, or answers.
    fn request_id(&self) -> Option<RequestId>;
}

/// One WebSocket data frame, independent of any WebSocket library.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WireFrame {
    Text(String),
    Binary(Bytes),
}

/// A message and the bytes it carries (empty for messages that carry none).
#[derive(Debug, Clone, PartialEq)]
pub struct Frame<M> {
    pub message: M,
    pub payload: Bytes,
}

/// Why a frame could not be read as a message.
#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    #[error(
        "a binary frame starts with a {HEADER_LEN_BYTES}-byte header length, but this one has only {0} bytes"
    )]
    ShortFrame(usize),
    #[error("the header length says {declared} bytes, but only {available} follow it")]
    HeaderOverrun { declared: usize, available: usize },
    #[error("not a valid message: {source}")]
    Json {
        /// The `id` (or `re`) of the message, when that much could be read.
        id: Option<RequestId>,
        #[source]
        source: serde_json::Error,
    },
    #[error("`{name}` carries bytes, so it must travel as a binary frame")]
    PayloadMissing { id: Option<RequestId>, name: &'static str },
    #[error("`{name}` carries no bytes, so it must travel as a text frame")]
    PayloadUnexpected { id: Option<RequestId>, name: &'static str },
}

impl DecodeError {
    /// The request the broken frame belonged to, if it could be told, so that
    /// the error can be sent back as the answer to that request.
    pub fn request_id(&self) -> Option<RequestId> {
        match self {
            DecodeError::ShortFrame(_) | DecodeError::HeaderOverrun { .. } => None,
            DecodeError::Json { id, .. }
            | DecodeError::PayloadMissing { id, .. }
            | DecodeError::PayloadUnexpected { id, .. } => *id,
        }
    }
}

impl<M: Message> Frame<M> {
    /// A message that carries no bytes.
    pub fn new(message: M) -> Self {
        Frame { message, payload: Bytes::new() }
    }

    /// A message with the bytes it carries.
    pub fn with_payload(message: M, payload: impl Into<Bytes>) -> Self {
        Frame { message, payload: payload.into() }
    }

    /// Turns the message into the frame that carries it.
    pub fn encode(&self) -> WireFrame {
        if self.message.carries_payload() {
            WireFrame::Binary(encode_binary(&self.message, &self.payload))
        } else {
            WireFrame::Text(to_json_string(&self.message))
        }
    }

    /// Reads a text frame.
    pub fn decode_text(text: &str) -> Result<Self, DecodeError> {
        let message = parse::<M>(text.as_bytes())?;
        if message.carries_payload() {
            return Err(DecodeError::PayloadMissing { id: message.request_id(), name: message.name() });
        }
        Ok(Frame::new(message))
    }

    /// Reads a binary frame; the payload shares the frame's memory.
    pub fn decode_binary(frame: Bytes) -> Result<Self, DecodeError> {
        let Some(prefix) = frame.get(..HEADER_LEN_BYTES) else {
            return Err(DecodeError::ShortFrame(frame.len()));
        };
        let declared = u32::from_be_bytes(prefix.try_into().expect("4 bytes")) as usize;
        let available = frame.len() - HEADER_LEN_BYTES;
        if declared > available {
            return Err(DecodeError::HeaderOverrun { declared, available });
        }
        let header_end = HEADER_LEN_BYTES + declared;
        let message = parse::<M>(&frame[HEADER_LEN_BYTES..header_end])?;
        if !message.carries_payload() {
            return Err(DecodeError::PayloadUnexpected { id: message.request_id(), name: message.name() });
        }
        Ok(Frame { message, payload: frame.slice(header_end..) })
    }

    /// Reads either kind of frame.
    pub fn decode(frame: WireFrame) -> Result<Self, DecodeError> {
        match frame {
            WireFrame::Text(text) => Self::decode_text(&text),
            WireFrame::Binary(bytes) => Self::decode_binary(bytes),
        }
    }
}

/// Builds a binary frame: length prefix, JSON header, then the payload.
pub fn encode_binary(message: &impl Serialize, payload: &[u8]) -> Bytes {
    let header = to_json_string(message);
    let mut frame = BytesMut::with_capacity(HEADER_LEN_BYTES + header.len() + payload.len());
    let header_len = u32::try_from(header.len()).expect("a message header is far below 4 GiB");
    frame.extend_from_slice(&header_len.to_be_bytes());
    frame.extend_from_slice(header.as_bytes());
    frame.extend_from_slice(payload);
    frame.freeze()
}

fn to_json_string(message: &impl Serialize) -> String {
    // Our message types are plain structs and enums with string keys, for
    // which serde_json cannot fail.
    serde_json::to_string(message).expect("protocol messages always serialize")
}

fn parse<M: Message>(json: &[u8]) -> Result<M, DecodeError> {
    serde_json::from_slice(json).map_err(|source| DecodeError::Json { id: probe_id(json), source })
}

/// Reads just `id` (or `re`) from JSON that failed to parse as a whole message,
/// so the error can still be addressed to the request that caused it.
fn probe_id(json: &[u8]) -> Option<RequestId> {
    #[derive(Deserialize)]
    struct Probe {
        id: Option<RequestId>,
        re: Option<RequestId>,
    }
    let probe: Probe = serde_json::from_slice(json).ok()?;
    probe.id.or(probe.re)
}
