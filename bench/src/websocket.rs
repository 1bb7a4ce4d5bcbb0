//! The benchmark client's WebSocket: frames read where they land, as the
//! direct client reads TCP.
//!
//! A measuring client should cost little, and the same on every route, or
//! it measures itself. tungstenite's client zeroes its whole read buffer
//! before every read and gives each message memory of its own. In the bulk
//! test that made the client, not the bridge, the busiest process of a run
//! (about twice the CPU of the direct client for the same bytes), and it
//! made a bridge's figure depend on how its message size suited the
//! client's read size. So the client speaks WebSocket (RFC 6455) itself,
//! with tungstenite's pieces for the parts that need care: the handshake's
//! key and frame headers.
//!
//! * Reads land in one buffer that is never zeroed (tokio reads into its
//!   spare room). A message's payload is handed out as [`Bytes`] that share
//!   the buffer: nothing is copied, and once the caller drops the payload,
//!   its memory takes the next reads.
//! * Frames sent are masked, as a client's must be, and leave together on
//!   [`WebSocket::flush`].
//! * A ping is answered with a pong; a close frame ends the stream of
//!   messages. A server's frame that is masked or fragmented (no bridge here
//!   sends one) is garbled.

use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;
use std::io::Cursor;

use bytes::{Buf, BufMut, Bytes, BytesMut};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::handshake::client::generate_key;
use tokio_tungstenite::tungstenite::handshake::derive_accept_key;
use tokio_tungstenite::tungstenite::protocol::frame::coding::{Control, Data, OpCode};
use tokio_tungstenite::tungstenite::protocol::frame::{Frame, FrameHeader};

use crate::client::Failure;

/// The largest message accepted: well above the relay's largest (1 MiB of
/// data behind its header).
const MAX_MESSAGE: u64 = 16 << 20;

/// A message: text or binary, as its frame said.
#[derive(Debug)]
pub enum Message {
    Text(Bytes),
    Binary(Bytes),
}

/// A client's WebSocket connection.
pub struct WebSocket {
    stream: TcpStream,
    /// What has been read and not yet handed out.
    input: BytesMut,
    /// The most one read takes.
    read_size: usize,
    /// Frames waiting for [`WebSocket::flush`].
    output: Vec<u8>,
    /// Where masks come from: a keyed hash of each frame's number, so that
    /// they cannot be foreseen (RFC 6455, section 5.3).
    masks: RandomState,
    /// How many frames have been sent.
    sent: u64,
}

impl WebSocket {
    /// Opens a WebSocket at `url` (`ws://host:port/path`) as browsers open
    /// theirs, without Nagle's algorithm, reading up to `read_size` bytes at
    /// a time.
    pub async fn connect(url: &str, read_size: usize) -> Result<WebSocket, Failure> {
        let failed = |why: String| Failure::Lost(format!("the WebSocket to {url} did not open: {why}"));
        let url = url::Url::parse(url).map_err(|error| failed(error.to_string()))?;
        let (Some(host), Some(port)) = (url.host_str(), url.port_or_known_default()) else {
            return Err(failed("the URL names no host".into()));
        };
        let stream = TcpStream::connect((host, port)).await.map_err(|error| failed(error.to_string()))?;
        stream.set_nodelay(true).map_err(|error| failed(error.to_string()))?;
        let mut ws = WebSocket {
            stream,
            input: BytesMut::with_capacity(read_size),
            read_size,
            output: Vec::new(),
            masks: RandomState::new(),
            sent: 0,
        };
        let key = generate_key();
        let request = format!(
            "GET {} HTTP/1.1\r\nHost: {host}:{port}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\
             Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: {key}\r\n\r\n",
            &url[url::Position::BeforePath..url::Position::AfterQuery]
        );
        ws.stream.write_all(request.as_bytes()).await.map_err(|error| failed(error.to_string()))?;
        ws.read_response(&derive_accept_key(key.as_bytes())).await.map_err(failed)
    }

