//! What every lesson shares: a program of socket calls, run one step at a
//! time through the relay.
//!
//! * [`call`]: one socket call and what it returned;
//! * [`plan`]: the program as steps, and where each one is;
//! * [`run`]: carries a step out through the bridge;
//! * [`view`]: draws the steps.
//!
//! A lesson may run several clients side by side (the Hello lesson does,
//! to show why the server needs threads); a [`Track`] names one of them.
//!
//! A lesson keeps its plan in a [`Walkthrough`], with what the runner needs
//! to know besides: whether a step is running, and whether the plan was
//! reset or the relay restarted while it ran.

pub mod call;
pub mod plan;
pub mod run;
pub mod view;

use protocol::SocketId;

use plan::Plan;

/// The page's lessons.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LessonId {
    /// The tutorial's first program: a raw HTTP request to a web server.
    Http,
    /// The tutorial's threaded Hello server and its client.
    Hello,
}

impl LessonId {
    pub const ALL: [LessonId; 2] = [LessonId::Http, LessonId::Hello];

    /// The name used in `?lesson=` and in the page's ids.
    pub fn name(self) -> &'static str {
        match self {
            LessonId::Http => "http",
            LessonId::Hello => "hello",
        }
    }

    pub fn from_name(name: &str) -> Option<LessonId> {
        LessonId::ALL.into_iter().find(|lesson| lesson.name() == name)
    }
}

/// One client's program in a lesson: the HTTP lesson has one client, the
/// Hello lesson as many as the learner adds. `client` counts from 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Track {
    pub lesson: LessonId,
    pub client: usize,
}

impl Track {
    /// The lesson's first (or only) client.
    pub fn first(lesson: LessonId) -> Track {
        Track { lesson, client: 0 }
    }

    /// What the ids of this client's elements start with: the lesson's
    /// name for the first client (`hello-step-2`), with the client's
    /// number for the others (`hello2-step-2`).
    pub fn prefix(self) -> String {
        match self.client {
            0 => self.lesson.name().to_owned(),
            client => format!("{}{}", self.lesson.name(), client + 1),
        }
    }
}

/// A lesson's plan and the state of running it.
#[derive(Debug, Default)]
pub struct Walkthrough {
    /// `None` until the lesson knows enough to write its program.
    pub plan: Option<Plan>,
    /// A step is running: the step buttons wait.
    pub busy: bool,
    /// Counts resets, so that a step still running from before a reset
    /// does not write its answer into the new plan.
    pub generation: u32,
    /// The relay restarted under an open socket.
    pub stale: bool,
}

impl Walkthrough {
    /// Starts over: every step ready again. Returns the socket to close,
    /// if one is open on the relay.
    pub fn reset(&mut self) -> Option<SocketId> {
        let open = self.plan.as_ref().filter(|plan| plan.socket_open() && !self.stale).and_then(Plan::socket);
        self.generation += 1;
        self.busy = false;
        self.stale = false;
        if let Some(plan) = &mut self.plan {
            plan.reset();
        }
        open
    }

    /// The relay went away: a socket it held is gone with it.
    pub fn relay_lost(&mut self) {
        if self.plan.as_ref().is_some_and(Plan::socket_open) {
            self.stale = true;
        }
    }
}
