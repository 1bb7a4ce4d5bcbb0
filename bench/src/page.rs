//! The front end: how soon after navigation a learner can make the first call.
//!
//! "Interactive" here means what a learner waits for: the page has loaded
//! its JavaScript and wasm, started, opened its WebSocket, received the
//! relay's `welcome` (`#relay-status` says connected), and the first step
//! of the default lesson, `socket()` of the HTTP lesson (`#http-step-0`),
//! is a button that can be clicked.
//!
//! Timing that from outside the page would add WebDriver's own round trips,
//! and a script run after the page loaded could only see that the moment
//! had already passed. So the timing happens inside the page: before the
//! page's own scripts, in every new document, Chromium runs a small script
//! of ours (DevTools' `Page.addScriptToEvaluateOnNewDocument`, which
//! ChromeDriver forwards) that watches the document with a
//! `MutationObserver` and notes `performance.now()` (milliseconds since
//! the navigation started) at the first change after which the page is
//! interactive. Then WebDriver asks for that number.
//!
//! Each run uses a new browser session, so a new profile with an empty
//! cache: what a learner's first visit costs.

use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder};
use serde_json::{Value, json};

/// How long ChromeDriver may take to listen, and a page to become interactive.
const PATIENCE: Duration = Duration::from_secs(30);

/// Runs in every new document before the page's scripts: notes when the
/// page first becomes interactive, as `window.__interactiveAt`.
const WATCH: &str = r#"
(() => {
  const interactive = () => {
    const step = document.getElementById('http-step-0');
    return step !== null && !step.disabled && document.querySelector('#relay-status .connected') !== null;
  };
  const observer = new MutationObserver(() => {
    if (interactive()) {
      window.__interactiveAt = performance.now();
      observer.disconnect();
    }
  });
  observer.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
})();
"#;

/// Waits for the note `WATCH` leaves, and returns it.
const NOTED: &str = r#"
const done = arguments[arguments.length - 1];
const poll = () => window.__interactiveAt === undefined ? setTimeout(poll, 5) : done(window.__interactiveAt);
poll();
"#;

/// ChromeDriver, stopped when dropped.
pub struct Driver {
    child: Child,
    url: String,
    chromium: String,
}

impl Driver {
    /// Starts `chromedriver` on a free port, to drive the Chromium at `chromium`.
    pub async fn start(chromedriver: &str, chromium: &str) -> Result<Driver, String> {
        let port = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .and_then(|listener| listener.local_addr())
            .map_err(|error| format!("no free port: {error}"))?
            .port();
        let child = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|error| format!("cannot run {chromedriver}: {error}"))?;
        let driver = Driver { child, url: format!("http://127.0.0.1:{port}"), chromium: chromium.into() };
        let started = Instant::now();
        while TcpStream::connect((Ipv4Addr::LOCALHOST, port)).is_err() {
            if started.elapsed() > PATIENCE {
                return Err(format!("{chromedriver} did not listen on port {port}"));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Ok(driver)
    }

    /// Opens `url` in a new headless Chromium and returns the time from the
    /// start of the navigation until the page was interactive.
    pub async fn time_to_interactive(&self, url: &str) -> Result<Duration, String> {
        let client = self.session().await?;
        let measured = tokio::time::timeout(PATIENCE, measure(&client, url)).await;
        let _ = client.close().await;
        match measured {
            Ok(measured) => measured,
            Err(_) => Err(format!("{url} was not interactive after {} s", PATIENCE.as_secs())),
        }
    }

    /// A new WebDriver session: a new Chromium with a new profile.
    async fn session(&self) -> Result<Client, String> {
        let options = json!({
            "binary": self.chromium,
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--window-size=1280,1000",
            ],
        });
        let mut capabilities = serde_json::Map::new();
        capabilities.insert("goog:chromeOptions".into(), options);
        ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(capabilities)
            .connect(&self.url)
            .await
            .map_err(|error| format!("no WebDriver session with Chromium: {error}"))
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Installs the watcher, navigates, and reads what it noted.
async fn measure(client: &Client, url: &str) -> Result<Duration, String> {
    let watch = Cdp { method: "Page.addScriptToEvaluateOnNewDocument", params: json!({ "source": WATCH }) };
    client.issue_cmd(watch).await.map_err(|error| format!("cannot install the watcher: {error}"))?;
    client.goto(url).await.map_err(|error| format!("cannot open {url}: {error}"))?;
    let noted = client.execute_async(NOTED, Vec::new()).await.map_err(|error| format!("{error}"))?;
    match noted.as_f64() {
        Some(ms) if ms >= 0.0 => Ok(Duration::from_secs_f64(ms / 1000.0)),
        _ => Err(format!("the page noted {noted}, not a time")),
    }
}

/// A Chrome DevTools Protocol command, sent through ChromeDriver's
/// `goog/cdp/execute` endpoint.
#[derive(Debug)]
struct Cdp {
    method: &'static str,
    params: Value,
}

impl WebDriverCompatibleCommand for Cdp {
    fn endpoint(&self, base_url: &url::Url, session_id: Option<&str>) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!("session/{}/goog/cdp/execute", session_id.unwrap_or_default()))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (http::Method, Option<String>) {
        let body = json!({ "cmd": self.method, "params": self.params });
        (http::Method::POST, Some(body.to_string()))
    }
}
