//! The relay's frames, written by the relay: header and payload in one
//! vectored write, never copied into a buffer.
//!
//! A frame from a server is its header, two to ten bytes saying its kind and
//! its payload's length (RFC 6455, section 5.2; tungstenite's `FrameHeader`
//! formats it), then the payload, unmasked. A binary frame of the
//! playground's protocol carries a message's *head* (its length prefix and
//! JSON, see `protocol::frame`) and then the bytes it carries:
//!
//! ```text
//! text frame:    82 1d  {"type":"sent","re":3,"socket":1,"bytes":7}
//! binary frame:  82 7e 10 1e  00 00 00 1f {"type":"chunk",...}  bytes read from the socket ...
//!                └ header ┘   └──────────── head ───────────┘  └──────── payload ────────┘
//! ```
//!
//! [`Writer::write`] takes every frame waiting at once and hands the kernel
//! one list of pieces (`writev`): headers from a small scratch buffer, heads
//! and payloads from wherever they already are. A frame whose payload waits
//! in a [pipe](super::pipe) has its header written with the others, then its
//! payload spliced in behind it.

use std::io::{self, IoSlice};

use bytes::Bytes;
use tokio::io::AsyncWriteExt;
use tokio::net::tcp::OwnedWriteHalf;
use tokio_tungstenite::tungstenite::protocol::frame::FrameHeader;
use tokio_tungstenite::tungstenite::protocol::frame::coding::{Control, Data, OpCode};

#[cfg(target_os = "linux")]
use super::pipe::Chunk;

/// One frame for the page.
#[derive(Debug)]
pub enum Frame {
    /// A text frame: one JSON message.
    Text(Bytes),
    /// A binary frame: a message's head, then the bytes it carries.
    Binary { head: Bytes, payload: Bytes },
    /// A close frame: a code and the reason, for the page to show.
    Close { code: u16, reason: &'static str },
    /// A whole frame tungstenite wrote (a `pong`), sent as it is.
    Reply(Bytes),
    /// A binary frame whose payload waits in a pipe (see `pipe`).
    #[cfg(target_os = "linux")]
    Spliced { head: Bytes, chunk: Chunk },
}

/// How much of a frame the kernel took without waiting.
#[derive(Debug, PartialEq, Eq)]
pub enum Taken {
    All,
    /// The first so many bytes (none, when its buffer was full).
    Part(usize),
}

impl Frame {
    /// The frame's header: its opcode and payload length (`None` for a
    /// [`Frame::Reply`], which has its own).
    fn header(&self) -> Option<(OpCode, usize)> {
        match self {
            Frame::Text(json) => Some((OpCode::Data(Data::Text), json.len())),
            Frame::Binary { head, payload } => Some((OpCode::Data(Data::Binary), head.len() + payload.len())),
            Frame::Close { reason, .. } => Some((OpCode::Control(Control::Close), 2 + reason.len())),
            Frame::Reply(_) => None,
            #[cfg(target_os = "linux")]
            Frame::Spliced { head, chunk } => Some((OpCode::Data(Data::Binary), head.len() + chunk.len())),
        }
    }

    /// Writes what goes before the pieces that are already in memory: the
    /// header and, for a close frame, its code and reason.
    fn start(&self, scratch: &mut Vec<u8>) {
        if let Some((opcode, len)) = self.header() {
            let header = FrameHeader { opcode, ..FrameHeader::default() };
            header.format(len as u64, scratch).expect("writing to a Vec cannot fail");
        }
        if let Frame::Close { code, reason } = self {
            scratch.extend_from_slice(&code.to_be_bytes());
            scratch.extend_from_slice(reason.as_bytes());
        }
    }

    /// The pieces of the frame that follow [`Frame::start`], as they are.
    fn pieces(&self) -> [&[u8]; 2] {
        match self {
            Frame::Text(json) => [json, &[]],
            Frame::Binary { head, payload } => [head, payload],
            Frame::Close { .. } => [&[], &[]],
            Frame::Reply(frame) => [frame, &[]],
            #[cfg(target_os = "linux")]
            Frame::Spliced { head, .. } => [head, &[]],
        }
    }

    /// Whether the whole frame is in memory (not waiting in a pipe).
    pub fn in_memory(&self) -> bool {
        #[cfg(target_os = "linux")]
        if let Frame::Spliced { .. } = self {
            return false;
        }
        true
    }

    /// The payload that follows in a pipe, if this frame has one.
    #[cfg(target_os = "linux")]
    fn spliced(&self) -> Option<&Chunk> {
        match self {
            Frame::Spliced { chunk, .. } => Some(chunk),
            _ => None,
        }
    }
}

/// The write half of the WebSocket's connection, and the one thing that
/// writes to it.
#[derive(Debug)]
pub struct Writer {
    half: OwnedWriteHalf,
    /// Scratch room for the headers of the frames being written.
    scratch: Vec<u8>,
}

impl Writer {
    pub fn new(half: OwnedWriteHalf) -> Writer {
        Writer { half, scratch: Vec::new() }
    }

