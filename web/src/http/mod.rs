//! The HTTP lesson: the tutorial's first program, which opens a TCP
//! connection to a web server, sends a request it wrote byte by byte,
//! reads until the server closes, and splits what came back into the
//! header and the page.
//!
//! * [`plan`]: the program;
//! * [`response`]: the header parsed, the body decoded (plain Rust);
//! * [`view`]: draws the lesson from its state.

pub mod plan;
pub mod response;
pub mod view;

use std::cell::RefCell;

use crate::code::Language;
use crate::embed::Options;
use crate::files::ObjectUrl;
use crate::steps::call::Field;

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
    /// The language the program is listed in.
    pub code: Language,
}

impl HttpLesson {
    /// The tutorial's program for `host:port`.
    pub fn new(host: &str, port: u16) -> HttpLesson {
        let walk = Walkthrough { plan: Some(plan::tutorial_client(host, port)), ..Walkthrough::default() };
        HttpLesson {
            walk,
            chunk_page: 0,
            chosen_chunk: None,
            preview: RefCell::new(None),
            download: None,
            code: Language::Python,
        }
    }

    /// Forgets what the last run received.
    pub fn clear(&mut self) {
        self.chunk_page = 0;
        self.chosen_chunk = None;
        self.preview.take();
        self.download = None;
    }
}

impl HttpLesson {
    /// The lesson as the page's address asks for it (`?host=`, `?port=`,
    /// `?request=`), else the tutorial's.
    pub fn asked(options: &Options) -> HttpLesson {
        let mut lesson = HttpLesson::default();
        if let Some(plan) = &mut lesson.walk.plan {
            for (field, value) in [(Field::Host, &options.host), (Field::Port, &options.port)] {
                if let Some(value) = value {
                    plan.edit(plan::CONNECT_STEP, field, value);
                }
            }
            plan::follow_address(plan);
            if let Some(request) = &options.request {
                plan.edit(plan::SEND_STEP, Field::Request, request);
            }
        }
        lesson
    }
}

impl Default for HttpLesson {
    fn default() -> Self {
        HttpLesson::new(plan::TUTORIAL_HOST, plan::HTTP_PORT)
    }
}
