//! The page's end of the WebSocket to the relay.
//!
//! [`Bridge::call`] sends one request and waits for its final answer; the
//! progress messages before it (`resolved`, `chunk`) go to a callback. Every
//! other message (the welcome, the server log, errors addressed to no
//! request) goes to the app as a [`BridgeEvent`].
//!
//! When the relay goes away, every call still waiting fails with
//! [`CallError::RelayGone`], the app is told, and the bridge tries again
//! after a pause that doubles each time (up to ten seconds).

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use bytes::Bytes;
use futures_channel::oneshot;
use protocol::frame::Message as _;
use protocol::{ErrorInfo, Frame, Op, RelayMessage, Request, RequestId, ServerInfo, WireFrame};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{BinaryType, CloseEvent, MessageEvent, WebSocket};

/// A message from the relay with the bytes it carried.
pub type Incoming = Frame<RelayMessage>;

/// Why a call has no answer.
#[derive(Debug, Clone, PartialEq)]
pub enum CallError {
    /// The relay answered with an error.
    Failed(ErrorInfo),
    /// The relay answered with a message (named here) that does not
    /// answer the call: the caller found the relay out of step with the
    /// protocol.
    Unexpected(&'static str),
    /// A streamed read ended, and fewer chunks arrived than the relay read.
    ChunksLost { read: u64, arrived: usize },
    /// The relay went away (or was never there) before answering.
    RelayGone,
}

/// What the bridge tells the app.
#[derive(Debug)]
pub enum BridgeEvent {
    /// A session began: the relay's welcome.
    Welcome { relay: String, servers: Vec<ServerInfo> },
    /// A message addressed to no request (a server log line, a notice).
    Unsolicited(Incoming),
    /// The relay went away, saying `reason` if it said why (it is shutting
    /// down, it is full); another attempt follows in `retry_ms`.
    Gone { retry_ms: u32, reason: Option<String> },
}

type Progress = Box<dyn Fn(&Incoming)>;
type Listener = Closure<dyn FnMut(JsValue)>;

struct Pending {
    progress: Progress,
    done: oneshot::Sender<Result<Incoming, CallError>>,
}

/// The connection to the relay; cheap to clone.
#[derive(Clone)]
pub struct Bridge {
    inner: Rc<Inner>,
}

struct Inner {
    url: String,
    socket: RefCell<Option<WebSocket>>,
    /// The socket's callbacks, kept alive as long as it is.
    callbacks: RefCell<Vec<Listener>>,
    next_id: Cell<RequestId>,
    pending: RefCell<HashMap<RequestId, Pending>>,
    on_event: Box<dyn Fn(BridgeEvent)>,
    /// Failed attempts in a row, for the back-off.
    failures: Cell<u32>,
}

impl Bridge {
    /// Connects to the relay at `url` (`ws://host/ws`).
    pub fn connect(url: String, on_event: impl Fn(BridgeEvent) + 'static) -> Bridge {
        let inner = Rc::new(Inner {
            url,
            socket: RefCell::new(None),
            callbacks: RefCell::new(Vec::new()),
            next_id: Cell::new(1),
            pending: RefCell::new(HashMap::new()),
            on_event: Box::new(on_event),
            failures: Cell::new(0),
        });
        open(&inner);
        Bridge { inner }
    }

