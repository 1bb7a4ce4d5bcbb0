//! Both lessons, finished by keyboard alone: Tab to move, Enter to press,
//! keys to type; no clicks. After each step the page must put focus on
//! the next one (a button that runs is disabled, and a disabled button
//! drops focus), and say what the step did in a live region. Every other
//! button a learner needs is reached and pressed the same way: the
//! server's choice, a second client, the listing in Rust, and saving the
//! diagram.

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

/// Tabs to the button `id` and presses Enter.
async fn press_button(browser: &Browser, id: &str) {
    tab_to(browser, id).await;
    press(browser, &[Key::Enter.into()]).await;
}

/// Waits until the element `id` has `aria-pressed="true"`.
async fn wait_pressed(browser: &Browser, id: &str) {
    let script = format!("return document.getElementById({id:?})?.getAttribute('aria-pressed') === 'true'");
    let started = Instant::now();
    while browser.script(&script).await != true {
        assert!(started.elapsed() < Duration::from_secs(20), "#{id} is never pressed");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The client's program listed in Rust, by its button.
async fn listing_in_rust(browser: &Browser, prefix: &str) {
    press_button(browser, &format!("{prefix}-code-rust")).await;
    wait_pressed(browser, &format!("{prefix}-code-rust")).await;
    let listing = browser.texts(&format!("#{prefix}-code")).await.concat();
    assert!(listing.contains("TcpStream::connect"), "{listing}");
}

/// Saves the lesson's diagram by its button; returns the texts the saved
/// SVG shows, read back by the browser's XML parser.
async fn save_diagram(browser: &Browser, lesson: &str) -> Vec<String> {
    press_button(browser, &format!("{lesson}-save-diagram")).await;
    let svg = String::from_utf8(browser.downloaded(&format!("{lesson}-sequence.svg")).await).unwrap();
    browser.svg_texts(&svg).await
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

    // The program in Rust; then the diagram, saved with the real byte counts.
    listing_in_rust(&browser, "http").await;
    let texts = save_diagram(&browser, "http").await;
    let page = nginx.fetch("/").len();
    let chunks = browser.texts("#http-chunks .chunk").await.len();
    let request =
        format!("GET / HTTP/1.1\r\nHost: localhost:{}\r\nConnection: close\r\n\r\n", nginx.addr().port());
    let (sent, response) = match lang {
        "zh" => (format!("send(): {} 字节", request.len()), format!("{page} 字节，共 {chunks} 次 recv()")),
        _ => (format!("send(): {} bytes", request.len()), format!("{page} bytes, in {chunks} recv() calls")),
    };
    for label in [sent, response] {
        assert!(texts.contains(&label), "the saved diagram shows {label:?}: {texts:?}");
    }
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

    // The single-threaded server, then the threaded one again: connect follows.
    let connect = |port: u16| move |line: &str| line.ends_with(&format!(", {port}))"));
    press_button(&browser, "hello-server-1").await;
    wait_pressed(&browser, "hello-server-1").await;
    browser.wait_for_text("#hello-step-1 code", |line| !connect(relay.hello.port())(line)).await;
    press_button(&browser, "hello-server-0").await;
    wait_pressed(&browser, "hello-server-0").await;
    browser.wait_for_text("#hello-step-1 code", connect(relay.hello.port())).await;

    // A second client, run after the first.
    press_button(&browser, "hello-add-client").await;
    browser.wait_for_text("#hello2-step-0", |text| text.contains("socket.socket")).await;
    tab_to(&browser, "hello-step-0").await;
    enter_through(&browser, "hello", "hello-reset").await;
    tab_to(&browser, "hello2-step-0").await;
    enter_through(&browser, "hello2", "hello-reset").await;

    browser.wait_for_text("#hello-notice", |text| text.contains(done_in(lang))).await;
    browser.wait_for_text("#hello2-notice", |text| text.contains(done_in(lang))).await;
    let transcript = browser.texts("#hello-transcript .bytes").await;
    assert_eq!(transcript.first().map(String::as_str), Some("b'Welcome!'"));
    assert_eq!(transcript.last().map(String::as_str), Some("b'exit'"));
    let live =
        browser.script("return document.querySelector('#hello-transcript').getAttribute('aria-live')").await;
    assert_eq!(live, "polite");

    // The programs in Rust; then the diagram, with both clients, saved.
    listing_in_rust(&browser, "hello").await;
    let texts = save_diagram(&browser, "hello").await;
    let second = if lang == "zh" { "客户端 2" } else { "Client 2" };
    assert!(texts.iter().any(|text| text == second), "the saved diagram has client 2's lane: {texts:?}");
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
