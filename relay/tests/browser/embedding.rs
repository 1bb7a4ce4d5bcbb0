//! Embedding: a course page on another origin frames two lessons and
//! drives them with `postMessage` (`www/examples/course.html`, described
//! in `docs/embedding.md`).
//!
//! nginx plays the course's web server twice over: it serves the course
//! page, so its origin is the one given with `--embed-origin`, and it is
//! the web server the HTTP lesson fetches a page from.

use std::time::Duration;

use serde_json::{Value, json};

use crate::harness::{Browser, RelayProcess};
use crate::nginx::Nginx;

/// The course page on nginx's origin, embedding `relay`'s lessons, with the
/// HTTP lesson pointed at nginx; `extra` adds to its query.
fn course_url(nginx: &Nginx, relay: &RelayProcess, extra: &str) -> String {
    let (course, port) = (nginx.addr(), nginx.addr().port());
    format!("http://{course}/course.html?relay=http://{}&host=localhost&port={port}{extra}", relay.http)
}

/// The course page's log entries of one type from one lesson.
fn logged(lesson: &str, kind: &str) -> String {
    format!("#events li[data-lesson='{lesson}'][data-type='{kind}']")
}

/// The step indexes of a lesson's `step` events, in the order they came.
async fn step_indexes(browser: &Browser, lesson: &str) -> Value {
    let css = logged(lesson, "step");
    browser
        .script(&format!("return [...document.querySelectorAll({css:?})].map(li => +li.dataset.index)"))
        .await
}

#[tokio::test]
async fn a_course_page_runs_steps_and_resets_the_lessons_it_frames() {
    let nginx = Nginx::start();
    let relay = RelayProcess::start(&["--embed-origin", &format!("http://{}", nginx.addr())]);
    let browser = Browser::start().await;
    browser.client.goto(&course_url(&nginx, &relay, "&theme=dark")).await.unwrap();
    for lesson in ["http", "hello"] {
        browser.wait_for_texts(&logged(lesson, "ready"), 1).await;
    }

    // A framed lesson is the lesson alone, in the theme the address asks for.
    browser.client.enter_frame(0).await.unwrap();
    let framed = browser
        .script(
            "return [document.querySelector('header.bar'), document.querySelector('nav.lessons'),
                     document.querySelector('[data-lesson=\"http\"]') !== null,
                     document.documentElement.dataset.theme]",
        )
        .await;
    browser.client.enter_parent_frame().await.unwrap();
    assert_eq!(framed, json!([null, null, true, "dark"]), "no header, no tabs; the HTTP lesson, dark");

    // Run: every step of the HTTP lesson, each reported, then done.
    browser
        .script("window.seen = []; addEventListener('message', e => seen.push(e.data)); return null")
        .await;
    browser.click("#http-run").await;
    browser.wait_for_texts(&logged("http", "done"), 1).await;
    let steps = browser.texts(&logged("http", "step")).await;
    assert_eq!(step_indexes(&browser, "http").await, json!([0, 1, 2, 3, 4]), "{steps:?}");
    let port = nginx.addr().port();
    assert!(steps[1].contains(&format!("s.connect(('localhost', {port}))")), "?host= and ?port=: {steps:?}");
    assert!(steps[2].contains(&format!("Host: localhost:{port}")), "the Host line follows: {steps:?}");

    // The messages themselves, as docs/embedding.md shows them.
    let mut seen: Vec<Value> = serde_json::from_value(browser.script("return seen").await).unwrap();
    let result = seen[0].as_object_mut().unwrap().remove("result");
    assert!(result.as_ref().is_some_and(Value::is_string), "a step's result is text: {result:?}");
    let socket = "s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)";
    let message = json!({"source": "socket-playground", "type": "step", "lesson": "http", "client": 1});
    let mut first = message.clone();
    first.as_object_mut().unwrap().extend([("index".into(), json!(0)), ("call".into(), json!(socket))]);
    assert_eq!(seen[0], first);
    let mut done = message;
    done["type"] = json!("done");
    assert_eq!(seen.last(), Some(&done));

    // Step: the Hello lesson's client, one press a step, to `s.close()`.
    let mut pressed = 0;
    loop {
        browser.click("#hello-step").await;
        pressed += 1;
        let steps = browser.wait_for_texts(&logged("hello", "step"), pressed).await;
        assert_eq!(steps.len(), pressed, "one step a press: {steps:?}");
        if steps[pressed - 1].contains("s.close()") {
            break;
        }
        assert!(pressed < 20, "the Hello client closes its socket in the end: {steps:?}");
    }
    browser.wait_for_texts(&logged("hello", "done"), 1).await;
    assert_eq!(step_indexes(&browser, "hello").await, json!((0..pressed).collect::<Vec<_>>()));

    // Reset: the lesson starts over, and the next step is the first.
    browser.click("#hello-reset").await;
    browser.click("#hello-step").await;
    let steps = browser.wait_for_texts(&logged("hello", "step"), pressed + 1).await;
    assert!(steps[pressed].starts_with(&format!("hello · step 0 · {socket}")), "{steps:?}");
    browser.screenshot("course-en").await;
    browser.close().await;
}

/// The relay names no embedding site, so its pages carry
/// `frame-ancestors 'self'` and the browser will not show them in the course page.
#[tokio::test]
async fn a_site_not_given_with_embed_origin_cannot_frame_the_playground() {
    let nginx = Nginx::start();
    let relay = RelayProcess::start(&[]);
    let browser = Browser::start().await;
    browser.client.goto(&course_url(&nginx, &relay, "")).await.unwrap();
    browser.wait_for_text("#relay", |text| text == format!("http://{}", relay.http)).await;

    // A lesson that loaded would say so well within this time.
    tokio::time::sleep(Duration::from_secs(4)).await;
    assert_eq!(browser.texts("#events li").await, Vec::<String>::new());
    let disabled = browser.script("return document.querySelector('#http-run').disabled").await;
    assert_eq!(disabled, Value::Bool(true), "the buttons wait for a lesson that never comes");
    browser.client.enter_frame(0).await.unwrap();
    let playground = browser.script("return document.getElementById('app') !== null").await;
    browser.client.enter_parent_frame().await.unwrap();
    assert_eq!(playground, Value::Bool(false), "the frame shows the browser's refusal, not the playground");
    browser.close().await;
}
