//! A real relay process and a real browser for the end-to-end tests:
//! `relay` started from its binary, and Debian's Chromium driven through
//! ChromeDriver (WebDriver) with fantoccini.

use std::io::{BufRead, BufReader};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

/// How long a page may take to show what a test waits for.
const PATIENCE: Duration = Duration::from_secs(20);

/// A `relay` process on ephemeral ports (or on given ones).
pub struct RelayProcess {
    child: Child,
    pub http: SocketAddr,
    pub hello: SocketAddr,
}

impl RelayProcess {
    /// Starts `relay` with `args` after ephemeral-port defaults, and reads
    /// where it listens from its first two lines.
    pub fn start(args: &[&str]) -> RelayProcess {
        let mut child = Command::new(env!("CARGO_BIN_EXE_relay"))
            .args(["--listen", "127.0.0.1:0", "--hello", "127.0.0.1:0", "--hello-delay", "100"])
            .args(["--hello-single", "127.0.0.1:0"])
            // The tests' own servers (nginx) listen on loopback ports.
            .args(["--allow", "127.0.0.0/8", "--ports", "any"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the relay starts");
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let mut address_after = |prefix: &str| -> SocketAddr {
            let line = lines.next().expect("the relay prints where it serves").unwrap();
            let address =
                line.strip_prefix(prefix).unwrap_or_else(|| panic!("{line:?} starts with {prefix:?}"));
            address.trim_end_matches('/').parse().unwrap()
        };
        let http = address_after("Socket Playground: http://");
        let hello = address_after("Hello server: ");
        RelayProcess { child, http, hello }
    }

    pub fn url(&self, query: &str) -> String {
        format!("http://{}/{query}", self.http)
    }

    /// Stops the relay as `kill` or Ctrl+C does (SIGTERM): gracefully.
    pub fn terminate(&mut self) {
        // SAFETY: kill(2) with the pid of a child this harness started.
        unsafe { libc::kill(self.child.id() as libc::pid_t, libc::SIGTERM) };
        let _ = self.child.wait();
    }

    /// Stops the relay at once, as a crash would.
    pub fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for RelayProcess {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A headless Chromium, driven over WebDriver.
pub struct Browser {
    driver: Child,
    pub client: Client,
    /// Where the browser saves downloads.
    pub downloads: tempfile::TempDir,
}

impl Browser {
    /// A browser whose user prefers American English, whatever the machine's locale.
    pub async fn start() -> Browser {
        Browser::speaking("en-US").await
    }

    /// A browser whose user prefers `language` (`zh-CN`): Chromium's
    /// interface language, which `navigator.language` reports, and the
    /// languages it asks web servers for (`Accept-Language`).
    pub async fn speaking(language: &str) -> Browser {
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let chromedriver = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into());
        let driver = Command::new(&chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|error| {
                panic!("{chromedriver} starts (cargo xtask test-browser installs it): {error}")
            });
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(started.elapsed() < PATIENCE, "chromedriver listens on {port}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let downloads = tempfile::Builder::new().prefix("downloads-").tempdir().unwrap();
        let binary = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
        let options = json!({
            "binary": binary,
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=1280,1700",
                format!("--lang={language}"),
            ],
            "prefs": {
                "download.default_directory": downloads.path(),
                "download.prompt_for_download": false,
                "intl.accept_languages": language,
            },
        });
        let mut capabilities = serde_json::Map::new();
        capabilities.insert("goog:chromeOptions".into(), options);
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(capabilities)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .expect("a WebDriver session with Chromium");
        Browser { driver, client, downloads }
    }

    /// Opens a page and waits until it has connected to the relay.
    pub async fn open(&self, url: &str, connected_text: &str) {
        self.client.goto(url).await.unwrap();
        self.wait_for_text("#relay-status", |text| text.contains(connected_text)).await;
    }

    /// Clicks the element, first scrolled to the middle of the window: at
    /// its top, a lesson's sticky 4-tuple may cover it and take the click.
    pub async fn click(&self, css: &str) {
        let element = self.client.find(Locator::Css(css)).await.unwrap_or_else(|_| panic!("{css} exists"));
        let middle = "arguments[0].scrollIntoView({ block: 'center' })";
        self.client.execute(middle, vec![serde_json::to_value(&element).unwrap()]).await.unwrap();
        element.click().await.unwrap();
    }

    /// Replaces an input's text, as typing would.
    pub async fn type_into(&self, css: &str, text: &str) {
        let input = self.client.find(Locator::Css(css)).await.unwrap_or_else(|_| panic!("{css} exists"));
        input.clear().await.unwrap();
        input.send_keys(text).await.unwrap();
    }

    /// Waits until the element's text satisfies `wanted`; returns the text.
    pub async fn wait_for_text(&self, css: &str, wanted: impl Fn(&str) -> bool) -> String {
        let started = Instant::now();
        let mut last = String::from("(no such element)");
        loop {
            if let Ok(element) = self.client.find(Locator::Css(css)).await
                && let Ok(text) = element.text().await
            {
                if wanted(&text) {
                    return text;
                }
                last = text;
            }
            assert!(started.elapsed() < PATIENCE, "waited for {css}; it still says {last:?}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits until at least `count` elements match `css`; returns their texts.
    pub async fn wait_for_texts(&self, css: &str, count: usize) -> Vec<String> {
        let started = Instant::now();
        loop {
            let texts = self.texts(css).await;
            if texts.len() >= count {
                return texts;
            }
            assert!(started.elapsed() < PATIENCE, "waited for {count} of {css}; there are {texts:?}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits for the browser to finish saving a download called `name`; returns its bytes.
    pub async fn downloaded(&self, name: &str) -> Vec<u8> {
        let path = self.downloads.path().join(name);
        let started = Instant::now();
        loop {
            // Chromium writes to a `.crdownload` file and renames it when done.
            if let Ok(bytes) = std::fs::read(&path) {
                return bytes;
            }
            assert!(started.elapsed() < PATIENCE, "{name} was not downloaded");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Runs JavaScript in the page and returns its result.
    pub async fn script(&self, script: &str) -> Value {
        self.client.execute(script, Vec::new()).await.expect("the script runs")
    }

    /// Runs asynchronous JavaScript, which ends by calling its last
    /// argument with the result, and returns that result.
    pub async fn run_async(&self, script: &str) -> Value {
        self.client.execute_async(script, Vec::new()).await.expect("the script runs")
    }

    /// Reads `svg` with the browser's XML parser, as an image viewer
    /// would; returns the texts it shows. Panics if it is not well-formed.
    pub async fn svg_texts(&self, svg: &str) -> Vec<String> {
        let script = format!(
            "const svg = new DOMParser().parseFromString({}, 'image/svg+xml');
             if (svg.querySelector('parsererror') || svg.documentElement.localName !== 'svg') return null;
             return [...svg.querySelectorAll('text')].map(text => text.textContent)",
            serde_json::to_string(svg).unwrap()
        );
        let texts = self.script(&script).await;
        serde_json::from_value(texts).unwrap_or_else(|_| panic!("the SVG parses: {svg}"))
    }

    /// Scrolls the window until `target` is at its top, then says whether
    /// the window has scrolled past where `css` sat, and whether `css` is
    /// still wholly in sight (as a `position: sticky` element stays).
    pub async fn scrolled_past_and_in_sight(&self, css: &str, target: &str) -> (bool, bool) {
        let script = format!(
            "const shown = document.querySelector({css:?});
             scrollTo(0, 0);
             const sat = shown.getBoundingClientRect().top;
             document.querySelector({target:?}).scrollIntoView({{ block: 'start' }});
             const box = shown.getBoundingClientRect();
             return [scrollY > sat, box.top >= 0 && box.bottom <= innerHeight]"
        );
        serde_json::from_value(self.script(&script).await).unwrap()
    }

    /// The texts of the elements that match `css`.
    pub async fn texts(&self, css: &str) -> Vec<String> {
        let script = format!("return [...document.querySelectorAll({css:?})].map(e => e.textContent)");
        let value = self.script(&script).await;
        serde_json::from_value(value).unwrap()
    }

    /// Saves what the page looks like to `artifacts/screenshots/<name>.png`
    /// (git ignores `artifacts/`), for people to look at.
    pub async fn screenshot(&self, name: &str) {
        let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../artifacts/screenshots");
        std::fs::create_dir_all(&folder).unwrap();
        let png = self.client.screenshot().await.expect("a screenshot");
        std::fs::write(folder.join(format!("{name}.png")), png).unwrap();
    }

    /// Ends the WebDriver session, which closes Chromium, then ChromeDriver.
    pub async fn close(self) {
        let _ = self.client.clone().close().await;
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}
