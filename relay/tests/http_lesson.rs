//! The tutorial's first network program, through the relay, against a real
//! nginx: fetch a web page with a bare socket.
//!
//! ```python
//! s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
//! s.connect(('localhost', port))
//! s.send(b'GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n')
//! buffer = []
//! while True:
//!     d = s.recv(1024)
//!     if d:
//!         buffer.append(d)
//!     else:
//!         break
//! data = b''.join(buffer)
//! header, html = data.split(b'\r\n\r\n', 1)
//! ```
//!
//! Everything that comes through the relay is compared with what nginx sends
//! to a direct `std::net` client and with the files it serves: the same
//! header fields (only `Date` may differ), the same body, byte for byte.

mod common;

use bytes::Bytes;
use common::nginx::Nginx;
use common::{Page, TestRelay};
use protocol::{Op, RelayMessage, SocketId};
use sha2::{Digest, Sha256};

/// An HTTP response, split at its first blank line and its header parsed.
struct Response {
    status: u16,
    reason: String,
    /// Every header field in order, `Date`'s value blanked out: the second
    /// may tick between two fetches.
    fields: Vec<(String, Vec<u8>)>,
    body: Vec<u8>,
}

impl Response {
    fn parse(raw: &[u8]) -> Response {
        let end = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("a blank line ends the header") + 4;
        let mut headers = [httparse::EMPTY_HEADER; 32];
        let mut response = httparse::Response::new(&mut headers);
        let parsed = response.parse(raw).expect("a well-formed header");
        assert_eq!(parsed, httparse::Status::Complete(end), "the header ends at the first blank line");
        let fields = response
            .headers
            .iter()
            .map(|field| {
                assert!(field.name != "Date" || field.value.ends_with(b" GMT"), "{field:?}");
                let value = if field.name == "Date" { b"(now)".to_vec() } else { field.value.to_vec() };
                (field.name.to_owned(), value)
            })
            .collect();
        Response {
            status: response.code.unwrap(),
            reason: response.reason.unwrap().to_owned(),
            fields,
            body: raw[end..].to_vec(),
        }
    }

    /// The value of the header field `name`, if present.
    fn header(&self, name: &str) -> Option<&str> {
        let (_, value) = self.fields.iter().find(|(field, _)| field.eq_ignore_ascii_case(name))?;
        Some(std::str::from_utf8(value).expect("an ASCII header value"))
    }
}

fn sha256(data: &[u8]) -> [u8; 32] {
    Sha256::digest(data).into()
}

/// `s.connect(('localhost', port))`: the relay resolves the name and shows
/// its addresses before it connects.
async fn connect_by_name(page: &mut Page, socket: SocketId, nginx: &Nginx) {
    let op = Op::Connect { socket, host: "localhost".into(), port: nginx.addr().port() };
    let re = page.request(op, b"").await;
    let RelayMessage::Resolved { host, addresses, .. } = page.about(re).await.message else {
        panic!("connect first reports what the name resolved to")
    };
    assert_eq!(host, "localhost");
    assert!(addresses.contains(&nginx.addr().ip()), "{addresses:?}");
    match page.final_answer(re).await.message {
        RelayMessage::Connected { peer, .. } => {
            assert_eq!(peer, nginx.addr(), "an AF_INET socket takes 127.0.0.1")
        }
        other => panic!("expected connected, got {other:?}"),
    }
}

/// The tutorial's program through the relay; returns what each `recv(1024)`
/// that returned data gave, in order.
async fn tutorial_fetch(page: &mut Page, nginx: &Nginx, path: &str) -> Vec<Bytes> {
    let s = page.socket().await;
    connect_by_name(page, s, nginx).await;
    let request = Nginx::request(path);
    assert_eq!(page.send(s, &request).await, request.len() as u64, "a short request goes in one send");
    let mut chunks = Vec::new();
    loop {
        let chunk = page.recv(s, 1024).await;
        if chunk.is_empty() {
            break;
        }
        assert!(chunk.len() <= 1024, "recv(1024) returned {} bytes", chunk.len());
        chunks.push(chunk);
    }
    page.close(s).await;
    chunks
}

/// Fetches a file of the site through the relay and checks it against the
/// file and against a direct fetch.
async fn fetch_file(path: &str, content_type: &str) -> Response {
    let nginx = Nginx::start();
    // A program looping on recv(1024) makes a request per KiB, faster than
    // the relay lets a page go by default.
    let relay = TestRelay::start(&["--max-ops-per-second", "100000"]).await;
    let mut page = Page::open(&relay).await;

    let direct = Response::parse(&nginx.fetch(path));
    let chunks = tutorial_fetch(&mut page, &nginx, path).await;
    let raw = chunks.concat();
    assert!(chunks.len() >= raw.len().div_ceil(1024), "{} recv calls for {} bytes", chunks.len(), raw.len());

    let response = Response::parse(&raw);
    let file = Nginx::file(path);
    assert_eq!((response.status, response.reason.as_str()), (200, "OK"));
    assert_eq!(response.header("Content-Length"), Some(file.len().to_string().as_str()));
    assert_eq!(response.header("Content-Type"), Some(content_type));
    assert_eq!(response.body.len(), file.len());
    assert_eq!(sha256(&response.body), sha256(&file), "the body is the file, byte for byte");
    assert_eq!(response.fields, direct.fields, "the same header as a direct fetch");
    response
}

