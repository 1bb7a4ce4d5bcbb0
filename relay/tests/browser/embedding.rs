//! Embedding: a course page on another origin frames two lessons and
//! drives them with `postMessage` (`www/examples/course.html`, described
//! in `docs/embedding.md`).
//!
//! nginx plays the course's web server twice over: it serves the course
//! page, so its origin is the one given with `--embed-origin`, and it is
//! the web server the HTTP lesson fetches a page from.

use std::net::TcpListener;
use std::time::Duration;

use serde_json::{Value, json};

use crate::harness::{Browser, RelayProcess};
use crate::nginx::Nginx;

/// The course page on nginx's origin, embedding `relay`'s lessons; `query`
/// adds to its address (`&lang=zh`).
fn course_url(nginx: &Nginx, relay: &RelayProcess, query: &str) -> String {
    format!("http://{}/course.html?relay=http://{}{query}", nginx.addr(), relay.http)
}

/// The query that points the HTTP lesson at nginx.
fn at_nginx(nginx: &Nginx) -> String {
    format!("&host=localhost&port={}", nginx.addr().port())
}

/// nginx serving the course page, a relay that lets it frame the
/// playground, and a browser showing the page with `query`, its lessons ready.
async fn course(query: impl Fn(&Nginx) -> String) -> (Nginx, RelayProcess, Browser) {
    let nginx = Nginx::start();
    let relay = RelayProcess::start(&["--embed-origin", &format!("http://{}", nginx.addr())]);
    let browser = Browser::start().await;
    browser.client.goto(&course_url(&nginx, &relay, &query(&nginx))).await.unwrap();
    for lesson in ["http", "hello"] {
        browser.wait_for_texts(&logged(lesson, "ready"), 1).await;
    }
    // Every message the lessons post, as the course page receives it.
    browser
        .script("window.seen = []; addEventListener('message', e => seen.push(e.data)); return null")
        .await;
    (nginx, relay, browser)
}

/// The messages the course page has received since [`course`] set it up.
async fn seen(browser: &Browser) -> Vec<Value> {
    serde_json::from_value(browser.script("return seen").await).unwrap()
}

/// Posts `command` to a lesson's frame, as a course page's script would.
async fn command(browser: &Browser, relay: &RelayProcess, lesson: &str, command: Value) {
    let frame = format!("section[data-lesson='{lesson}'] iframe");
    let origin = format!("http://{}", relay.http);
    let script =
        format!("document.querySelector({frame:?}).contentWindow.postMessage({command}, {origin:?})");
    browser.script(&format!("{script}; return null")).await;
}

/// Runs `script` in the frame of `lesson` (the first or the second).
async fn in_frame(browser: &Browser, lesson: &str, script: &str) -> Value {
    browser.client.enter_frame(if lesson == "http" { 0 } else { 1 }).await.unwrap();
    let value = browser.script(script).await;
    browser.client.enter_parent_frame().await.unwrap();
    value
}

