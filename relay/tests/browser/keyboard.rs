//! Both lessons, finished by keyboard alone: Tab to move, Enter to press,
//! keys to type; no clicks. After each step the page must put focus on
//! the next one (a button that runs is disabled, and a disabled button
//! drops focus), and say what the step did in a live region.

use std::time::{Duration, Instant};

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;

use crate::harness::{Browser, RelayProcess};
use crate::nginx::Nginx;

/// Presses each key in turn, as a keyboard would.
async fn press(browser: &Browser, keys: &[char]) {
    let mut actions = KeyActions::new("keyboard".into());
    for &key in keys {
        actions = actions.then(KeyAction::Down { value: key }).then(KeyAction::Up { value: key });
    }
    browser.client.perform_actions(actions).await.expect("the keys are pressed");
}

async fn focused(browser: &Browser) -> String {
    browser.script("return document.activeElement.id").await.as_str().unwrap_or_default().to_owned()
}

/// Presses Tab until the element `id` has focus.
async fn tab_to(browser: &Browser, id: &str) {
    for _ in 0..80 {
        if focused(browser).await == id {
            return;
        }
        press(browser, &[Key::Tab.into()]).await;
    }
    panic!("Tab never reached #{id}; focus is on #{}", focused(browser).await);
}

/// Replaces the text of the focused input by typing: Control+A, then the text.
async fn retype(browser: &Browser, text: &str) {
    let control = Key::Control.into();
    let mut actions = KeyActions::new("keyboard".into())
        .then(KeyAction::Down { value: control })
        .then(KeyAction::Down { value: 'a' })
        .then(KeyAction::Up { value: 'a' })
        .then(KeyAction::Up { value: control });
    for c in text.chars() {
        actions = actions.then(KeyAction::Down { value: c }).then(KeyAction::Up { value: c });
    }
    browser.client.perform_actions(actions).await.expect("typing");
}

/// Presses Enter on whatever has focus until focus reaches `last`,
/// checking that after each step focus is on a step of `prefix` (the
/// next one, or the same receive loop until `recv` returns `b''`).
async fn enter_through(browser: &Browser, prefix: &str, last: &str) {
    let started = Instant::now();
    let idle = "return !document.querySelector('.step.running') && document.activeElement.id";
    loop {
        let now = focused(browser).await;
        if now == last {
            return;
        }
        assert!(now.starts_with(&format!("{prefix}-step-")), "focus is on #{now}, not on a step");
        press(browser, &[Key::Enter.into()]).await;
        // Wait until the step has ended and focus has landed somewhere.
        while browser.script(idle).await.as_str().is_none_or(str::is_empty) {
            assert!(started.elapsed() < Duration::from_secs(60), "stuck after #{now}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let failed = browser.texts(".step.failed .error").await;
        assert!(failed.is_empty(), "a step failed: {failed:?}");
    }
}

/// "Done" in the page's language.
fn done_in(lang: &str) -> &'static str {
    if lang == "zh" { "完成" } else { "Done" }
}

/// The HTTP lesson against nginx, from choosing it to the closed socket.
async fn http_by_keyboard(lang: &str) {
    let nginx = Nginx::start();
    let relay = RelayProcess::start(&[]);
    let browser = Browser::start().await;
    let connected = if lang == "zh" { "已连接" } else { "Connected" };
    browser.open(&relay.url(&format!("?lang={lang}&lesson=address")), connected).await;

    // Choose the lesson, then point connect at nginx, by typing.
    tab_to(&browser, "show-http").await;
    press(&browser, &[Key::Enter.into()]).await;
    tab_to(&browser, "http-host-1").await;
    retype(&browser, "localhost").await;
    press(&browser, &[Key::Tab.into()]).await;
    retype(&browser, &nginx.addr().port().to_string()).await;

    tab_to(&browser, "http-step-0").await;
    enter_through(&browser, "http", "http-reset").await;

    browser.wait_for_text("#http-notice", |text| text.contains(done_in(lang))).await;
    let said = browser.wait_for_text("#http-announce", |text| text.starts_with("s.close()")).await;
    assert!(said.contains("FIN"), "the live region says what close did: {said}");
    let status = browser.texts("#http-header .status-line").await;
    assert_eq!(status, ["HTTP/1.1 200 OK"]);
    browser.close().await;
}

/// The Hello lesson, opened in the other language and switched to `lang`
/// from the keyboard, run to the end.
async fn hello_by_keyboard(lang: &str) {
    let relay = RelayProcess::start(&[]);
    let browser = Browser::start().await;
    // Start in the other language; after the switch the status reads `connected`.
    let (start, connected) = if lang == "zh" { ("en", "已连接") } else { ("zh", "Connected") };
    browser.open(&relay.url(&format!("?lang={start}&lesson=http")), "").await;

    tab_to(&browser, "language").await;
    press(&browser, &[Key::Enter.into()]).await;
    browser.wait_for_text("#relay-status", |text| text.contains(connected)).await;
    tab_to(&browser, "show-hello").await;
    press(&browser, &[Key::Enter.into()]).await;

    tab_to(&browser, "hello-step-0").await;
    enter_through(&browser, "hello", "hello-reset").await;

    browser.wait_for_text("#hello-notice", |text| text.contains(done_in(lang))).await;
    let transcript = browser.texts("#hello-transcript .bytes").await;
    assert_eq!(transcript.first().map(String::as_str), Some("b'Welcome!'"));
    assert_eq!(transcript.last().map(String::as_str), Some("b'exit'"));
    let live =
        browser.script("return document.querySelector('#hello-transcript').getAttribute('aria-live')").await;
    assert_eq!(live, "polite");
    browser.close().await;
}

#[tokio::test]
async fn the_http_lesson_by_keyboard_alone_in_english() {
    http_by_keyboard("en").await;
}

#[tokio::test]
async fn the_http_lesson_by_keyboard_alone_in_chinese() {
    http_by_keyboard("zh").await;
}

#[tokio::test]
async fn the_hello_lesson_by_keyboard_alone_in_english() {
    hello_by_keyboard("en").await;
}

#[tokio::test]
async fn the_hello_lesson_by_keyboard_alone_in_chinese() {
    hello_by_keyboard("zh").await;
}