    /// Reads the server's answer to the handshake; the bytes after it are
    /// the first frames.
    async fn read_response(mut self, accept: &str) -> Result<WebSocket, String> {
        loop {
            let mut headers = [httparse::EMPTY_HEADER; 32];
            let mut response = httparse::Response::new(&mut headers);
            match response.parse(&self.input).map_err(|error| error.to_string())? {
                httparse::Status::Complete(len) => {
                    if response.code != Some(101) {
                        return Err(format!("the server answered {:?} {:?}", response.code, response.reason));
                    }
                    let accepted =
                        response.headers.iter().find(|h| h.name.eq_ignore_ascii_case("sec-websocket-accept"));
                    if accepted.is_none_or(|header| header.value != accept.as_bytes()) {
                        return Err("the server's Sec-WebSocket-Accept is not the one for our key".into());
                    }
                    self.input.advance(len);
                    return Ok(self);
                }
                httparse::Status::Partial
                    if self.read_more().await.map_err(|error| error.to_string())? == 0 =>
                {
                    return Err("the server closed the connection during the handshake".into());
                }
                httparse::Status::Partial => {}
            }
        }
    }

    /// Queues `message` to be sent with the next [`WebSocket::flush`].
    pub fn feed(&mut self, message: Message) {
        let (opcode, payload) = match message {
            Message::Text(text) => (Data::Text, text),
            Message::Binary(bytes) => (Data::Binary, bytes),
        };
        self.feed_frame(Frame::message(payload, OpCode::Data(opcode), true));
    }

    fn feed_frame(&mut self, mut frame: Frame) {
        self.sent += 1;
        let mask = self.masks.hash_one(self.sent) as u32;
        frame.header_mut().mask = Some(mask.to_ne_bytes());
        frame.format(&mut self.output).expect("writing to a Vec cannot fail");
    }

    /// Sends every queued frame.
    pub async fn flush(&mut self) -> Result<(), Failure> {
        let written = self.stream.write_all(&self.output).await;
        self.output.clear();
        written.map_err(|error| Failure::Lost(format!("cannot send: {error}")))
    }

    /// Sends `message` now.
    pub async fn send(&mut self, message: Message) -> Result<(), Failure> {
        self.feed(message);
        self.flush().await
    }

    /// Ends the connection as a page does: a close frame.
    pub async fn close(&mut self) -> Result<(), Failure> {
        self.feed_frame(Frame::close(None));
        self.flush().await
    }

    /// The next message; `None` once the server has sent its close frame.
    pub async fn next(&mut self) -> Result<Option<Message>, Failure> {
        loop {
            let mut cursor = Cursor::new(&self.input[..]);
            let parsed = FrameHeader::parse(&mut cursor)
                .map_err(|error| Failure::Garbled(format!("an unreadable frame header: {error}")))?;
            if let Some((header, len)) = parsed {
                if len > MAX_MESSAGE {
                    return Err(Failure::Garbled(format!("a frame of {len} bytes")));
                }
                let (start, len) = (cursor.position() as usize, len as usize);
                if self.input.len() >= start + len {
                    self.input.advance(start);
                    let payload = self.input.split_to(len).freeze();
                    match self.take(header, payload).await? {
                        Taken::Message(message) => return Ok(Some(message)),
                        Taken::Closed => return Ok(None),
                        Taken::Nothing => continue,
                    }
                }
                // The rest of the frame is on its way: make room for it whole.
                self.input.reserve(start + len - self.input.len());
            }
            if self
                .read_more()
                .await
                .map_err(|error| Failure::Lost(format!("the WebSocket failed: {error}")))?
                == 0
            {
                return Err(Failure::Lost("the connection closed without a close frame".into()));
            }
        }
    }

    /// What a whole frame means.
    async fn take(&mut self, header: FrameHeader, payload: Bytes) -> Result<Taken, Failure> {
        if header.mask.is_some() || !header.is_final {
            return Err(Failure::Garbled("a masked or fragmented frame from the server".into()));
        }
        Ok(match header.opcode {
            OpCode::Data(Data::Text) => Taken::Message(Message::Text(payload)),
            OpCode::Data(Data::Binary) => Taken::Message(Message::Binary(payload)),
            OpCode::Control(Control::Close) => Taken::Closed,
            OpCode::Control(Control::Ping) => {
                self.feed_frame(Frame::pong(payload));
                self.flush().await?;
                Taken::Nothing
            }
            OpCode::Control(Control::Pong) => Taken::Nothing,
            other => return Err(Failure::Garbled(format!("a frame of kind {other}"))),
        })
    }