    /// Writes as much of `frame` (one that is [in memory](Frame::in_memory))
    /// as the kernel takes now, without waiting.
    pub fn try_write(&mut self, frame: &Frame) -> io::Result<Taken> {
        let slices = slices(&mut self.scratch, &[frame]);
        let total: usize = slices.iter().map(|slice| slice.len()).sum();
        let written = match self.half.try_write_vectored(&slices) {
            Ok(written) => written,
            Err(error) if error.kind() == io::ErrorKind::WouldBlock => 0,
            Err(error) => return Err(error),
        };
        Ok(if written == total { Taken::All } else { Taken::Part(written) })
    }

    /// Writes `frames`, in order, but for the first `written` bytes of the
    /// first one (written earlier); returns once the kernel has them all.
    pub async fn write(&mut self, frames: &[&Frame], mut written: usize) -> io::Result<()> {
        let mut rest = frames;
        while !rest.is_empty() {
            // Everything up to and including the next frame with a spliced
            // payload goes in one write; then that payload follows.
            #[cfg(target_os = "linux")]
            let cut = rest.iter().position(|frame| frame.spliced().is_some()).map_or(rest.len(), |at| at + 1);
            #[cfg(not(target_os = "linux"))]
            let cut = rest.len();
            let (now, later) = rest.split_at(cut);
            self.write_in_memory(now, std::mem::take(&mut written)).await?;
            #[cfg(target_os = "linux")]
            if let Some(chunk) = now.last().and_then(|frame| frame.spliced()) {
                chunk.drain_into(self.half.as_ref()).await?;
            }
            rest = later;
        }
        Ok(())
    }

    /// The frames' headers and in-memory pieces, but the first `skip` bytes,
    /// in one vectored write (or as few as the kernel needs to take them all).
    async fn write_in_memory(&mut self, frames: &[&Frame], skip: usize) -> io::Result<()> {
        let mut slices = slices(&mut self.scratch, frames);
        let mut slices = &mut slices[..];
        IoSlice::advance_slices(&mut slices, skip);
        while !slices.is_empty() {
            let n = self.half.write_vectored(slices).await?;
            if n == 0 {
                return Err(io::ErrorKind::WriteZero.into());
            }
            IoSlice::advance_slices(&mut slices, n);
        }
        Ok(())
    }
}

/// The pieces of `frames` to write, in order: each header (from `scratch`,
/// filled anew), then the pieces already in memory.
fn slices<'a>(scratch: &'a mut Vec<u8>, frames: &[&'a Frame]) -> Vec<IoSlice<'a>> {
    scratch.clear();
    let mut ends = Vec::with_capacity(frames.len());
    for frame in frames {
        frame.start(scratch);
        ends.push(scratch.len());
    }
    let mut slices = Vec::with_capacity(frames.len() * 3);
    let mut start = 0;
    for (frame, end) in frames.iter().zip(ends) {
        slices.push(IoSlice::new(&scratch[start..end]));
        slices.extend(frame.pieces().map(IoSlice::new));
        start = end;
    }
    slices.retain(|slice| !slice.is_empty());
    slices
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{frames, tcp_pair};
    use tokio::io::AsyncReadExt;
    use tokio_tungstenite::tungstenite::protocol::frame::Frame as Parsed;

    /// Frames written by [`Writer`] and read back by tungstenite, as a
    /// browser would read them.
    #[tokio::test]
    async fn tungstenite_reads_back_every_frame_as_written() {
        let (mut page, relay) = tcp_pair().await;
        let (_read, write) = relay.into_split();
        let mut writer = Writer::new(write);
        let big = Bytes::from((0..70_000u32).map(|i| i as u8).collect::<Vec<_>>());
        let pong = {
            let mut bytes = Vec::new();
            Parsed::pong(&b"hi"[..]).format(&mut bytes).unwrap();
            Bytes::from(bytes)
        };
        let sent = [
            Frame::Text(Bytes::from_static(b"{\"a\":1}")),
            Frame::Binary { head: Bytes::from_static(b"HEAD"), payload: big.clone() },
            Frame::Reply(pong),
            Frame::Binary { head: Bytes::from_static(b"h"), payload: Bytes::new() },
            Frame::Close { code: 1001, reason: "bye" },
        ];
        assert_eq!(writer.try_write(&sent[0]).unwrap(), Taken::All, "an idle socket takes a small frame");
        let rest: Vec<&Frame> = sent[1..].iter().collect();
        writer.write(&rest, 0).await.unwrap();
        drop(writer);

        let mut wire = Vec::new();
        page.read_to_end(&mut wire).await.unwrap();
        let (read, after) = frames(&wire);
        let read: Vec<(OpCode, bool, &[u8])> = read
            .into_iter()
            .map(|(header, payload)| (header.opcode, header.mask.is_some(), payload))
            .collect();
        let big_frame = [&b"HEAD"[..], &big].concat();
        assert_eq!(
            read,
            [
                (OpCode::Data(Data::Text), false, &b"{\"a\":1}"[..]),
                (OpCode::Data(Data::Binary), false, &big_frame[..]),
                (OpCode::Control(Control::Pong), false, b"hi"),
                (OpCode::Data(Data::Binary), false, b"h"),
                (OpCode::Control(Control::Close), false, b"\x03\xe9bye"),
            ]
        );
        assert!(after.is_empty(), "nothing after the close frame");
    }
}
