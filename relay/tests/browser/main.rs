//! End-to-end: headless Chromium opens the page a real `relay` process
//! serves, and clicks through the lessons as a learner would.
//!
//! Run with `cargo xtask test-browser` (it installs Chromium and ChromeDriver).

mod accessibility;
mod address;
mod embedding;
mod harness;
mod hello;
mod http;
mod keyboard;
mod language;
#[path = "../common/nginx.rs"]
mod nginx;
mod threads;
