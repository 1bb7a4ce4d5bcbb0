//! An automated accessibility scan of every tab, in both languages, with
//! axe-core (Deque's checker, the engine behind many browsers' audits),
//! run inside the page. Serious and critical violations fail the test:
//! missing labels, names and roles a screen reader needs, contrast too low
//! to read. Lesser ones are printed. `cargo xtask` installs axe-core and
//! says where it is with `AXE_CORE`.

use serde_json::Value;

use crate::harness::{Browser, RelayProcess};

/// Runs axe-core on the page as it is; returns its violations.
async fn violations(browser: &Browser, axe: &str) -> Vec<Value> {
    browser.script(axe).await;
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
    let relay = RelayProcess::start(&[]);
    let browser = Browser::start().await;
    let mut serious = Vec::new();
    let mut scan = async |page: &str| {
        for violation in violations(&browser, &axe).await {
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
            scan(&format!("{lang} {tab}")).await;
        }
        // In the dark theme, with two clients, a finished conversation,
        // its program, server log and diagram on show.
        browser.open(&relay.url(&format!("?lang={lang}&lesson=hello&theme=dark")), connected).await;
        browser.click("#hello-add-client").await;
        browser.click("#hello-run-all").await;
        browser.wait_for_text("#hello-notice", |text| text.contains("Done") || text.contains("完成")).await;
        scan(&format!("{lang} hello, dark, after a run")).await;
        // A lesson alone, as a course page frames it.
        browser.open(&relay.url(&format!("embed/http?lang={lang}&theme=dark")), connected).await;
        scan(&format!("{lang} /embed/http, dark")).await;
    }
    // The scan would see one: an input without a label is critical.
    browser
        .script("document.body.append(Object.assign(document.createElement('input'), { id: 'unlabelled' }))")
        .await;
    let probe = violations(&browser, &axe).await;
    assert!(probe.iter().any(|violation| violation["id"] == "label"), "axe finds an unlabelled input");
    browser.close().await;
    assert!(serious.is_empty(), "serious or critical violations:\n{}", serious.join("\n"));
}
