//! A few lines that make building the page read like the page.
//!
//! ```ignore
//! el("li").class("step").child(el("code").text("s.recv(1024)"))
//! ```
//!
//! The page has no per-element event handlers: buttons carry a
//! `data-action` attribute and one listener on the page reads it (see
//! `app`), so re-drawing a part of the page leaks nothing.

use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlElement};

/// An element being built.
pub struct El(Element);

pub fn document() -> Document {
    web_sys::window().and_then(|window| window.document()).expect("the page has a document")
}

/// Starts an element: `el("div")`.
pub fn el(tag: &str) -> El {
    El(document().create_element(tag).expect("a valid tag name"))
}

impl El {
    pub fn class(self, class: &str) -> Self {
        self.attr("class", class)
    }

    pub fn id(self, id: &str) -> Self {
        self.attr("id", id)
    }

    pub fn attr(self, name: &str, value: &str) -> Self {
        self.0.set_attribute(name, value).expect("a valid attribute name");
        self
    }

    /// Sets an attribute only when `on` (for `disabled`, `open`, ...).
    pub fn flag(self, name: &str, on: bool) -> Self {
        if on { self.attr(name, "") } else { self }
    }

    /// A button's action, read by the page's one click listener.
    pub fn action(self, action: &str, index: Option<usize>) -> Self {
        let this = self.attr("data-action", action);
        match index {
            Some(index) => this.attr("data-index", &index.to_string()),
            None => this,
        }
    }

    pub fn text(self, text: &str) -> Self {
        self.0.append_with_str_1(text).expect("appending text");
        self
    }

    pub fn child(self, child: El) -> Self {
        self.0.append_child(&child.0).expect("appending a child");
        self
    }

    pub fn children(self, children: impl IntoIterator<Item = El>) -> Self {
        children.into_iter().fold(self, El::child)
    }

    pub fn element(self) -> Element {
        self.0
    }
}

/// Replaces what the element with `id` holds; keeps keyboard focus on the
/// element that had it, if the new content has one with the same id.
pub fn replace(id: &str, children: impl IntoIterator<Item = El>) {
    let document = document();
    let Some(parent) = document.get_element_by_id(id) else { return };
    let focused = document.active_element().map(|element| element.id()).filter(|id| !id.is_empty());
    parent.set_text_content(None);
    for child in children {
        parent.append_child(&child.0).expect("appending a child");
    }
    if let Some(element) = focused.and_then(|id| document.get_element_by_id(&id))
        && let Ok(element) = element.dyn_into::<HtmlElement>()
    {
        let _ = element.focus();
    }
}