#[tokio::test]
async fn the_index_page_arrives_as_utf8_chinese() {
    let response = fetch_file("/", "text/html; charset=utf-8").await;
    let html = String::from_utf8(response.body).expect("the body decodes as UTF-8");
    assert!(html.contains("<h1>欢迎来到 TCP 编程</h1>"), "{html}");
}

#[tokio::test]
async fn a_page_over_a_mebibyte_takes_over_a_thousand_recv_calls() {
    let response = fetch_file("/big.html", "text/html; charset=utf-8").await;
    assert!(response.body.len() > 1 << 20, "{}", response.body.len());
}

#[tokio::test]
async fn binary_data_arrives_unchanged() {
    let response = fetch_file("/data.bin", "application/octet-stream").await;
    let mut seen = [false; 256];
    for byte in &response.body {
        seen[*byte as usize] = true;
    }
    assert!(seen.iter().all(|&seen| seen), "the file holds every byte value");
}

/// `recv_all`: the relay loops over `recv(1024)` itself and streams each
/// read as a `chunk`, without a round trip per call.
#[tokio::test]
async fn recv_all_streams_the_big_page_as_nginx_sent_it() {
    let nginx = Nginx::start();
    let relay = TestRelay::start(&[]).await;
    let mut page = Page::open(&relay).await;
    let direct = Response::parse(&nginx.fetch("/big.html"));

    let s = page.socket().await;
    connect_by_name(&mut page, s, &nginx).await;
    page.send(s, &Nginx::request("/big.html")).await;
    let streamed = page.recv_all(s, 1024).await;
    let (raw, chunk_count) = (streamed.concat(), streamed.chunks.len() as u64);
    let (chunks, bytes) = streamed.drained;
    assert_eq!((chunks, bytes), (chunk_count, raw.len() as u64), "drained counts what was streamed");
    assert!(chunks >= bytes.div_ceil(1024), "{chunks} chunks for {bytes} bytes");

    let response = Response::parse(&raw);
    assert_eq!(response.fields, direct.fields);
    assert_eq!(sha256(&response.body), sha256(&direct.body), "the direct fetch's body, byte for byte");
    assert_eq!(sha256(&response.body), sha256(&Nginx::file("/big.html")));
    page.close(s).await;
}

/// Decodes `Transfer-Encoding: chunked`: each chunk is its size in hex, CRLF,
/// the data, CRLF; a chunk of size 0 ends the body. Returns the data and the
/// number of chunks that carried some.
fn dechunk(mut body: &[u8]) -> (Vec<u8>, usize) {
    let (mut data, mut chunks) = (Vec::new(), 0);
    loop {
        let Ok(httparse::Status::Complete((start, size))) = httparse::parse_chunk_size(body) else {
            panic!("a chunk size line: {:?}", String::from_utf8_lossy(&body[..body.len().min(20)]))
        };
        let size = usize::try_from(size).unwrap();
        if size == 0 {
            assert_eq!(&body[start..], b"\r\n", "the last chunk, then the end of the body");
            return (data, chunks);
        }
        data.extend_from_slice(&body[start..start + size]);
        assert_eq!(&body[start + size..start + size + 2], b"\r\n", "CRLF after the chunk's data");
        body = &body[start + size + 2..];
        chunks += 1;
    }
}

#[tokio::test]
async fn a_page_of_unknown_length_arrives_in_chunked_framing() {
    let nginx = Nginx::start();
    let relay = TestRelay::start(&[]).await;
    let mut page = Page::open(&relay).await;

    let response = Response::parse(&tutorial_fetch(&mut page, &nginx, "/chunked.html").await.concat());
    assert_eq!(response.status, 200);
    assert_eq!(response.header("Transfer-Encoding"), Some("chunked"));
    assert_eq!(response.header("Content-Length"), None, "the length was not known in advance");
    // recv returns the framing too: decoding it is the program's job.
    let (data, chunks) = dechunk(&response.body);
    assert_eq!(data, Nginx::chunked_body());
    assert!(chunks > 1, "a page of this size takes several chunks: {chunks}");
    assert_ne!(response.body, data, "the raw body holds the chunk sizes");

    let direct = Response::parse(&nginx.fetch("/chunked.html"));
    assert_eq!(response.fields, direct.fields);
    assert_eq!(dechunk(&direct.body).0, data);
}

#[tokio::test]
async fn a_missing_page_is_404_and_an_old_address_redirects_to_https() {
    let nginx = Nginx::start();
    let relay = TestRelay::start(&[]).await;
    let mut page = Page::open(&relay).await;

    let missing = Response::parse(&tutorial_fetch(&mut page, &nginx, "/no-such-page").await.concat());
    assert_eq!((missing.status, missing.reason.as_str()), (404, "Not Found"));
    let html = String::from_utf8(missing.body).unwrap();
    assert!(html.contains("<title>404 Not Found</title>"), "nginx's own error page: {html}");

    let moved = Response::parse(&tutorial_fetch(&mut page, &nginx, "/old").await.concat());
    assert_eq!((moved.status, moved.reason.as_str()), (301, "Moved Permanently"));
    assert_eq!(moved.header("Location"), Some("https://localhost/"));
}