/// `text` in a URL's query: spaces and line breaks escaped.
fn url_encoded(text: &str) -> String {
    text.replace(' ', "%20").replace('\n', "%0A")
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
    let (nginx, _relay, browser) = course(|nginx| format!("{}&theme=dark", at_nginx(nginx))).await;

    // A framed lesson is the lesson alone, in the theme the address asks for.
    let framed = in_frame(
        &browser,
        "http",
        "return [document.querySelector('header.bar'), document.querySelector('nav.lessons'),
                 document.querySelector('[data-lesson=\"http\"]') !== null,
                 document.documentElement.dataset.theme]",
    )
    .await;
    assert_eq!(framed, json!([null, null, true, "dark"]), "no header, no tabs; the HTTP lesson, dark");

    // Run: every step of the HTTP lesson, each reported, then done.
    browser.click("#http-run").await;
    browser.wait_for_texts(&logged("http", "done"), 1).await;
    let steps = browser.texts(&logged("http", "step")).await;
    assert_eq!(step_indexes(&browser, "http").await, json!([0, 1, 2, 3, 4]), "{steps:?}");
    let port = nginx.addr().port();
    assert!(steps[1].contains(&format!("s.connect(('localhost', {port}))")), "?host= and ?port=: {steps:?}");
    assert!(steps[2].contains(&format!("Host: localhost:{port}")), "the Host line follows: {steps:?}");

    // The messages themselves, as docs/embedding.md shows them.
    let seen = seen(&browser).await;
    let socket = "s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)";
    let message = json!({"source": "socket-playground", "type": "step", "lesson": "http", "client": 1});
    let mut first = message.clone();
    first.as_object_mut().unwrap().extend([
        ("index".into(), json!(0)),
        ("call".into(), json!(socket)),
        ("result".into(), json!("socket 1 created: a real kernel socket, not connected yet")),
    ]);
    assert_eq!(seen[0], first);
    let mut done = message;
    done["type"] = json!("done");
    assert_eq!(seen.last(), Some(&done));

    // Each step's result says what the learner reads beside it: where the
    // name led and the connection made, what was sent, read and closed.
    let results: Vec<&str> = seen[1..5].iter().map(|step| step["result"].as_str().unwrap()).collect();
    let (resolved, connection) = results[0].split_once(" connected: ").expect(results[0]);
    assert!(resolved.starts_with("localhost resolved to ") && resolved.contains("127.0.0.1"), "{resolved}");
    let (local, peer) = connection.split_once(" → ").expect(connection);
    assert_eq!(peer, nginx.addr().to_string());
    assert!(local.starts_with("127.0.0.1:") && local != peer, "an ephemeral port of ours: {local}");
    let request = format!("GET / HTTP/1.1\r\nHost: localhost:{port}\r\nConnection: close\r\n\r\n").len();
    assert_eq!(results[1], format!("sent {request} of {request} bytes"));
    let page = nginx.fetch("/").len();
    assert!(results[2].contains(&format!(": {page} bytes in all received b''")), "{}", results[2]);
    assert_eq!(results[3], "closed: the kernel sends FIN to the server");
    // The lesson shows the same connection as its 4-tuple.
    let tuple = in_frame(&browser, "http", "return document.querySelector('#http-tuple').textContent").await;
    assert_eq!(tuple, format!("The connection's 4-tuple: ({local}) ⇄ ({peer})"));

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

