//! The HTTP lesson: the tutorial's first program, which opens a TCP
//! connection to a web server, sends a request it wrote byte by byte,
//! reads until the server closes, and splits what came back into the
//! header and the page.
//!
//! * [`plan`]: the program;
//! * [`response`]: the header parsed, the body decoded (plain Rust);
//! * [`files`]: saving the body and previewing it;
//! * [`view`]: draws the lesson from its state.

pub mod files;
pub mod plan;
pub mod response;
pub mod view;

use std::cell::RefCell;

use files::ObjectUrl;

use crate::steps::Walkthrough;

/// How many chunks the list shows at once.
pub const CHUNKS_PER_PAGE: usize = 100;

/// Everything the lesson knows.
#[derive(Debug)]
pub struct HttpLesson {
    pub walk: Walkthrough,
    /// Which page of the chunk list is shown.
    pub chunk_page: usize,
    /// The chunk whose bytes are shown.
    pub chosen_chunk: Option<usize>,
    /// The body as the preview frame loads it (the view sets it as it draws).
    pub preview: RefCell<Option<ObjectUrl>>,
    /// The body as the last download saved it.
    pub download: Option<ObjectUrl>,
}

impl HttpLesson {
    /// The tutorial's program for `host:port`.
    pub fn new(host: &str, port: u16) -> HttpLesson {
        let walk = Walkthrough { plan: Some(plan::tutorial_client(host, port)), ..Walkthrough::default() };
        HttpLesson { walk, chunk_page: 0, chosen_chunk: None, preview: RefCell::new(None), download: None }
    }

    /// Forgets what the last run received.
    pub fn clear(&mut self) {
        self.chunk_page = 0;
        self.chosen_chunk = None;
        self.preview.take();
        self.download = None;
    }
}

impl Default for HttpLesson {
    fn default() -> Self {
        HttpLesson::new(plan::TUTORIAL_HOST, plan::HTTP_PORT)
    }
}
