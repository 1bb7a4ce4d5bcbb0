//! The HTTP lesson in the browser, against Debian's nginx on loopback:
//! the tutorial's first program, from `socket()` to the saved page.

use sha2::{Digest, Sha256};

use crate::harness::{Browser, RelayProcess};
use crate::nginx::Nginx;

/// nginx, a relay, and a browser showing the HTTP lesson in `lang`, with
/// `connect` pointed at nginx.
async fn lesson_page(lang: &str) -> (Nginx, RelayProcess, Browser) {
    let connected = if lang == "zh" { "已连接" } else { "Connected" };
    let nginx = Nginx::start();
    let relay = RelayProcess::start(&[]);
    let browser = Browser::start().await;
    browser.open(&relay.url(&format!("?lang={lang}&lesson=http")), connected).await;
    browser.type_into("#http-host-1", "localhost").await;
    browser.type_into("#http-port-1", &nginx.addr().port().to_string()).await;
    (nginx, relay, browser)
}

/// Replaces the request's path, keeping its other lines.
async fn request_path(browser: &Browser, nginx: &Nginx, path: &str) {
    let request =
        format!("GET {path} HTTP/1.1\nHost: localhost:{}\nConnection: close\n\n", nginx.addr().port());
    browser.type_into("#http-request-2", &request).await;
}

/// Runs one step by its button and waits until it is no longer running.
async fn run_step(browser: &Browser, step: usize) -> String {
    browser.click(&format!("#http-step-{step}")).await;
    let item = format!("#http-steps > li:nth-child({})", step + 1);
    browser.wait_for_text(&item, |text| !text.contains("waiting") && !text.contains("等待")).await
}

/// The header fields as the page's table shows them.
async fn shown_fields(browser: &Browser) -> Vec<(String, String)> {
    let script = "return [...document.querySelectorAll('#http-header tbody tr')]
        .map(tr => [tr.querySelector('th').textContent, tr.querySelector('td').textContent])";
    serde_json::from_value(browser.script(script).await).unwrap()
}

/// The header fields nginx sends for `path`, fetched directly and parsed
/// by httparse; `Date` is left out, as it ticks between two fetches.
fn nginx_fields(nginx: &Nginx, path: &str) -> Vec<(String, String)> {
    let response = nginx.fetch(path);
    let mut fields = [httparse::EMPTY_HEADER; 64];
    let mut parsed = httparse::Response::new(&mut fields);
    parsed.parse(&response).unwrap();
    parsed
        .headers
        .iter()
        .filter(|field| field.name != "Date")
        .map(|field| (field.name.to_owned(), String::from_utf8_lossy(field.value).into_owned()))
        .collect()
}

fn without_date(fields: Vec<(String, String)>) -> Vec<(String, String)> {
    fields.into_iter().filter(|(name, _)| name != "Date").collect()
}

/// How many chunks the page lists in all, from its pager ("chunks 1–100 of 1234").
async fn chunk_total(browser: &Browser) -> usize {
    let pager = browser.wait_for_text("#http-chunks .pager", |text| !text.is_empty()).await;
    let total = pager.rsplit(|c: char| !c.is_ascii_digit()).find(|part| !part.is_empty()).unwrap();
    total.parse().unwrap()
}

fn sha256(bytes: &[u8]) -> String {
    format!("{:x}", Sha256::digest(bytes))
}