/// In Chinese, with a request of the course's own: the lessons report in
/// Chinese, a client the lesson does not have is an error, and `reset`
/// starts the whole lesson over, every client of it.
#[tokio::test]
async fn a_chinese_course_page_sends_its_own_request_and_drives_two_clients() {
    let (nginx, relay, browser) = course(|nginx| {
        let port = nginx.addr().port();
        let request = format!("GET /chunked.html HTTP/1.1\nHost: localhost:{port}\nConnection: close\n\n");
        format!("{}&lang=zh&request={}", at_nginx(nginx), url_encoded(&request))
    })
    .await;

    // ?request= is what the HTTP lesson sends, reported in Chinese.
    browser.click("#http-run").await;
    browser.wait_for_texts(&logged("http", "done"), 1).await;
    let steps = seen(&browser).await;
    let port = nginx.addr().port();
    let request =
        format!("GET /chunked.html HTTP/1.1\r\nHost: localhost:{port}\r\nConnection: close\r\n\r\n");
    assert_eq!(steps[2]["call"], json!(format!("s.send(b'{}')", request.replace("\r\n", "\\r\\n"))));
    assert_eq!(steps[2]["result"], json!(format!("已发送 {0} 字节（共 {0} 字节）", request.len())));
    let connect = steps[1]["result"].as_str().unwrap();
    assert!(connect.starts_with("localhost 解析为 ") && connect.contains(" 已连接："), "{connect}");
    let decoded = Nginx::chunked_body().len();
    let explained =
        in_frame(&browser, "http", "return document.querySelector('#http-body .explain').textContent").await;
    assert!(explained.as_str().unwrap().contains(&format!("（{decoded} 字节）")), "{explained}");

    // The Hello lesson has one client: a command for a second is refused.
    command(&browser, &relay, "hello", json!({"type": "step", "client": 2})).await;
    browser.wait_for_texts(&logged("hello", "error"), 1).await;
    let refused = json!({
        "source": "socket-playground", "type": "error", "lesson": "hello", "client": 2,
        "error": {"kind": "CommandError", "message": "没有客户端 2：本课只有 1 个客户端。"},
    });
    assert_eq!(seen(&browser).await.last(), Some(&refused));

    // The learner adds one in the lesson; now both can be stepped.
    in_frame(&browser, "hello", "document.querySelector('#hello-add-client').click(); return null").await;
    command(&browser, &relay, "hello", json!({"type": "step", "client": 2})).await;
    let stepped = browser.wait_for_texts(&logged("hello", "step"), 1).await;
    assert!(stepped[0].starts_with("hello · client 2 · step 0 · s = socket.socket("), "{stepped:?}");
    assert!(stepped[0].ends_with("：一个真实的内核套接字，尚未连接"), "{stepped:?}");
    for step in 1..=2 {
        command(&browser, &relay, "hello", json!({"type": "step"})).await;
        browser.wait_for_texts(&logged("hello", "step"), 1 + step).await;
    }
    let clients = seen(&browser)
        .await
        .iter()
        .filter(|m| m["type"] == "step" && m["lesson"] == "hello")
        .map(|m| m["client"].clone())
        .collect::<Vec<_>>();
    assert_eq!(clients, [2, 1, 1]);
    browser.screenshot("course-zh").await;

    // Reset, even naming a client, starts the whole lesson over.
    command(&browser, &relay, "hello", json!({"type": "reset", "client": 2})).await;
    let done = "return [document.querySelectorAll('#hello-clients .step.done').length,
                        document.querySelectorAll('#hello-clients .client').length]";
    let started = std::time::Instant::now();
    while in_frame(&browser, "hello", done).await != json!([0, 2]) {
        assert!(started.elapsed() < Duration::from_secs(10), "every client starts over, and both stay");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    browser.close().await;
}

/// A step that fails reaches the course page as an `error` event, with
/// Python's name for it and the relay's words, and the run stops there.
#[tokio::test]
async fn a_refused_connection_is_an_error_event() {
    let nobody = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let (_nginx, _relay, browser) = course(|_| format!("&host=127.0.0.1&port={nobody}&lang=zh")).await;

    browser.click("#http-run").await;
    let logged_error = browser.wait_for_texts(&logged("http", "error"), 1).await;
    let error = json!({
        "source": "socket-playground", "type": "error", "lesson": "http", "client": 1, "index": 1,
        "error": {"kind": "ConnectionRefusedError", "message": "[Errno 111] Connection refused"},
    });
    let seen = seen(&browser).await;
    assert_eq!(
        seen.iter().map(|m| m["type"].as_str().unwrap()).collect::<Vec<_>>(),
        ["step", "error"],
        "no done"
    );
    assert_eq!(seen[1], error);
    assert_eq!(logged_error, ["http · step 1 · ConnectionRefusedError: [Errno 111] Connection refused"]);
    // The learner reads it in Chinese, with Python's name and the relay's words.
    let shown =
        in_frame(&browser, "http", "return document.querySelector('#http-steps .error').textContent").await;
    assert_eq!(shown, "调用失败：ConnectionRefusedError: [Errno 111] Connection refused");
    browser.close().await;
}

/// The relay names no embedding site, so its pages carry
/// `frame-ancestors 'self'` and the browser will not show them in the course page.
#[tokio::test]
async fn a_site_not_given_with_embed_origin_cannot_frame_the_playground() {
    let nginx = Nginx::start();
    let relay = RelayProcess::start(&[]);
    let browser = Browser::start().await;
    browser.client.goto(&course_url(&nginx, &relay, &at_nginx(&nginx))).await.unwrap();
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
