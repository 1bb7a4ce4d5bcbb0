//! Chinese and English without asking: a browser whose user prefers
//! Chinese gets the page, and an embedded lesson, in Chinese when the
//! address has no `?lang=`; the title and the description in the page's
//! head follow the language.

use serde_json::{Value, json};

use crate::harness::{Browser, RelayProcess};

/// The browser's language, then the page's: `<html lang>`, title,
/// description and first heading on show.
async fn languages(browser: &Browser) -> Value {
    browser
        .script(
            "return [navigator.language, document.documentElement.lang, document.title,
                     document.querySelector('meta[name=description]').content,
                     [...document.querySelectorAll('h1, h2')].find(h => h.offsetParent).textContent]",
        )
        .await
}

#[tokio::test]
async fn a_browser_that_prefers_chinese_gets_the_page_in_chinese() {
    let relay = RelayProcess::start(&[]);
    let browser = Browser::speaking("zh-CN").await;
    let (title, description) = ("Socket 演练场", "真实的 TCP 套接字调用：由中继执行，每个字节都看得见。");

    browser.open(&relay.url(""), "已连接").await;
    assert_eq!(languages(&browser).await, json!(["zh-CN", "zh-CN", title, description, title]));

    // A course page's frame, too.
    browser.open(&relay.url("embed/hello"), "已连接").await;
    assert_eq!(languages(&browser).await, json!(["zh-CN", "zh-CN", title, description, "Hello 服务器"]));

    // ?lang= has the last word.
    browser.open(&relay.url("?lang=en"), "Connected").await;
    let english = "Real TCP socket calls: the relay makes them, you see every byte.";
    assert_eq!(
        languages(&browser).await,
        json!(["zh-CN", "en", "Socket Playground", english, "Socket Playground"])
    );
    browser.close().await;
}
