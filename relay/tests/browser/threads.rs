//! Why threads: several clients in the Hello lesson, against the threaded
//! server and its single-threaded twin; and what the page draws of them:
//! the program with its current line lit up, and the sequence diagram,
//! saved as an SVG file.

use std::time::Duration;

use serde_json::Value;

use crate::harness::{Browser, RelayProcess};

async fn lesson_page() -> (RelayProcess, Browser) {
    let relay = RelayProcess::start(&[]);
    let browser = Browser::start().await;
    browser.open(&relay.url("?lang=en&lesson=hello"), "Connected").await;
    (relay, browser)
}

/// Runs step `step` of client `prefix` (`hello`, `hello2`) and waits for it to end.
async fn run_step(browser: &Browser, prefix: &str, step: usize) -> String {
    browser.click(&format!("#{prefix}-step-{step}")).await;
    let item = format!("#{prefix}-steps > li:nth-child({})", step + 1);
    browser.wait_for_text(&item, |text| !text.contains("waiting for the answer")).await
}

/// The names of the diagram's lanes.
async fn lanes(browser: &Browser) -> Vec<String> {
    browser.texts("#hello-diagram text.name").await
}

#[tokio::test]
async fn the_single_threaded_server_makes_the_second_client_wait() {
    let (_relay, browser) = lesson_page().await;
    browser.click("#hello-server-1").await;
    browser.click("#hello-add-client").await;

    for step in 0..3 {
        run_step(&browser, "hello", step).await;
    }
    // Client 2 connects: the kernel completes the handshake and queues it ...
    run_step(&browser, "hello2", 0).await;
    let connected = run_step(&browser, "hello2", 1).await;
    assert!(connected.contains("connected"), "{connected}");
    // ... but nobody accepts it while client 1 is being served.
    browser.click("#hello2-step-2").await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let waiting = browser.texts("#hello2-steps > li.running").await;
    assert_eq!(waiting.len(), 1, "client 2's recv still waits for Welcome!");

    browser.click("#hello-run-all").await;
    browser.wait_for_text("#hello-notice", |text| text.contains("Done")).await;
    let welcome = browser
        .wait_for_text("#hello2-steps > li:nth-child(3) .result", |text| text.contains("received"))
        .await;
    assert!(welcome.contains("b'Welcome!'"), "{welcome}");
    assert_eq!(lanes(&browser).await, ["Client 1", "Client 2", "MainThread"]);
    let log = browser.texts("#hello-log li").await;
    assert!(log.iter().skip(1).all(|line| line.starts_with("[MainThread]")), "{log:?}");
    browser.close().await;
}

#[tokio::test]
async fn the_threaded_server_serves_two_clients_at_once_each_on_its_thread() {
    let (_relay, browser) = lesson_page().await;
    browser.click("#hello-add-client").await;
    for prefix in ["hello", "hello2"] {
        for step in 0..3 {
            let result = run_step(&browser, prefix, step).await;
            assert!(!result.contains("Error"), "{result}");
        }
    }
    let welcomes = browser.texts("#hello-clients li:nth-child(3) .bytes").await;
    assert_eq!(welcomes, ["b'Welcome!'", "b'Welcome!'"], "both are served at once");

    let lanes = lanes(&browser).await;
    assert_eq!(lanes[..3], ["Client 1", "Client 2", "hello-listener"]);
    let threads: Vec<&String> = lanes[3..].iter().filter(|lane| lane.starts_with("Thread-")).collect();
    assert_eq!(threads.len(), 2, "a lane for each client's thread: {lanes:?}");
    assert_ne!(threads[0], threads[1]);
    browser.close().await;
}

#[tokio::test]
async fn the_program_follows_the_steps_and_the_diagram_is_saved() {
    let (relay, browser) = lesson_page().await;
    let current =
        "return [...document.querySelectorAll('#hello-code .current')].map(l => l.textContent.trim())";

    assert_eq!(
        browser.script(current).await,
        Value::from(vec!["s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)"])
    );
    run_step(&browser, "hello", 0).await;
    let connect = format!("s.connect(('{}', {}))", relay.hello.ip(), relay.hello.port());
    assert_eq!(browser.script(current).await, Value::from(vec![connect]));
    let explained = run_step(&browser, "hello", 1).await;
    assert!(explained.contains("SYN"), "connect is explained: {explained}");

    // In Rust, socket() and connect() are one call, already done: the recv is current.
    browser.click("#hello-code-rust").await;
    let rust = browser.texts("#hello-code .line").await.concat();
    assert!(rust.contains("TcpStream::connect"), "{rust}");
    let lines = browser.script(current).await;
    assert!(
        lines.as_array().unwrap().iter().any(|line| line.as_str().unwrap().contains("s.read(&mut buf)")),
        "{lines}"
    );

    run_step(&browser, "hello", 2).await;
    browser.click("#hello-save-diagram").await;
    let svg = String::from_utf8(browser.downloaded("hello-sequence.svg").await).unwrap();
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""), "{svg}");
    for label in ["Client 1", "SYN-ACK", "recv() → 8 bytes"] {
        assert!(svg.contains(label), "the saved diagram shows {label}");
    }
    browser.close().await;
}