#[tokio::test]
async fn step_by_step_the_page_arrives_its_header_is_parsed_and_it_is_saved() {
    let (nginx, _relay, browser) = lesson_page("en").await;
    let bytes_shown = browser.wait_for_text("#http-request-bytes", |text| text.contains("localhost:")).await;
    assert!(bytes_shown.starts_with("GET / HTTP/1.1\\r\\n"), "the CRLFs are visible: {bytes_shown}");

    assert!(run_step(&browser, 0).await.contains("created"));
    let connected = run_step(&browser, 1).await;
    assert!(connected.contains("localhost resolved to") && connected.contains("127.0.0.1"), "{connected}");
    // The 4-tuple: our ephemeral port, and nginx.
    let peer = format!(" → {}", nginx.addr());
    let local = connected.split("connected: ").nth(1).and_then(|rest| rest.split(&peer).next()).unwrap();
    assert!(local.starts_with("127.0.0.1:"), "{connected}");
    let tuple = browser.texts("#http-tuple").await;
    assert_eq!(tuple, [format!("The connection's 4-tuple: ({local}) ⇄ ({})", nginx.addr())]);
    assert!(run_step(&browser, 2).await.contains("sent"));
    // Two turns of the loop by hand: two chunks.
    for turn in 1..=2 {
        let loop_step = run_step(&browser, 3).await;
        assert!(loop_step.contains(&format!("{turn} recv calls returned data")), "{loop_step}");
    }
    let sizes = browser.texts("#http-chunks .chunk").await;
    assert_eq!(sizes.len(), 2);
    // Then the relay loops by itself until b''.
    browser.click("#http-stream").await;
    browser.wait_for_text("#http-steps > li:nth-child(4)", |text| text.contains("received b''")).await;
    assert!(run_step(&browser, 4).await.contains("closed"));
    browser.wait_for_text("#http-notice", |text| text.contains("Done")).await;

    // Every byte nginx sent, in as many chunks as recv calls returned data.
    let direct = nginx.fetch("/");
    let progress = browser.wait_for_text("#http-progress", |text| !text.is_empty()).await;
    let chunks = chunk_total(&browser).await;
    assert_eq!(progress, format!("{} bytes received in {chunks} chunks", direct.len()));
    assert!(chunks >= 2, "{progress}");

    // The header: the status line and every field, as nginx sends them.
    assert_eq!(browser.wait_for_text("#http-header .status-line", |_| true).await, "HTTP/1.1 200 OK");
    assert_eq!(without_date(shown_fields(&browser).await), nginx_fields(&nginx, "/"));

    // The body: its size and type, a sandboxed preview, and the saved file.
    let page = Nginx::file("/");
    let body = browser.wait_for_text("#http-body-size", |_| true).await;
    assert_eq!(body, format!("{} bytes; Content-Type: text/html; charset=utf-8", page.len()));
    let sandbox =
        browser.script("return document.querySelector('#http-preview').getAttribute('sandbox')").await;
    assert_eq!(sandbox, "", "the preview runs no scripts");
    browser.client.enter_frame(0).await.unwrap();
    let framed = browser.wait_for_text("body", |text| !text.is_empty()).await;
    browser.client.enter_parent_frame().await.unwrap();
    let page_text = String::from_utf8(page.clone()).unwrap();
    let first_words = framed.split_whitespace().next().unwrap();
    assert!(page_text.contains(first_words), "the preview shows the page: {framed:?}");

    browser.click("#http-save").await;
    assert_eq!(sha256(&browser.downloaded("sina.html").await), sha256(&page));

    // The 4-tuple stays in sight while the learner scrolls down the steps.
    let sticky = browser.scrolled_past_and_in_sight("#http-tuple", "#http-steps > li:last-child").await;
    assert_eq!(sticky, (true, true), "scrolled past the 4-tuple, and it is still in sight");

    // A chunk's bytes in hex and ASCII.
    browser.click("#http-chunks .chunk").await;
    let dump = browser.wait_for_text("#http-chunks figure pre", |text| !text.is_empty()).await;
    assert!(
        dump.starts_with("00000000  48 54 54 50 2f 31 2e 31 20 32 30 30")
            && dump.contains("|HTTP/1.1 200 OK")
    );
    browser.screenshot("http-en").await;
    browser.close().await;
}

#[tokio::test]
async fn run_all_streams_a_large_page_and_saves_it_exactly() {
    let (nginx, _relay, browser) = lesson_page("en").await;
    request_path(&browser, &nginx, "/big.html").await;
    browser.click("#http-run-all").await;
    browser.wait_for_text("#http-notice", |text| text.contains("Done")).await;

    let page = Nginx::file("/big.html");
    let body = browser.wait_for_text("#http-body-size", |_| true).await;
    assert!(body.starts_with(&format!("{} bytes;", page.len())), "{body}");
    let bar = browser
        .script("const p = document.querySelector('#http-progress progress'); return [p.value, p.max]")
        .await;
    assert_eq!(bar, serde_json::json!([1, 1]));
    // Over a thousand chunks, a hundred a page.
    let chunks = chunk_total(&browser).await;
    assert!(chunks > page.len() / 1024, "{chunks} chunks of at most 1024 bytes");
    browser.click("#http-chunks .pager button:last-child").await;
    browser.wait_for_text("#http-chunks .pager", |text| text.contains("chunks 101–200 of")).await;

    browser.click("#http-save").await;
    assert_eq!(sha256(&browser.downloaded("sina.html").await), sha256(&page));
    browser.close().await;
}

#[tokio::test]
async fn chunked_bodies_redirects_and_errors_are_explained_in_chinese() {
    let (nginx, _relay, browser) = lesson_page("zh").await;
    let explanation = |part: &str| format!("{part} .explain");

    request_path(&browser, &nginx, "/chunked.html").await;
    browser.click("#http-run-all").await;
    browser.wait_for_text("#http-notice", |text| text.contains("完成")).await;
    let fields = shown_fields(&browser).await;
    assert!(fields.contains(&("Transfer-Encoding".to_owned(), "chunked".to_owned())), "{fields:?}");
    let decoded = Nginx::chunked_body().len();
    browser
        .wait_for_text(&explanation("#http-body"), |text| text.contains(&format!("（{decoded} 字节）")))
        .await;
    browser.screenshot("http-zh").await;

    for (path, status, said) in [
        ("/old", "HTTP/1.1 301 Moved Permanently", "重定向到 https://localhost"),
        ("/missing", "HTTP/1.1 404 Not Found", "错误页面"),
    ] {
        browser.click("#http-reset").await;
        request_path(&browser, &nginx, path).await;
        browser.click("#http-run-all").await;
        browser.wait_for_text("#http-notice", |text| text.contains("完成")).await;
        assert_eq!(browser.wait_for_text("#http-header .status-line", |_| true).await, status);
        browser.wait_for_text(&explanation("#http-header"), |text| text.contains(said)).await;
        assert_eq!(without_date(shown_fields(&browser).await), nginx_fields(&nginx, path));
    }
    browser.close().await;
}
