//! The Hello lesson in the browser.

use std::net::TcpListener;

use serde_json::Value;

use crate::harness::{Browser, RelayProcess};

/// The conversation as the page shows it: (direction class, bytes).
async fn transcript(browser: &Browser) -> Vec<(String, String)> {
    let script = "return [...document.querySelectorAll('#hello-transcript li')]
        .map(li => [li.className, li.querySelector('.bytes').textContent])";
    serde_json::from_value::<Vec<(String, String)>>(browser.script(script).await).unwrap()
}

fn tutorial_transcript() -> Vec<(String, String)> {
    let mut expected = vec![("received", "b'Welcome!'".to_owned())];
    for name in ["Michael", "Tracy", "Sarah"] {
        expected.push(("sent", format!("b'{name}'")));
        expected.push(("received", format!("b'Hello,{name}!'")));
    }
    expected.push(("sent", "b'exit'".to_owned()));
    expected.into_iter().map(|(class, bytes)| (class.to_owned(), bytes)).collect()
}

/// A relay, and a browser showing its page in `lang` ("en" or "zh"), connected to it.
async fn lesson_page(lang: &str) -> (RelayProcess, Browser) {
    let connected = if lang == "zh" { "已连接" } else { "Connected" };
    let relay = RelayProcess::start(&[]);
    let browser = Browser::start().await;
    browser.open(&relay.url(&format!("?lang={lang}&lesson=hello")), connected).await;
    (relay, browser)
}

/// Runs each step by its button, waiting for each answer.
async fn run_steps(browser: &Browser, steps: std::ops::Range<usize>) {
    for step in steps {
        browser.click(&format!("#hello-step-{step}")).await;
        let item = format!("#hello-steps > li:nth-child({})", step + 1);
        browser.wait_for_text(&item, |text| !text.contains("waiting")).await;
    }
}

/// The client's local port, from the 4-tuple the page shows.
async fn local_port(browser: &Browser) -> u16 {
    let tuple = browser.wait_for_text("#hello-tuple", |text| text.contains("⇄")).await;
    let local = tuple.split('(').nth(1).and_then(|rest| rest.split(')').next()).unwrap();
    local.rsplit(':').next().unwrap().parse().unwrap()
}

#[tokio::test]
async fn run_all_plays_the_tutorials_conversation() {
    let (_relay, browser) = lesson_page("en").await;

    browser.click("#hello-run-all").await;
    browser.wait_for_text("#hello-notice", |text| text.contains("Done")).await;

    assert_eq!(transcript(&browser).await, tutorial_transcript());
    let states = browser
        .script("return [...document.querySelectorAll('#hello-steps > li')].map(li => li.className)")
        .await;
    assert_eq!(states, Value::from(vec!["step done"; 11]));

    // The server's side of the same connection, beside it.
    let port = local_port(&browser).await;
    // The server logs the close after the client's close() has returned.
    let closed = format!("Connection from 127.0.0.1:{port} closed.");
    browser.wait_for_text("#hello-log li:last-child", |line| line.ends_with(&closed)).await;
    let log = browser.texts("#hello-log li").await;
    assert_eq!(log.first().map(String::as_str), Some("[hello-listener] Waiting for connection..."));
    assert!(log[1].ends_with(&format!("Accept new connection from 127.0.0.1:{port}...")), "{log:?}");
    assert!(log.iter().any(|line| line.ends_with("sock.recv(1024) → b'Tracy'")), "{log:?}");
    assert!(log.iter().any(|line| line.ends_with("sock.send(b'Hello,Sarah!')")), "{log:?}");
    browser.screenshot("hello-en").await;

    // The 4-tuple stays in sight while the learner scrolls down the client's steps.
    let sticky = browser.scrolled_past_and_in_sight("#hello-tuple", "#hello-steps > li:last-child").await;
    assert_eq!(sticky, (true, true), "scrolled past the 4-tuple, and it is still in sight");
    browser.close().await;
}

#[tokio::test]
async fn step_by_step_with_a_message_of_ones_own() {
    let (_relay, browser) = lesson_page("en").await;

    // Only the next step can run.
    let disabled = browser.script("return document.querySelector('#hello-step-1').disabled").await;
    assert_eq!(disabled, Value::Bool(true));

    browser.type_into("#hello-text-3", "Zoë").await;
    run_steps(&browser, 0..3).await;
    browser
        .wait_for_text("#hello-steps > li:nth-child(3) .result", |text| text.contains("b'Welcome!'"))
        .await;

    browser.click("#hello-step-3").await;
    let sent =
        browser.wait_for_text("#hello-steps > li:nth-child(4) .result", |text| text.contains("sent")).await;
    assert!(sent.contains("sent 4 of 4 bytes"), "Zoë is four bytes in UTF-8: {sent}");
    browser.click("#hello-step-4").await;
    let reply = browser
        .wait_for_text("#hello-steps > li:nth-child(5) .result", |text| text.contains("received"))
        .await;
    assert!(reply.contains(r"b'Hello,Zo\xc3\xab!'"), "{reply}");
    assert!(reply.contains("received 11 bytes"), "Hello, + 4 + !: {reply}");
    browser.close().await;
}

