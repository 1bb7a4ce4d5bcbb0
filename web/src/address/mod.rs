//! The address panel: an IPv4 or IPv6 address, typed in any of its
//! spellings, shown in all of them, with its bits and what kind of address
//! it is. Everything is worked out here, in the page: no relay is involved.
//!
//! * [`parse`]: reads what the learner typed, or says what is wrong;
//! * [`model`]: the other spellings, the bits, the kinds;
//! * [`view`]: draws the panel.
//!
//! `parse` and `model` are plain Rust, tested natively in
//! `web/tests/address.rs`. The page is downloaded by every learner, so
//! this is written to compile small: std does the parsing and the
//! printing, and the words for each kind and each problem are one text a
//! language, a line each (`Texts::v4_kinds`, ...).

pub mod model;
pub mod parse;
pub mod view;

/// The examples the panel offers, one button each.
pub const EXAMPLES: [&str; 6] =
    ["127.0.0.1", "0.0.0.0", "2130706433", "::1", "::ffff:127.0.0.1", "2001:db8::1"];

/// What the panel knows: the text in its input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddressPanel {
    pub text: String,
}

impl Default for AddressPanel {
    fn default() -> Self {
        AddressPanel { text: EXAMPLES[0].to_owned() }
    }
}