    /// One read of at most `read_size` bytes into the spare room of `input`.
    async fn read_more(&mut self) -> std::io::Result<usize> {
        self.input.reserve(self.read_size);
        let mut room = (&mut self.input).limit(self.read_size);
        self.stream.read_buf(&mut room).await
    }
}

/// What one frame brought.
enum Taken {
    Message(Message),
    Closed,
    Nothing,
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::{SinkExt, StreamExt};
    use tokio::net::TcpListener;
    use tokio_tungstenite::tungstenite::Message as Theirs;

    /// A tungstenite server on loopback, running `serve` on the first
    /// connection; returns its URL.
    async fn server<F, Fut>(serve: F) -> String
    where
        F: FnOnce(tokio_tungstenite::WebSocketStream<TcpStream>) -> Fut + Send + 'static,
        Fut: Future<Output = ()> + Send,
    {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("ws://{}/ws", listener.local_addr().unwrap());
        tokio::spawn(async move {
            let (stream, _) = listener.accept().await.unwrap();
            serve(tokio_tungstenite::accept_async(stream).await.unwrap()).await;
        });
        url
    }

    /// Our frames reach a conforming server intact (so they are masked
    /// right), and its frames reach us intact, whole however many reads
    /// they take; a ping is answered; the close frame ends the messages.
    #[tokio::test]
    async fn messages_cross_both_ways_intact() {
        let big: Bytes = (0..3_000_000u32).map(|i| (i % 251) as u8).collect::<Vec<_>>().into();
        let url = server({
            let big = big.clone();
            |mut ws| async move {
                let Some(Ok(Theirs::Binary(got))) = ws.next().await else { panic!("no message") };
                ws.send(Theirs::Ping(Bytes::from_static(b"are you there"))).await.unwrap();
                ws.send(Theirs::Binary(got)).await.unwrap();
                ws.send(Theirs::Text("two".into())).await.unwrap();
                ws.send(Theirs::Binary(big)).await.unwrap();
                let Some(Ok(Theirs::Pong(pong))) = ws.next().await else { panic!("no pong") };
                assert_eq!(&pong[..], b"are you there");
                ws.close(None).await.unwrap();
            }
        })
        .await;
        let mut ws = WebSocket::connect(&url, 16 * 1024).await.unwrap();
        ws.send(Message::Binary(Bytes::from_static(b"one \x00\xff"))).await.unwrap();
        let Some(Message::Binary(echo)) = ws.next().await.unwrap() else { panic!("no echo") };
        assert_eq!(&echo[..], b"one \x00\xff");
        let Some(Message::Text(text)) = ws.next().await.unwrap() else { panic!("no text") };
        assert_eq!(&text[..], b"two");
        let Some(Message::Binary(got)) = ws.next().await.unwrap() else { panic!("no big message") };
        assert!(got == big, "3 MB in reads of 16 KiB, byte for byte");
        assert!(ws.next().await.unwrap().is_none(), "the close frame ends the messages");
    }

    /// A server that is not a WebSocket server is refused at the handshake.
    #[tokio::test]
    async fn a_wrong_handshake_answer_is_refused() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("ws://{}/", listener.local_addr().unwrap());
        tokio::spawn(async move {
            let (mut stream, _) = listener.accept().await.unwrap();
            let mut request = [0u8; 1024];
            let _ = stream.read(&mut request).await.unwrap();
            stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n").await.unwrap();
        });
        let Err(Failure::Lost(why)) = WebSocket::connect(&url, 1024).await else { panic!("accepted") };
        assert!(why.contains("200"), "{why}");
    }

    /// A masked frame from a server is garbled: servers never mask.
    #[tokio::test]
    async fn a_masked_frame_from_the_server_is_garbled() {
        let url = server(|mut ws| async move {
            let mut frame = Frame::message(Bytes::from_static(b"hidden"), OpCode::Data(Data::Binary), true);
            frame.header_mut().mask = Some([1, 2, 3, 4]);
            ws.send(Theirs::Frame(frame)).await.unwrap();
            let _ = ws.next().await;
        })
        .await;
        let mut ws = WebSocket::connect(&url, 1024).await.unwrap();
        assert!(matches!(ws.next().await, Err(Failure::Garbled(_))));
    }
}
