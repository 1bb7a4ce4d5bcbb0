//! An automated accessibility scan of every tab, in both languages, with
//! axe-core (Deque's checker, the engine behind many browsers' audits),
//! run inside the page: the full page, each lesson alone as a course page
//! frames it, and the example course page with its two frames. Serious and
//! critical violations fail the test: missing labels, names and roles a
//! screen reader needs, contrast too low to read. Lesser ones are printed.
//! `cargo xtask` installs axe-core and says where it is with `AXE_CORE`.

use serde_json::Value;

use crate::harness::{Browser, RelayProcess};
use crate::nginx::Nginx;

/// Loads axe-core into the page with `setup` (its script, and any
/// configuration), runs it on the page as it is; returns its violations.
async fn violations(browser: &Browser, setup: &str) -> Vec<Value> {
    browser.script(setup).await;
    let run = "const done = arguments[arguments.length - 1];\
               axe.run(document).then(r => done({ passes: r.passes.length, violations: r.violations }));";
    let found = browser.run_async(run).await;
    let passes = found["passes"].as_u64().unwrap_or(0);
    assert!(passes >= 10, "axe checked the page ({passes} rules passed)");
    found["violations"].as_array().cloned().unwrap_or_default()
}

/// One line for a violation: its rule, impact, help and first places.
fn describe(violation: &Value) -> String {
    let targets: Vec<String> = violation["nodes"]
        .as_array()
        .into_iter()
        .flatten()
        .take(3)
        .map(|node| node["target"].to_string())
        .collect();
    format!("{} ({}): {} at {}", violation["id"], violation["impact"], violation["help"], targets.join(", "))
}

#[tokio::test]
async fn no_tab_in_either_language_has_a_serious_violation() {
    let path =
        std::env::var("AXE_CORE").expect("AXE_CORE names axe.min.js (cargo xtask test-browser sets it)");
    let axe = std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("cannot read {path}: {error}"));
    let nginx = Nginx::start();
    let relay = RelayProcess::start(&["--embed-origin", &format!("http://{}", nginx.addr())]);
    let browser = Browser::start().await;
    let mut serious = Vec::new();
    let mut scan = async |page: &str, setup: &str| {
        for violation in violations(&browser, setup).await {
            let line = format!("{page}: {}", describe(&violation));
            println!("{line}");
            if matches!(violation["impact"].as_str(), Some("serious" | "critical")) {
                serious.push(line);
            }
        }
    };
    for (lang, connected) in [("en", "Connected"), ("zh", "已连接")] {
        for tab in ["http", "hello", "address"] {
            browser.open(&relay.url(&format!("?lang={lang}&lesson={tab}")), connected).await;
            scan(&format!("{lang} {tab}"), &axe).await;
        }
        // In the dark theme, with two clients, a finished conversation,
        // its program, server log and diagram on show.
        browser.open(&relay.url(&format!("?lang={lang}&lesson=hello&theme=dark")), connected).await;
        browser.click("#hello-add-client").await;
        browser.click("#hello-run-all").await;
        browser.wait_for_text("#hello-notice", |text| text.contains("Done") || text.contains("完成")).await;
        scan(&format!("{lang} hello, dark, after a run"), &axe).await;
        // Each lesson alone, as a course page frames it.
        for lesson in ["http", "hello", "address"] {
            browser.open(&relay.url(&format!("embed/{lesson}?lang={lang}&theme=dark")), connected).await;
            scan(&format!("{lang} /embed/{lesson}, dark"), &axe).await;
        }
    }
    // The example course page; axe in each frame checks the lesson in it.
    // axe talks to a frame of another origin only if both allow it.
    let (course, playground) = (format!("http://{}", nginx.addr()), format!("http://{}", relay.http));
    let allow = |origin: &str| format!("{axe}; axe.configure({{ allowedOrigins: [{origin:?}] }})");
    browser.client.goto(&format!("{course}/course.html?relay={playground}&lang=zh")).await.unwrap();
    browser.wait_for_texts("#events li[data-type='ready']", 2).await;
    for frame in 0..2 {
        browser.client.enter_frame(frame).await.unwrap();
        browser.script(&allow(&course)).await;
        browser.client.enter_parent_frame().await.unwrap();
    }
    scan("the course page, zh", &allow(&playground)).await;
    // The scan would see one, even inside a lesson's frame: an input
    // without a label is critical.
    browser.client.enter_frame(1).await.unwrap();
    browser
        .script("document.body.append(Object.assign(document.createElement('input'), { id: 'unlabelled' }))")
        .await;
    browser.client.enter_parent_frame().await.unwrap();
    let probe = violations(&browser, &allow(&playground)).await;
    assert!(probe.iter().any(|violation| violation["id"] == "label"), "axe finds an unlabelled input");
    browser.close().await;
    assert!(serious.is_empty(), "serious or critical violations:\n{}", serious.join("\n"));
}