    /// Sends a request and waits for its final answer.
    pub async fn call(
        &self,
        op: Op,
        payload: &[u8],
        progress: impl Fn(&Incoming) + 'static,
    ) -> Result<Incoming, CallError> {
        let id = self.inner.next_id.get();
        self.inner.next_id.set(id.wrapping_add(1));
        let frame = Frame::with_payload(Request { id, op }, Bytes::copy_from_slice(payload));
        let (done, answer) = oneshot::channel();
        self.inner.pending.borrow_mut().insert(id, Pending { progress: Box::new(progress), done });
        let sent = match (&*self.inner.socket.borrow(), frame.encode()) {
            (Some(socket), WireFrame::Text(text)) if is_open(socket) => socket.send_with_str(&text).is_ok(),
            (Some(socket), WireFrame::Binary(bytes)) if is_open(socket) => {
                socket.send_with_u8_array(&bytes).is_ok()
            }
            _ => false,
        };
        if !sent {
            self.inner.pending.borrow_mut().remove(&id);
            return Err(CallError::RelayGone);
        }
        answer.await.unwrap_or(Err(CallError::RelayGone))
    }
}

fn is_open(socket: &WebSocket) -> bool {
    socket.ready_state() == WebSocket::OPEN
}

/// Opens a WebSocket and wires its events to `inner`.
fn open(inner: &Rc<Inner>) {
    let socket = match WebSocket::new(&inner.url) {
        Ok(socket) => socket,
        Err(_) => return gone(inner, None),
    };
    socket.set_binary_type(BinaryType::Arraybuffer);

    let weak = Rc::downgrade(inner);
    let on_message = Listener::new(move |event: JsValue| {
        if let (Some(inner), Ok(event)) = (weak.upgrade(), event.dyn_into::<MessageEvent>()) {
            receive(&inner, event.data());
        }
    });
    let weak = Rc::downgrade(inner);
    let on_close = Listener::new(move |event: JsValue| {
        let reason = event.dyn_into::<CloseEvent>().ok().map(|event| event.reason());
        if let Some(inner) = weak.upgrade() {
            gone(&inner, reason.filter(|reason| !reason.is_empty()));
        }
    });
    socket.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    socket.set_onclose(Some(on_close.as_ref().unchecked_ref()));
    *inner.callbacks.borrow_mut() = vec![on_message, on_close];
    *inner.socket.borrow_mut() = Some(socket);
}

/// Reads one message from the relay and hands it to whoever waits for it.
fn receive(inner: &Inner, data: JsValue) {
    let frame = match data.as_string() {
        Some(text) => Incoming::decode_text(&text),
        None => Incoming::decode_binary(Bytes::from(js_sys::Uint8Array::new(&data).to_vec())),
    };
    let incoming = match frame {
        Ok(incoming) => incoming,
        Err(error) => {
            let notice =
                RelayMessage::Error { re: None, socket: None, error: ErrorInfo::protocol(error.to_string()) };
            return (inner.on_event)(BridgeEvent::Unsolicited(Frame::new(notice)));
        }
    };
    if let RelayMessage::Welcome { relay, servers } = &incoming.message {
        inner.failures.set(0);
        let welcome = BridgeEvent::Welcome { relay: relay.clone(), servers: servers.clone() };
        return (inner.on_event)(welcome);
    }
    let re = incoming.message.request_id();
    let mut pending = inner.pending.borrow_mut();
    match re.and_then(|re| pending.get(&re).map(|waiting| (re, waiting))) {
        Some((re, _)) if incoming.message.is_final() => {
            let waiting = pending.remove(&re).expect("found above");
            drop(pending);
            let answer = match incoming.message {
                RelayMessage::Error { error, .. } => Err(CallError::Failed(error)),
                _ => Ok(incoming),
            };
            let _ = waiting.done.send(answer);
        }
        Some((_, waiting)) => (waiting.progress)(&incoming),
        None => {
            drop(pending);
            (inner.on_event)(BridgeEvent::Unsolicited(incoming));
        }
    }
}

/// The relay is gone: fail every waiting call, tell the app, try again later.
fn gone(inner: &Rc<Inner>, reason: Option<String>) {
    inner.socket.borrow_mut().take();
    let waiting: Vec<Pending> = inner.pending.borrow_mut().drain().map(|(_, waiting)| waiting).collect();
    for call in waiting {
        let _ = call.done.send(Err(CallError::RelayGone));
    }
    let failures = inner.failures.get();
    inner.failures.set(failures + 1);
    let retry_ms = (500u32 << failures.min(5)).min(10_000);
    (inner.on_event)(BridgeEvent::Gone { retry_ms, reason });

    let weak = Rc::downgrade(inner);
    let retry = Closure::once_into_js(move || {
        if let Some(inner) = weak.upgrade() {
            open(&inner);
        }
    });
    if let Some(window) = web_sys::window() {
        let _ = window
            .set_timeout_with_callback_and_timeout_and_arguments_0(retry.unchecked_ref(), retry_ms as i32);
    }
}
