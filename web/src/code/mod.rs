//! The learner's program as code, and what each step made the kernel do.
//!
//! A lesson runs its socket calls one at a time. Beside the steps, the page
//! shows the same program whole, as a file the learner can save and run:
//! in Python with the tutorial's calls ([`python`]), and in Rust with
//! nothing but `std::net` ([`rust`]). Every [`Line`] of a listing names the
//! steps it carries out, so the page can light up the code of the step that
//! runs. Most calls are one line in either language; the receive loop is
//! several. And the two languages do not always cut the work the same way:
//! Rust has no unconnected TCP socket, so `TcpStream::connect` both makes
//! the socket and connects it, and its line carries out two steps.
//!
//! [`explain()`] says what the kernel did for a step (the three-way handshake,
//! the ephemeral port, the send buffer, FIN, TIME_WAIT), filled with what
//! the step really returned.

pub mod explain;
pub mod python;
pub mod rust;
pub mod view;

use std::ops::Range;

use crate::steps::call::Call;

pub use explain::{Facts, explain};

/// One line of a listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub text: String,
    /// The plan steps the line carries out: one for most lines, none for
    /// lines such as `import socket`, two for Rust's `TcpStream::connect`.
    pub steps: Range<usize>,
}

impl Line {
    /// A line that belongs to no step.
    fn plain(text: &str) -> Line {
        Line { text: text.to_owned(), steps: 0..0 }
    }

    /// Whether the line carries out step `index`: the lines to light up
    /// while that step is current.
    pub fn marks(&self, index: usize) -> bool {
        self.steps.contains(&index)
    }
}

/// The languages a program is listed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    Python,
    Rust,
}

impl Language {
    pub const ALL: [Language; 2] = [Language::Python, Language::Rust];

    /// The name used in the page's ids and classes.
    pub fn name(self) -> &'static str {
        match self {
            Language::Python => "python",
            Language::Rust => "rust",
        }
    }

    /// The name shown to people, the same in every language.
    pub fn title(self) -> &'static str {
        match self {
            Language::Python => "Python",
            Language::Rust => "Rust (std::net)",
        }
    }
}

/// The whole program for `calls` (a lesson's steps, in order), runnable as
/// it is when the learner's host and port are.
pub fn listing(language: Language, calls: &[Call]) -> Vec<Line> {
    match language {
        Language::Python => python::listing(calls),
        Language::Rust => rust::listing(calls),
    }
}

/// Whether the program reads a whole response, and so ends as the
/// tutorial's web client does: the header printed, the page saved.
fn saves_page(calls: &[Call]) -> bool {
    calls.iter().any(|call| matches!(call, Call::RecvLoop { .. }))
}