#[tokio::test]
async fn a_refused_connection_is_shown_and_can_be_retried() {
    let (relay, browser) = lesson_page("en").await;
    let nobody = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();

    browser.type_into("#hello-port-1", &nobody.to_string()).await;
    browser.click("#hello-step-0").await;
    browser.wait_for_text("#hello-steps > li:nth-child(1)", |text| text.contains("socket 1 created")).await;
    browser.click("#hello-step-1").await;
    let failure =
        browser.wait_for_text("#hello-steps > li:nth-child(2) .result", |text| text.contains("Error")).await;
    assert!(failure.contains("ConnectionRefusedError: [Errno 111] Connection refused"), "{failure}");

    browser.type_into("#hello-port-1", &relay.hello.port().to_string()).await;
    browser.click("#hello-step-1").await;
    let connected = browser
        .wait_for_text("#hello-steps > li:nth-child(2) .result", |text| text.contains("connected"))
        .await;
    assert!(connected.contains(&format!("→ {}", relay.hello)), "{connected}");
    browser.close().await;
}

#[tokio::test]
async fn the_lesson_in_chinese_and_the_language_switch() {
    let (_relay, browser) = lesson_page("zh").await;
    assert_eq!(browser.texts("h1").await, ["Socket 演练场"]);
    assert_eq!(browser.script("return document.documentElement.lang").await, Value::from("zh-CN"));

    browser.click("#hello-run-all").await;
    browser.wait_for_text("#hello-notice", |text| text.contains("完成")).await;
    let directions = browser.texts("#hello-transcript .direction").await;
    assert_eq!(directions.first().map(String::as_str), Some("服务器 → 客户端"));
    assert_eq!(transcript(&browser).await, tutorial_transcript());
    browser.screenshot("hello-zh").await;

    browser.click("#language").await;
    assert_eq!(browser.texts("h1").await, ["Socket Playground"]);
    assert!(browser.client.current_url().await.unwrap().as_str().ends_with("?lang=en&lesson=hello"));
    // The conversation is still there, now in English.
    let directions = browser.texts("#hello-transcript .direction").await;
    assert_eq!(directions.first().map(String::as_str), Some("server → client"));
    let focused = browser.script("return document.activeElement.id").await;
    assert_eq!(focused, Value::from("language"), "the switch keeps keyboard focus");
    browser.close().await;
}

#[tokio::test]
async fn the_relay_going_away_is_shown_and_the_page_reconnects() {
    let (mut relay, browser) = lesson_page("en").await;
    run_steps(&browser, 0..3).await;

    relay.terminate();
    let status = browser.wait_for_text("#relay-status", |text| text.contains("The relay is gone")).await;
    assert!(status.contains("“the relay is shutting down”"), "the page says why: {status}");
    browser.click("#hello-step-3").await;
    let failure =
        browser.wait_for_text("#hello-steps > li:nth-child(4) .result", |text| !text.is_empty()).await;
    assert!(failure.contains("The relay went away"), "{failure}");

    // The relay comes back on the same ports: the page reconnects by itself,
    // and says that the old socket is gone.
    let (http, hello) = (relay.http.to_string(), relay.hello.to_string());
    let _relay = RelayProcess::start(&["--listen", &http, "--hello", &hello]);
    browser.wait_for_text("#relay-status", |text| text.contains("Connected")).await;
    browser.wait_for_text("#hello-notice", |text| text.contains("restarted")).await;
    browser.click("#hello-reset").await;
    browser.click("#hello-run-all").await;
    browser.wait_for_text("#hello-notice", |text| text.contains("Done")).await;
    assert_eq!(transcript(&browser).await, tutorial_transcript());
    browser.close().await;
}

#[tokio::test]
async fn a_double_click_runs_a_step_once() {
    let (_relay, browser) = lesson_page("en").await;
    // Two clicks before the page can redraw (and disable) the button.
    browser
        .script("const b = document.querySelector('#hello-step-0'); b.click(); b.click(); return null")
        .await;
    let result =
        browser.wait_for_text("#hello-steps > li:nth-child(1)", |text| text.contains("created")).await;
    assert!(result.contains("socket 1 created"), "{result}");
    // Had the second click run too, the relay would have made socket 2; the next socket() shows which it was.
    browser.click("#hello-reset").await;
    browser.click("#hello-step-0").await;
    let again =
        browser.wait_for_text("#hello-steps > li:nth-child(1)", |text| text.contains("created")).await;
    assert!(again.contains("socket 2 created"), "one socket before this one: {again}");
    browser.close().await;
}
