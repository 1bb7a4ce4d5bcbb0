//! The address panel in the browser: typed addresses shown in all their
//! spellings, worked out by the page without the relay.

use fantoccini::Locator;
use fantoccini::key::Key;
use serde_json::{Value, json};

use crate::harness::{Browser, RelayProcess};

/// A relay, and a browser showing the address panel in `lang` ("en" or "zh").
async fn panel_page(lang: &str) -> (RelayProcess, Browser) {
    let connected = if lang == "zh" { "已连接" } else { "Connected" };
    let relay = RelayProcess::start(&[]);
    let browser = Browser::start().await;
    browser.open(&relay.url(&format!("?lang={lang}&lesson=address")), connected).await;
    (relay, browser)
}

async fn input_value(browser: &Browser) -> Value {
    browser.script("return document.querySelector('#address-input').value").await
}

async fn focused(browser: &Browser) -> Value {
    browser.script("return document.activeElement.id").await
}

#[tokio::test]
async fn an_integer_an_ipv6_address_and_mistakes() {
    let (_relay, browser) = panel_page("en").await;
    let live = browser.script("return document.querySelector('#address-output').ariaLive").await;
    assert_eq!(live, Value::from("polite"));

    // Typed key by key: every keystroke redraws the output, never the input.
    browser.type_into("#address-input", "2130706433").await;
    browser.wait_for_text("#address-dotted", |text| text == "127.0.0.1").await;
    assert_eq!(input_value(&browser).await, Value::from("2130706433"));
    assert_eq!(browser.texts("#address-integer").await, ["2130706433"]);
    assert_eq!(browser.texts("#address-hex").await, ["0x7f000001"]);
    let kind = browser.wait_for_text("#address-kind", |text| !text.is_empty()).await;
    assert!(kind.starts_with("Loopback, 127.0.0.0/8: this machine."), "{kind}");
    let bits = browser.texts("#address-bits pre").await;
    assert_eq!(bits, ["127      0        0        1\n01111111 00000000 00000000 00000001"]);
    assert_eq!(browser.texts("#address-mapped code").await, ["::ffff:127.0.0.1"]);
    assert!(browser.texts("#address-message").await.is_empty(), "no message beside an address");
    browser.screenshot("address-en").await;

    browser.type_into("#address-input", "::ffff:127.0.0.1").await;
    browser
        .wait_for_text("#address-expanded", |text| text == "0000:0000:0000:0000:0000:ffff:7f00:0001")
        .await;
    assert_eq!(browser.texts("#address-compressed").await, ["::ffff:127.0.0.1"]);
    // The 128 bits as one number, worked out in wasm.
    assert_eq!(browser.texts("#address-integer").await, ["281472812449793"]);
    assert_eq!(browser.texts("#address-hex").await, ["0x00000000000000000000ffff7f000001"]);
    let kind = browser.wait_for_text("#address-kind", |text| !text.is_empty()).await;
    assert!(kind.starts_with("IPv4-mapped, ::ffff:0:0/96"), "{kind}");
    let carried = browser.wait_for_text("#address-carries", |text| !text.is_empty()).await;
    assert!(carried.contains("127.0.0.1") && carried.contains("this machine"), "{carried}");
    let bits = browser.texts("#address-bits pre").await;
    assert!(bits[0].contains("ffff             7f00             0001"), "{bits:?}");
    assert!(browser.texts("#address-dotted").await.is_empty(), "no IPv4 rows for IPv6");

    browser.type_into("#address-input", "256.1.1.1").await;
    let error = browser.wait_for_text("#address-message.error", |text| !text.is_empty()).await;
    assert_eq!(error, "256 is above 255: a byte holds 0 to 255.");
    assert!(browser.texts("#address-output dd").await.is_empty(), "no forms beside the error");
    browser.type_into("#address-input", "1::2::3").await;
    browser.wait_for_text("#address-message", |text| text.starts_with("“::” twice")).await;
    browser.type_into("#address-input", "1:2:3:4:5:6:7:8:9").await;
    browser.wait_for_text("#address-message", |text| text.starts_with("9 groups: IPv6 has 8")).await;
    browser.client.find(Locator::Css("#address-input")).await.unwrap().clear().await.unwrap();
    // Clearing fires no input event: one more key, and its erasure.
    browser.client.find(Locator::Css("#address-input")).await.unwrap().send_keys("1").await.unwrap();
    browser
        .client
        .find(Locator::Css("#address-input"))
        .await
        .unwrap()
        .send_keys(&Key::Backspace)
        .await
        .unwrap();
    let hint = browser.wait_for_text("#address-message.hint", |text| !text.is_empty()).await;
    assert_eq!(hint, "Type an address, or choose an example.");
    browser.close().await;
}

