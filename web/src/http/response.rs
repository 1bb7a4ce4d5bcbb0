//! Reading what a web server sent: the tutorial's split at the first
//! `\r\n\r\n`, the header parsed with `httparse`, and a chunked body
//! decoded.
//!
//! ```text
//! HTTP/1.1 200 OK\r\n                  ← status line
//! Content-Type: text/html\r\n          ← header fields, one a line
//! Content-Length: 1234\r\n
//! \r\n                                 ← the blank line: the header ends
//! <!doctype html>...                   ← the body, exactly as sent
//! ```
//!
//! Everything here is plain Rust over bytes, so it is tested natively
//! against a real nginx as well as in the browser. Errors say what went
//! wrong as data; the page words them in the learner's language
//! (`http::view::parse_error_text`).

/// At most this many header fields are parsed; more is an error, not a
/// silent cut.
const MAX_FIELDS: usize = 256;

/// The header of a response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// `HTTP/1.1 200 OK`, as sent.
    pub status_line: String,
    pub code: u16,
    pub reason: String,
    /// Every field in the order sent; a repeated field appears each time.
    pub fields: Vec<(String, Vec<u8>)>,
}

/// A response split into its header and its body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response<'a> {
    pub header: Header,
    /// Where the body starts: the header's length with the blank line.
    pub body_start: usize,
    /// Everything after the blank line, exactly as received.
    pub body: &'a [u8],
}

/// Why the bytes are not (yet) a response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParseError {
    /// No blank line yet: more bytes may complete the header.
    Incomplete,
    /// The bytes are not an HTTP response header: httparse says where it
    /// stopped (in the version, the status, a field's name, ...).
    Invalid(httparse::Error),
}

/// Splits `data` at the end of the header and parses the header.
pub fn parse(data: &[u8]) -> Result<Response<'_>, ParseError> {
    let mut fields = [httparse::EMPTY_HEADER; MAX_FIELDS];
    let mut response = httparse::Response::new(&mut fields);
    let body_start = match response.parse(data) {
        Ok(httparse::Status::Complete(length)) => length,
        Ok(httparse::Status::Partial) => return Err(ParseError::Incomplete),
        Err(error) => return Err(ParseError::Invalid(error)),
    };
    let status_end = data.windows(2).position(|pair| pair == b"\r\n").unwrap_or(0);
    let header = Header {
        status_line: String::from_utf8_lossy(&data[..status_end]).into_owned(),
        code: response.code.unwrap_or_default(),
        reason: response.reason.unwrap_or_default().to_owned(),
        fields: response.headers.iter().map(|field| (field.name.to_owned(), field.value.to_vec())).collect(),
    };
    Ok(Response { header, body_start, body: &data[body_start..] })
}

impl Header {
    /// The first field called `name` (names ignore case).
    pub fn field(&self, name: &str) -> Option<&[u8]> {
        self.fields.iter().find(|(field, _)| field.eq_ignore_ascii_case(name)).map(|(_, value)| &value[..])
    }

    fn text(&self, name: &str) -> Option<String> {
        self.field(name).map(|value| String::from_utf8_lossy(value).trim().to_owned())
    }

    pub fn content_type(&self) -> Option<String> {
        self.text("Content-Type")
    }

    pub fn content_length(&self) -> Option<u64> {
        self.text("Content-Length").and_then(|length| length.parse().ok())
    }

    /// Whether the body is sent in chunked transfer encoding.
    pub fn is_chunked(&self) -> bool {
        self.text("Transfer-Encoding").is_some_and(|codings| {
            codings.rsplit(',').next().is_some_and(|last| last.trim().eq_ignore_ascii_case("chunked"))
        })
    }

    /// Where a redirect (3xx with `Location`) points.
    pub fn redirect(&self) -> Option<String> {
        (300..400).contains(&self.code).then(|| self.text("Location")).flatten()
    }
}

/// Why a chunked body could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChunkedError {
    /// A chunk's size line is not a hex number.
    BadSize { at: usize },
    /// A chunk is not followed by `\r\n`.
    BadEnd { at: usize },
    /// The body ends before its last (zero-sized) chunk.
    Truncated { at: usize },
}

/// Decodes a chunked body: each chunk is its size in hex, `\r\n`, the
/// bytes, `\r\n`; a chunk of size 0 ends the body (trailers are skipped).
pub fn decode_chunked(body: &[u8]) -> Result<Vec<u8>, ChunkedError> {
    let mut decoded = Vec::with_capacity(body.len());
    let mut at = 0;
    loop {
        let (start, size) = match httparse::parse_chunk_size(&body[at..]) {
            Ok(httparse::Status::Complete(found)) => found,
            Ok(httparse::Status::Partial) => return Err(ChunkedError::Truncated { at }),
            Err(_) => return Err(ChunkedError::BadSize { at }),
        };
        if size == 0 {
            return Ok(decoded);
        }
        let data = at + start;
        let end = usize::try_from(size).ok().and_then(|size| data.checked_add(size));
        let Some(end) = end.filter(|end| end + 2 <= body.len()) else {
            return Err(ChunkedError::Truncated { at: body.len() });
        };
        if &body[end..end + 2] != b"\r\n" {
            return Err(ChunkedError::BadEnd { at: end });
        }
        decoded.extend_from_slice(&body[data..end]);
        at = end + 2;
    }
}
