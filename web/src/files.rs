//! Bytes the page hands to the browser as files: the HTTP lesson's body
//! saved as `sina.html`, as the tutorial's program writes it, or shown in
//! a sandboxed frame; a sequence diagram saved as SVG.
//!
//! Both go through an object URL (`blob:...`): the browser keeps the bytes
//! and gives them an address. [`ObjectUrl`] gives the address back when
//! dropped, so the bytes do not outlive their use.

use wasm_bindgen::JsCast;
use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement, Url};

/// An object URL for some bytes; revoked when dropped.
#[derive(Debug)]
pub struct ObjectUrl(String);

impl ObjectUrl {
    /// The bytes, exactly, as a file of type `mime`.
    pub fn new(bytes: &[u8], mime: &str) -> Option<ObjectUrl> {
        let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
        let options = BlobPropertyBag::new();
        options.set_type(mime);
        let blob = Blob::new_with_u8_array_sequence_and_options(&parts, &options).ok()?;
        Url::create_object_url_with_blob(&blob).ok().map(ObjectUrl)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Drop for ObjectUrl {
    fn drop(&mut self) {
        let _ = Url::revoke_object_url(&self.0);
    }
}

/// Asks the browser to save `bytes` as `name`; the returned URL must live
/// until the download has started (the lesson keeps it until the next one).
pub fn download(bytes: &[u8], name: &str) -> Option<ObjectUrl> {
    let url = ObjectUrl::new(bytes, "application/octet-stream")?;
    let anchor: HtmlAnchorElement = crate::dom::el("a").element().dyn_into().ok()?;
    anchor.set_href(url.as_str());
    anchor.set_download(name);
    anchor.click();
    Some(url)
}