#[tokio::test]
async fn examples_and_the_other_form_from_the_keyboard() {
    let (_relay, browser) = panel_page("en").await;
    let examples = browser.texts("#address .controls button").await;
    assert_eq!(examples, ["127.0.0.1", "0.0.0.0", "2130706433", "::1", "::ffff:127.0.0.1", "2001:db8::1"]);

    browser.click("#address .controls button:nth-of-type(2)").await;
    assert_eq!(input_value(&browser).await, Value::from("0.0.0.0"));
    browser.wait_for_text("#address-kind", |text| text.contains("every interface")).await;

    // Enter on a focused example, as a keyboard user would: focus stays there.
    browser
        .script("document.querySelector('#address .controls button:nth-of-type(6)').focus(); return null")
        .await;
    let focused_example = browser.script("return document.activeElement.textContent").await;
    assert_eq!(focused_example, Value::from("2001:db8::1"));
    let example =
        browser.client.find(Locator::Css("#address .controls button:nth-of-type(6)")).await.unwrap();
    example.send_keys(&Key::Enter).await.unwrap();
    browser.wait_for_text("#address-kind", |text| text.starts_with("Documentation, 2001:db8::/32")).await;
    assert_eq!(input_value(&browser).await, Value::from("2001:db8::1"));
    let still = browser.script("return document.activeElement.textContent").await;
    assert_eq!(still, Value::from("2001:db8::1"), "focus stays on the example");

    // "Examine" shows the other form, and keeps the focus: back and forth.
    browser.type_into("#address-input", "10.0.0.1").await;
    browser.wait_for_text("#address-kind", |text| text.starts_with("Private (RFC 1918), 10.0.0.0/8")).await;
    browser.script("document.querySelector('#address-examine').focus(); return null").await;
    let examine = browser.client.find(Locator::Css("#address-examine")).await.unwrap();
    examine.send_keys(&Key::Enter).await.unwrap();
    browser.wait_for_text("#address-expanded", |text| text.ends_with("ffff:0a00:0001")).await;
    assert_eq!(input_value(&browser).await, Value::from("::ffff:10.0.0.1"));
    assert_eq!(focused(&browser).await, Value::from("address-examine"));
    let examine = browser.client.find(Locator::Css("#address-examine")).await.unwrap();
    examine.send_keys(&Key::Enter).await.unwrap();
    browser.wait_for_text("#address-dotted", |text| text == "10.0.0.1").await;
    assert_eq!(focused(&browser).await, Value::from("address-examine"));
    browser.close().await;
}

#[tokio::test]
async fn the_panel_is_a_tab_beside_the_lessons() {
    let relay = RelayProcess::start(&[]);
    let browser = Browser::start().await;
    browser.open(&relay.url("?lang=en"), "Connected").await;
    let hidden = "return ['http', 'hello', 'address'].map(id => document.getElementById(id).hidden)";
    assert_eq!(browser.script(hidden).await, json!([false, true, true]));

    browser.click("#show-address").await;
    assert_eq!(browser.script(hidden).await, json!([true, true, false]));
    let pressed = browser.script("return document.querySelector('#show-address').ariaPressed").await;
    assert_eq!(pressed, Value::from("true"));
    assert!(browser.client.current_url().await.unwrap().as_str().ends_with("?lang=en&lesson=address"));
    let label = browser.script("return document.querySelector('#address-input').labels[0].textContent").await;
    assert_eq!(label, Value::from("An IPv4 or IPv6 address, in any spelling"));
    // It starts with an address to look at.
    browser.wait_for_text("#address-dotted", |text| text == "127.0.0.1").await;

    browser.click("#show-hello").await;
    assert_eq!(browser.script(hidden).await, json!([true, false, true]));
    browser.close().await;
}

#[tokio::test]
async fn the_panel_in_chinese_and_the_language_switch() {
    let (_relay, browser) = panel_page("zh").await;
    assert_eq!(browser.texts("#address-title").await, ["地址"]);
    assert_eq!(browser.texts("#show-address").await, ["地址"]);

    browser.type_into("#address-input", "2130706433").await;
    browser.wait_for_text("#address-dotted", |text| text == "127.0.0.1").await;
    let kind = browser.wait_for_text("#address-kind", |text| !text.is_empty()).await;
    assert!(kind.starts_with("回环地址，127.0.0.0/8：本机。"), "{kind}");
    browser.screenshot("address-zh").await;

    browser.type_into("#address-input", "1.2.3").await;
    let error = browser.wait_for_text("#address-message", |text| !text.is_empty()).await;
    assert_eq!(error, "点分隔出 3 个数：IPv4 有 4 个。");

    // The switch keeps what was typed, and says it in English.
    browser.click("#language").await;
    assert_eq!(input_value(&browser).await, Value::from("1.2.3"));
    let error = browser.wait_for_text("#address-message", |text| !text.is_empty()).await;
    assert_eq!(error, "3 numbers between dots: IPv4 has 4.");
    assert!(browser.client.current_url().await.unwrap().as_str().ends_with("?lang=en&lesson=address"));
    browser.close().await;
}
