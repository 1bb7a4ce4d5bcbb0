//! Every word of the page, in English and in Chinese.
//!
//! The tutorial is Chinese, and its readers are learners in both languages.
//! Each language fills the same [`Texts`] struct, so a string missing from
//! one language is a compile error, not a blank on the page. Templates mark
//! their blanks `{0}`, `{1}`, ... for [`fill`].
//!
//! The language comes from `?lang=zh` or `?lang=en`, else from the browser's
//! preferred language.

use std::fmt::Display;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    Zh,
}

impl Lang {
    /// `?lang=` wins; otherwise a browser that prefers Chinese gets Chinese.
    pub fn choose(query_lang: Option<&str>, browser_lang: &str) -> Lang {
        let wanted = query_lang.unwrap_or(browser_lang).to_ascii_lowercase();
        if wanted.starts_with("zh") { Lang::Zh } else { Lang::En }
    }

    /// The code used in `?lang=` and in `<html lang>`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
        }
    }

    pub fn other(self) -> Lang {
        match self {
            Lang::En => Lang::Zh,
            Lang::Zh => Lang::En,
        }
    }

    pub fn texts(self) -> &'static Texts {
        match self {
            Lang::En => &EN,
            Lang::Zh => &ZH,
        }
    }
}

/// Fills a template's blanks `{0}`, `{1}`, ... with `args`.
pub fn fill(template: &str, args: &[&dyn Display]) -> String {
    let mut out = template.to_owned();
    for (n, arg) in args.iter().enumerate() {
        out = out.replace(&format!("{{{n}}}"), &arg.to_string());
    }
    out
}

/// The page's strings in one language.
pub struct Texts {
    pub title: &'static str,
    pub subtitle: &'static str,
    /// The switch's label: the name of the other language, in that language.
    pub switch_to: &'static str,
    pub switch_label: &'static str,
    pub relay_connecting: &'static str,
    /// {0}: the relay's name and version.
    pub relay_connected: &'static str,
    /// {0}: seconds until the next attempt.
    pub relay_gone: &'static str,
    pub relay_gone_call: &'static str,
    pub relay_restarted: &'static str,
    pub hello_title: &'static str,
    /// {0}: the server's address; {1}: its delay in milliseconds.
    pub hello_intro: &'static str,
    pub run_all: &'static str,
    pub reset: &'static str,
    pub add_message: &'static str,
    pub remove_message: &'static str,
    /// {0}: the message's number.
    pub message_label: &'static str,
    pub new_message: &'static str,
    pub client: &'static str,
    pub server_log: &'static str,
    pub conversation: &'static str,
    pub four_tuple: &'static str,
    pub not_connected: &'static str,
    pub bytes: &'static str,
    pub running: &'static str,
    /// {0}: the socket's number.
    pub created: &'static str,
    /// {0}: the host; {1}: the addresses.
    pub resolved: &'static str,
    /// {0}: local address; {1}: peer address.
    pub connected: &'static str,
    /// {0}: bytes taken; {1}: bytes offered.
    pub sent: &'static str,
    /// {0}: how many bytes.
    pub received: &'static str,
    pub received_nothing: &'static str,
    pub closed: &'static str,
    pub client_to_server: &'static str,
    pub server_to_client: &'static str,
    /// {0}: how many bytes.
    pub size: &'static str,
    pub waiting_server: &'static str,
    pub finished: &'static str,
}

pub static EN: Texts = Texts {
    title: "Socket Playground",
    subtitle: "Real TCP socket calls: the relay makes them, you see every byte.",
    switch_to: "中文",
    switch_label: "Language: switch to Chinese",
    relay_connecting: "Connecting to the relay…",
    relay_connected: "Connected to {0}",
    relay_gone: "The relay is gone. Trying again in {0} s…",
    relay_gone_call: "The relay went away before it answered this call.",
    relay_restarted: "The relay was restarted: the sockets opened before are gone. Press Reset to start again.",
    hello_title: "The Hello server",
    hello_intro: "The relay runs the tutorial's threaded server at {0}. It sends Welcome!, then answers every message with Hello,<message>! after a pause of {1} ms, until it receives exit. Below is the tutorial's client: run it one call at a time, or all at once.",
    run_all: "Run all",
    reset: "Reset",
    add_message: "Add a message",
    remove_message: "Remove",
    message_label: "Message {0}",
    new_message: "Bob",
    client: "Client: your program",
    server_log: "Server: its log for this connection",
    conversation: "The conversation",
    four_tuple: "The connection's 4-tuple",
    not_connected: "not connected yet",
    bytes: "bytes",
    running: "waiting for the answer…",
    created: "socket {0} created: a real kernel socket, not connected yet",
    resolved: "{0} resolved to {1}",
    connected: "connected: {0} → {1}",
    sent: "sent {0} of {1} bytes",
    received: "received {0} bytes",
    received_nothing: "received b'': the server closed its side of the connection",
    closed: "closed: the kernel sends FIN to the server",
    client_to_server: "client → server",
    server_to_client: "server → client",
    size: "{0} bytes",
    waiting_server: "Waiting for connection...",
    finished: "Done: the whole conversation ran.",
};

pub static ZH: Texts = Texts {
    title: "Socket 演练场",
    subtitle: "真实的 TCP 套接字调用：由中继执行，每个字节都看得见。",
    switch_to: "English",
    switch_label: "语言：切换到英文",
    relay_connecting: "正在连接中继…",
    relay_connected: "已连接到 {0}",
    relay_gone: "中继已断开，{0} 秒后重试…",
    relay_gone_call: "中继在回答这次调用之前断开了。",
    relay_restarted: "中继已重启，之前打开的套接字都已不存在。请按“重置”重新开始。",
    hello_title: "Hello 服务器",
    hello_intro: "中继在 {0} 运行教程中的多线程服务器。它先发送 Welcome!，之后每收到一条消息，等待 {1} 毫秒，回复 Hello,<消息>!，直到收到 exit。下面是教程中的客户端：可以一次运行一个调用，也可以全部运行。",
    run_all: "全部运行",
    reset: "重置",
    add_message: "添加消息",
    remove_message: "删除",
    message_label: "消息 {0}",
    new_message: "小明",
    client: "客户端：你的程序",
    server_log: "服务器：这个连接的日志",
    conversation: "对话",
    four_tuple: "连接的四元组",
    not_connected: "尚未连接",
    bytes: "字节",
    running: "等待回答…",
    created: "已创建套接字 {0}：一个真实的内核套接字，尚未连接",
    resolved: "{0} 解析为 {1}",
    connected: "已连接：{0} → {1}",
    sent: "已发送 {0} 字节（共 {1} 字节）",
    received: "收到 {0} 字节",
    received_nothing: "收到 b''：服务器关闭了它那一端的连接",
    closed: "已关闭：内核向服务器发送 FIN",
    client_to_server: "客户端 → 服务器",
    server_to_client: "服务器 → 客户端",
    size: "{0} 字节",
    waiting_server: "Waiting for connection...",
    finished: "完成：整个对话都已运行。",
};
