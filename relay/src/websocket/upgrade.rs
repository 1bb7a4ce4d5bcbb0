//! From `GET /ws` to the TCP connection under it.
//!
//! A page opens a WebSocket with an ordinary HTTP request that asks to
//! switch protocols:
//!
//! ```text
//! GET /ws HTTP/1.1                         HTTP/1.1 101 Switching Protocols
//! Connection: Upgrade                      Connection: upgrade
//! Upgrade: websocket               ──►     Upgrade: websocket
//! Sec-WebSocket-Version: 13                Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=
//! Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==
//! ```
//!
//! tungstenite checks the request and writes that answer; the accept value
//! proves the server read the key (RFC 6455, section 4.2.2). Once the 101
//! is sent, the HTTP server (hyper) lets go of the connection, and
//! [`Upgrade::on_upgrade`] hands the relay's callback the `TcpStream`
//! itself, not a wrapper: the relay writes its frames with the socket's own
//! calls (see `writer`).

use std::future::Future;

use axum::body::Body;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{Request, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use hyper::upgrade::OnUpgrade;
use hyper_util::rt::TokioIo;
use hyper_util::server::conn::auto::upgrade::downcast;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::error::{Error, ProtocolError};
use tokio_tungstenite::tungstenite::handshake::server::create_response;

/// A valid request to open a WebSocket, not yet answered.
pub struct Upgrade {
    /// The `101 Switching Protocols` that accepts it.
    answer: axum::http::Response<()>,
    on_upgrade: OnUpgrade,
}

/// Why a request to `/ws` is not a WebSocket the relay can open.
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Not a `GET` over HTTP/1.1 with `Connection: upgrade`, `Upgrade:
    /// websocket` and a key: what tungstenite found missing.
    NotWebSocket(String),
    /// A version other than 13: the answer names the one the relay speaks.
    WrongVersion,
    /// The HTTP connection cannot be taken over (not HTTP/1.1 from a client).
    NotUpgradable,
}

impl From<Error> for Refusal {
    fn from(error: Error) -> Refusal {
        match error {
            Error::Protocol(ProtocolError::MissingSecWebSocketVersionHeader) => Refusal::WrongVersion,
            other => Refusal::NotWebSocket(other.to_string()),
        }
    }
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        match self {
            Refusal::NotWebSocket(why) => (StatusCode::BAD_REQUEST, why).into_response(),
            Refusal::WrongVersion => (
                StatusCode::UPGRADE_REQUIRED,
                [(header::SEC_WEBSOCKET_VERSION, "13")],
                "this relay speaks WebSocket version 13",
            )
                .into_response(),
            Refusal::NotUpgradable => {
                (StatusCode::UPGRADE_REQUIRED, "this connection cannot become a WebSocket").into_response()
            }
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Upgrade {
    type Rejection = Refusal;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Refusal> {
        let mut request = Request::new(());
        *request.method_mut() = parts.method.clone();
        *request.version_mut() = parts.version;
        *request.headers_mut() = parts.headers.clone();
        let answer = create_response(&request)?;
        let on_upgrade = parts.extensions.remove::<OnUpgrade>().ok_or(Refusal::NotUpgradable)?;
        Ok(Upgrade { answer, on_upgrade })
    }
}

impl Upgrade {
    /// Answers `101 Switching Protocols`; once it is sent, runs `session`
    /// with the connection and any bytes the page sent right behind its
    /// request.
    pub fn on_upgrade<F, Session>(self, session: F) -> Response
    where
        F: FnOnce(TcpStream, Bytes) -> Session + Send + 'static,
        Session: Future<Output = ()> + Send + 'static,
    {
        let Upgrade { answer, on_upgrade } = self;
        tokio::spawn(async move {
            let upgraded = match on_upgrade.await {
                Ok(upgraded) => upgraded,
                Err(error) => return tracing::debug!("the page left before the upgrade: {error}"),
            };
            // The relay serves HTTP over its own TcpListener (see `Relay::serve`),
            // so the connection under the upgrade is a TcpStream.
            match downcast::<TokioIo<TcpStream>>(upgraded) {
                Ok(parts) => session(parts.io.into_inner(), parts.read_buf).await,
                Err(_) => tracing::error!("a WebSocket arrived over something other than TCP; closed it"),
            }
        });
        answer.map(|()| Body::empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::{HeaderValue, Method};

    async fn refusal(request: Request<()>) -> Refusal {
        let (mut parts, ()) = request.into_parts();
        match Upgrade::from_request_parts(&mut parts, &()).await {
            Ok(_) => panic!("accepted"),
            Err(refusal) => refusal,
        }
    }

    fn websocket_request() -> axum::http::request::Builder {
        Request::get("/ws")
            .header("connection", "keep-alive, Upgrade")
            .header("upgrade", "WebSocket")
            .header("sec-websocket-version", "13")
            .header("sec-websocket-key", "dGhlIHNhbXBsZSBub25jZQ==")
    }

    #[tokio::test]
    async fn requests_that_are_not_websockets_are_refused_with_the_reason() {
        let plain = Request::get("/ws").body(()).unwrap();
        assert!(matches!(refusal(plain).await, Refusal::NotWebSocket(_)));
        let post = websocket_request().method(Method::POST).body(()).unwrap();
        assert!(matches!(refusal(post).await, Refusal::NotWebSocket(_)));
        let mut old = websocket_request().body(()).unwrap();
        old.headers_mut().insert("sec-websocket-version", HeaderValue::from_static("8"));
        assert_eq!(refusal(old).await, Refusal::WrongVersion);
        assert_eq!(Refusal::WrongVersion.into_response().headers()["sec-websocket-version"], "13");
    }

    /// Every header checks out, but a request made in a test has no
    /// connection to take over.
    #[tokio::test]
    async fn a_valid_request_without_a_connection_cannot_be_upgraded() {
        let request = websocket_request().body(()).unwrap();
        assert_eq!(refusal(request).await, Refusal::NotUpgradable);
    }
}
