//! The playground's front end, compiled to WebAssembly.
//!
//! The page cannot open TCP sockets, so it asks the relay to, over one
//! WebSocket ([`bridge`]), and shows the learner every call, every answer
//! and every byte. Each lesson is a program of socket calls run a step at a
//! time ([`steps`]): the tutorial's web client ([`http`]) and its Hello
//! server ([`hello`]), each drawn as it happens in a sequence [`diagram`].
//! [`code`] lists the same program in Python and in Rust and says what the
//! kernel did for each step. Beside them, the [`address`] panel shows an address in
//! all its spellings, worked out in the page. Text for people comes from
//! [`i18n`], in English and Chinese; bytes are shown by [`bytes_view`].

pub mod address;
pub mod app;
pub mod bridge;
pub mod bytes_view;
pub mod code;
pub mod diagram;
pub mod dom;
pub mod embed;
pub mod files;
pub mod hello;
pub mod http;
pub mod i18n;
pub mod steps;

use wasm_bindgen::prelude::*;

/// Runs when the module loads: builds the page.
#[wasm_bindgen(start)]
pub fn start() {
    app::App::mount();
}
