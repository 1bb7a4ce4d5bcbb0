//! The lesson servers: real TCP servers the relay runs beside the playground,
//! so a learner always has something to connect to.

pub mod hello;
pub mod log;
