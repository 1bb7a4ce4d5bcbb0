//! Every word of the page, in English and in Chinese.
//!
//! The tutorial is Chinese, and its readers are learners in both languages.
//! Each language fills the same [`Texts`] struct, so a string missing from
//! one language is a compile error, not a blank on the page. Templates mark
//! their blanks `{0}`, `{1}`, ... for [`fill`]. A text that goes with an
//! enum has a line for each variant, in order, picked out by [`line`].
//!
//! Names a program prints stay as they are in both languages: Python's
//! exceptions (`ConnectionRefusedError`), the calls, the bytes, and the
//! relay's own words (`[Errno 111] Connection refused`), which the page
//! always introduces in the learner's language.
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

/// Line `index` of `text`: texts that go with the variants of an enum
/// have a line for each, in order.
pub fn line(text: &'static str, index: usize) -> &'static str {
    text.split('\n').nth(index).unwrap_or_default()
}

/// The page's strings in one language.
pub struct Texts {
    /// The language these are in.
    pub lang: Lang,
    pub code_title: &'static str,
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
    pub relay_said: &'static str,
    pub relay_gone_call: &'static str,
    pub relay_restarted: &'static str,
    /// {0}: an error the relay sent for no call.
    pub relay_error: &'static str,
    /// {0}: the error's name; {1}: what went wrong.
    pub call_failed: &'static str,
    /// {0}: the name of the message the relay sent.
    pub unexpected_answer: &'static str,
    /// {0}: chunks the relay read; {1}: chunks that arrived.
    pub chunks_lost: &'static str,
    /// {0}: the client a course page asked for; {1}: how many there are.
    pub no_such_client: &'static str,
    pub hello_title: &'static str,
    /// {0}: the server's delay in milliseconds.
    pub hello_intro: &'static str,
    pub server_choice: &'static str,
    /// {0}: the server's address.
    pub server_threaded: &'static str,
    /// {0}: the server's address.
    pub server_single: &'static str,
    pub threaded_note: &'static str,
    pub single_note: &'static str,
    pub add_client: &'static str,
    /// {0}: the client's number.
    pub client_title: &'static str,
    pub diagram_title: &'static str,
    pub save_diagram: &'static str,
    pub diagram_client: &'static str,
    pub diagram_server: &'static str,
    /// {0}: bytes; {1}: how many `recv` calls.
    pub diagram_response: &'static str,
    pub diagram_new_thread: &'static str,
    pub run_all: &'static str,
    pub reset: &'static str,
    pub add_message: &'static str,
    pub remove_message: &'static str,
    /// {0}: the message's number.
    pub message_label: &'static str,
    pub new_message: &'static str,
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
    pub lessons: &'static str,
    pub host: &'static str,
    pub port: &'static str,
    pub http_title: &'static str,
    pub http_intro: &'static str,
    pub http_finished: &'static str,
    pub request_label: &'static str,
    pub request_bytes: &'static str,
    pub stream_rest: &'static str,
    /// {0}: chunks; {1}: bytes.
    pub chunks_so_far: &'static str,
    /// {0}: chunks; {1}: bytes.
    pub drained: &'static str,
    /// {0}: bytes; {1}: chunks.
    pub progress: &'static str,
    pub progress_label: &'static str,
    pub chunks_title: &'static str,
    /// {0}: the chunk's number; {1}: its size.
    pub chunk: &'static str,
    /// {0}: first shown; {1}: last shown; {2}: how many in all.
    pub chunk_page: &'static str,
    pub previous: &'static str,
    pub next: &'static str,
    pub choose_chunk: &'static str,
    pub header_title: &'static str,
    /// {0}: why.
    pub not_http: &'static str,
    /// Why bytes are not a response header, a line for `ParseError::Incomplete`,
    /// then one for each `httparse::Error` (see `http::view::parse_error_text`).
    pub http_errors: &'static str,
    /// {0}: the header's length with its blank line; {1}: how many fields.
    pub header_size: &'static str,
    pub field_name: &'static str,
    pub field_value: &'static str,
    /// {0}: the status code.
    pub status_ok: &'static str,
    /// {0}: the status code; {1}: its reason.
    pub status_error: &'static str,
    /// {0}: the status code; {1}: the https:// address.
    pub redirect_https: &'static str,
    /// {0}: the status code; {1}: the address.
    pub redirect: &'static str,
    pub body_title: &'static str,
    /// {0}: bytes.
    pub body_so_far: &'static str,
    /// {0}: bytes; {1}: the content type.
    pub body_size: &'static str,
    pub no_content_type: &'static str,
    pub save: &'static str,
    /// {0}: the decoded size.
    pub chunked: &'static str,
    /// {0}: why.
    pub chunked_invalid: &'static str,
    /// Why a chunked body cannot be decoded, a line for each `ChunkedError`,
    /// in order; {0}: where.
    pub chunked_errors: &'static str,
    pub preview_title: &'static str,
    /// {0}: the content type.
    pub no_preview: &'static str,
    // The address panel. A text with a line for each variant of an enum is
    // checked line by line in `web/tests/address.rs`.
    pub address_title: &'static str,
    pub address_label: &'static str,
    pub address_examples: &'static str,
    pub look: &'static str,
    pub row_dotted: &'static str,
    pub row_integer: &'static str,
    pub row_hex: &'static str,
    pub row_bits: &'static str,
    pub row_kind: &'static str,
    pub row_mapped: &'static str,
    pub row_compressed: &'static str,
    pub row_expanded: &'static str,
    pub row_carries: &'static str,
    /// What each `V4Kind` is, a line each, in order; {0}: its block.
    pub v4_kinds: &'static str,
    /// What each `V6Kind` is, a line each, in order; {0}: its block.
    pub v6_kinds: &'static str,
    /// What is wrong, for each `Problem`, a line each, in order; {0}: what it concerns.
    pub address_errors: &'static str,
    pub spellings_title: &'static str,
    pub spellings: &'static str,
    pub bind_title: &'static str,
    pub bind: &'static str,
}

pub static EN: Texts = Texts {
    lang: Lang::En,
    code_title: "The program",
    title: "Socket Playground",
    subtitle: "Real TCP socket calls: the relay makes them, you see every byte.",
    switch_to: "中文",
    switch_label: "Language: switch to Chinese",
    relay_connecting: "Connecting to the relay…",
    relay_connected: "Connected to {0}",
    relay_gone: "The relay is gone. Trying again in {0} s…",
    relay_said: "The relay closed the connection: “{0}”.",
    relay_gone_call: "The relay went away before it answered this call.",
    relay_restarted: "The relay was restarted: the sockets opened before are gone. Press Reset to start again.",
    relay_error: "Relay error: {0}",
    call_failed: "The call failed: {0}: {1}",
    unexpected_answer: "the relay answered with an unexpected “{0}”",
    chunks_lost: "the relay read {0} chunks, but {1} arrived",
    no_such_client: "There is no client {0}: the lesson has {1}.",
    hello_title: "The Hello server",
    hello_intro: "The relay runs the tutorial's Hello server. It sends Welcome!, then answers every message with Hello,<message>! after a pause of {0} ms, until it receives exit. Below is the tutorial's client: run it one call at a time, or all at once. Add a second client to see why the server needs threads.",
    server_choice: "Which server the clients connect to",
    server_threaded: "Threaded server, {0}",
    server_single: "Single-threaded server, {0}",
    threaded_note: "A thread per connection: the listening thread accepts each client and starts a thread for it, so every client is served at once.",
    single_note: "One connection at a time: a second client's connect succeeds (the kernel completes the handshake and queues it), but Welcome! comes only when the first client is gone.",
    add_client: "Add a client",
    client_title: "Client {0}",
    diagram_title: "Both sides in one picture",
    save_diagram: "Save the diagram (SVG)",
    diagram_client: "Client",
    diagram_server: "Server",
    diagram_response: "{0} bytes, in {1} recv() calls",
    diagram_new_thread: "accept(), new thread",
    run_all: "Run all",
    reset: "Reset",
    add_message: "Add a message",
    remove_message: "Remove",
    message_label: "Message {0}",
    new_message: "Bob",
    server_log: "Server: its log for your connections",
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
    lessons: "Lessons",
    host: "host",
    port: "port",
    http_title: "A web page, by hand",
    http_intro: "The tutorial's first program: connect to a web server on port 80, send a request written byte by byte, call recv(1024) until it returns b'', then split what came back at the first blank line into the header and the page. Run it one call at a time, or all at once; change the host, the port or the request as you like.",
    http_finished: "Done: the page arrived and the socket is closed.",
    request_label: "The request (each line break is sent as \\r\\n)",
    request_bytes: "The bytes that will be sent",
    stream_rest: "Receive the rest (the relay loops)",
    chunks_so_far: "{0} recv calls returned data so far: {1} bytes. Press again for the next chunk.",
    drained: "the loop made {0} recv calls that returned data: {1} bytes in all",
    progress: "{0} bytes received in {1} chunks",
    progress_label: "The body's progress",
    chunks_title: "What each recv returned",
    chunk: "chunk {0}: {1} bytes",
    chunk_page: "chunks {0}–{1} of {2}",
    previous: "Previous",
    next: "Next",
    choose_chunk: "Choose a chunk to see its bytes in hex and ASCII. A chunk is what one read returned: often less than 1024 bytes, because recv returns what has arrived so far.",
    header_title: "The header, split at the first \\r\\n\\r\\n",
    not_http: "These bytes are not an HTTP response: {0}",
    http_errors: "there is no \\r\\n\\r\\n yet: the header is incomplete\n\
        a field's name holds a byte that names may not\n\
        a field's value holds a byte that values may not\n\
        a line does not end with \\r\\n\n\
        the status line has no three-digit status code\n\
        a byte stands where a word should be\n\
        there are more than 256 header fields\n\
        they do not start with HTTP/1.0 or HTTP/1.1",
    header_size: "{0} bytes of header with its blank line; {1} fields, in the order sent",
    field_name: "Field",
    field_value: "Value",
    status_ok: "{0}: the server found the page and sent it in the body.",
    status_error: "{0} {1}: the server answered with an error page. The request reached it and the answer came back: TCP did its job.",
    redirect_https: "{0}: a redirect to {1}. This is what most sites answer on port 80 today: they serve pages only over HTTPS (TLS on port 443) and send plain-HTTP visitors there. Nothing failed: this is a complete HTTP exchange over TCP. Reading the page itself would need TLS on top of the socket.",
    redirect: "{0}: a redirect. The page is at {1}.",
    body_title: "The body",
    body_so_far: "{0} bytes of body so far.",
    body_size: "{0} bytes; Content-Type: {1}",
    no_content_type: "(none given)",
    save: "Save as sina.html",
    chunked: "The server sent the body with Transfer-Encoding: chunked: each piece comes after its length in hex and \\r\\n. The preview shows it decoded ({0} bytes); the saved file keeps the exact bytes, as the tutorial's program would.",
    chunked_invalid: "The chunked body could not be decoded: {0}",
    chunked_errors: "there is no chunk size at byte {0}\n\
        a chunk does not end with \\r\\n at byte {0}\n\
        the body stops at byte {0}, before its last chunk",
    preview_title: "Preview (in a sandbox: no scripts run)",
    no_preview: "A browser does not show {0}: see the bytes in the chunks above.",
    address_title: "Addresses",
    address_label: "An IPv4 or IPv6 address, in any spelling",
    address_examples: "Examples:",
    look: "Examine",
    row_dotted: "Dotted quad",
    row_integer: "Integer",
    row_hex: "Hex",
    row_bits: "Bits",
    row_kind: "What it is",
    row_mapped: "As IPv6",
    row_compressed: "Compressed",
    row_expanded: "Expanded",
    row_carries: "IPv4 inside",
    v4_kinds: "{0}: every interface. A server binds it to listen everywhere; nobody connects to it.\n\
        Loopback, {0}: this machine. A server bound here is reachable only from this computer.\n\
        Private (RFC 1918), {0}: local networks, not routed on the internet.\n\
        Link-local, {0}: self-assigned, this link only.\n\
        Documentation, {0}: for examples.\n\
        Multicast, {0}: to a group of hosts.\n\
        Broadcast, {0}: to every host on this network.\n\
        Reserved, {0}.\n\
        Public: reachable across the internet.",
    v6_kinds: "Unspecified, {0}: IPv6's 0.0.0.0; a server binds :: to listen everywhere.\n\
        Loopback, {0}: IPv6's 127.0.0.1, this machine.\n\
        IPv4-mapped, {0}: an IPv4 address in IPv6 form, as AF_INET6 sockets show IPv4 peers.\n\
        Documentation, {0}: for examples.\n\
        Link-local, {0}: this link only.\n\
        Unique local, {0}: IPv6's private addresses.\n\
        Multicast, {0}: to a group of hosts.\n\
        Global unicast, {0}: public.\n\
        Reserved.",
    address_errors: "Type an address, or choose an example.\n\
        “{0}” cannot be part of an address.\n\
        {0} numbers between dots: IPv4 has 4.\n\
        {0} is above 255: a byte holds 0 to 255.\n\
        {0} starts with 0, which some programs read as octal.\n\
        {0} is more than 32 bits hold (4294967295).\n\
        “::” twice: it may stand for one run of zero groups only.\n\
        {0} has more than 4 hex digits: a group is 16 bits.\n\
        {0} groups: IPv6 has 8 (with ::, at most 7 written).\n\
        Only {0} groups: IPv6 has 8; write them all, or use ::.\n\
        Not an IPv4 or IPv6 address.",
    spellings_title: "One address, several spellings",
    spellings: "An IPv4 address is one 32-bit number: 127.0.0.1 writes its 4 bytes in decimal, 2130706433 the whole number, 0x7f000001 the number in hex. IPv6 writes 128 bits as 8 hex groups; leading zeros may go, and :: may replace one run of zero groups.",
    bind_title: "127.0.0.1 or 0.0.0.0?",
    bind: "Bound to ('127.0.0.1', 9999), as in the tutorial, a server is reachable only from the same machine; bound to ('0.0.0.0', 9999), it listens on every interface, and other computers can connect too. Clients connect to a real address, not to 0.0.0.0.",
};

pub static ZH: Texts = Texts {
    lang: Lang::Zh,
    code_title: "程序",
    title: "Socket 演练场",
    subtitle: "真实的 TCP 套接字调用：由中继执行，每个字节都看得见。",
    switch_to: "English",
    switch_label: "语言：切换到英文",
    relay_connecting: "正在连接中继…",
    relay_connected: "已连接到 {0}",
    relay_gone: "中继已断开，{0} 秒后重试…",
    relay_said: "中继关闭了连接：“{0}”。",
    relay_gone_call: "中继在回答这次调用之前断开了。",
    relay_restarted: "中继已重启，之前打开的套接字都已不存在。请按“重置”重新开始。",
    relay_error: "中继出错：{0}",
    call_failed: "调用失败：{0}: {1}",
    unexpected_answer: "中继给出了意料之外的回答“{0}”",
    chunks_lost: "中继读到了 {0} 块，但只收到了 {1} 块",
    no_such_client: "没有客户端 {0}：本课只有 {1} 个客户端。",
    hello_title: "Hello 服务器",
    hello_intro: "中继运行着教程中的 Hello 服务器。它先发送 Welcome!，之后每收到一条消息，等待 {0} 毫秒，回复 Hello,<消息>!，直到收到 exit。下面是教程中的客户端：可以一次运行一个调用，也可以全部运行。再添加一个客户端，就能看出服务器为什么需要多线程。",
    server_choice: "客户端连接哪个服务器",
    server_threaded: "多线程服务器，{0}",
    server_single: "单线程服务器，{0}",
    threaded_note: "每个连接一个线程：监听线程接受每个客户端的连接，并为它启动一个线程，所以所有客户端同时得到服务。",
    single_note: "一次只服务一个连接：第二个客户端的 connect 会成功（内核完成握手并把连接放进队列），但要等第一个客户端离开后才会收到 Welcome!。",
    add_client: "添加客户端",
    client_title: "客户端 {0}",
    diagram_title: "双方在同一张图里",
    save_diagram: "保存时序图（SVG）",
    diagram_client: "客户端",
    diagram_server: "服务器",
    diagram_response: "{0} 字节，共 {1} 次 recv()",
    diagram_new_thread: "accept()，新线程",
    run_all: "全部运行",
    reset: "重置",
    add_message: "添加消息",
    remove_message: "删除",
    message_label: "消息 {0}",
    new_message: "小明",
    server_log: "服务器：你的连接的日志",
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
    lessons: "课程",
    host: "主机",
    port: "端口",
    http_title: "亲手获取网页",
    http_intro: "教程中的第一个程序：连接 Web 服务器的 80 端口，发送逐字节写成的请求，反复调用 recv(1024) 直到返回 b''，再在第一个空行处把收到的数据分成头部和网页。可以一次运行一个调用，也可以全部运行；主机、端口和请求都可以修改。",
    http_finished: "完成：网页已收到，套接字已关闭。",
    request_label: "请求（每个换行都以 \\r\\n 发送）",
    request_bytes: "将要发送的字节",
    stream_rest: "收完其余数据（由中继循环）",
    chunks_so_far: "到目前为止有 {0} 次 recv 调用返回了数据，共 {1} 字节。再按一次读取下一块。",
    drained: "循环中有 {0} 次 recv 调用返回了数据，共 {1} 字节",
    progress: "已收到 {0} 字节，共 {1} 块",
    progress_label: "正文的进度",
    chunks_title: "每次 recv 返回的数据",
    chunk: "第 {0} 块：{1} 字节",
    chunk_page: "第 {0}–{1} 块，共 {2} 块",
    previous: "上一页",
    next: "下一页",
    choose_chunk: "选择一块，查看它的十六进制和 ASCII 字节。一块就是一次读取返回的数据：常常少于 1024 字节，因为 recv 返回的是当时已经到达的数据。",
    header_title: "头部：在第一个 \\r\\n\\r\\n 处分开",
    not_http: "这些字节不是 HTTP 响应：{0}",
    http_errors: "还没有 \\r\\n\\r\\n：头部还不完整\n\
        某个字段名里有字段名不允许的字节\n\
        某个字段值里有字段值不允许的字节\n\
        某一行不是以 \\r\\n 结尾\n\
        状态行里没有三位数的状态码\n\
        应该是一个词的地方出现了别的字节\n\
        头部字段超过了 256 个\n\
        开头不是 HTTP/1.0 或 HTTP/1.1",
    header_size: "头部连同空行共 {0} 字节；{1} 个字段，按发送顺序排列",
    field_name: "字段",
    field_value: "值",
    status_ok: "{0}：服务器找到了网页，并在正文中发送了它。",
    status_error: "{0} {1}：服务器返回了一个错误页面。请求到达了服务器，回答也传了回来：TCP 完成了它的工作。",
    redirect_https: "{0}：重定向到 {1}。如今大多数网站在 80 端口都这样回答：它们只通过 HTTPS（443 端口上的 TLS）提供网页，并把普通 HTTP 的访问者转到那里。这不是失败：这是一次完整的、基于 TCP 的 HTTP 交换。要读取网页本身，需要在套接字之上使用 TLS。",
    redirect: "{0}：重定向。网页在 {1}。",
    body_title: "正文",
    body_so_far: "目前已收到 {0} 字节正文。",
    body_size: "{0} 字节；Content-Type：{1}",
    no_content_type: "（未给出）",
    save: "保存为 sina.html",
    chunked: "服务器以 Transfer-Encoding: chunked 发送正文：每一段前面是它的十六进制长度和 \\r\\n。预览显示的是解码后的内容（{0} 字节）；保存的文件保留原样的字节，和教程中的程序一样。",
    chunked_invalid: "无法解码分块的正文：{0}",
    chunked_errors: "第 {0} 字节处没有分块大小\n\
        第 {0} 字节处的分块不是以 \\r\\n 结尾\n\
        正文在第 {0} 字节处中断，最后一个分块还没有到",
    preview_title: "预览（在沙箱中：不运行任何脚本）",
    no_preview: "浏览器不显示 {0}：请在上面的数据块中查看字节。",
    address_title: "地址",
    address_label: "IPv4 或 IPv6 地址，任意写法",
    address_examples: "示例：",
    look: "查看",
    row_dotted: "点分十进制",
    row_integer: "整数",
    row_hex: "十六进制",
    row_bits: "二进制位",
    row_kind: "地址类型",
    row_mapped: "写成 IPv6",
    row_compressed: "压缩形式",
    row_expanded: "完整形式",
    row_carries: "其中的 IPv4",
    v4_kinds: "{0}：所有网络接口。服务器绑定它，就在所有地址上监听；没有人连接它。\n\
        回环地址，{0}：本机。绑定在这里的服务器只有本机能连接。\n\
        私有地址（RFC 1918），{0}：本地网络，不在互联网上路由。\n\
        链路本地地址，{0}：自行分配，只在本链路有效。\n\
        文档专用，{0}：用于示例。\n\
        多播地址，{0}：发给一组主机。\n\
        广播地址，{0}：发给本网络的所有主机。\n\
        保留地址，{0}。\n\
        公网地址：可以跨越互联网访问。",
    v6_kinds: "未指定地址，{0}：相当于 0.0.0.0；服务器绑定 :: 就在所有地址上监听。\n\
        回环地址，{0}：相当于 127.0.0.1，即本机。\n\
        IPv4 映射地址，{0}：IPv6 形式的 IPv4 地址，AF_INET6 套接字这样表示 IPv4 对端。\n\
        文档专用，{0}：用于示例。\n\
        链路本地地址，{0}：只在本链路有效。\n\
        唯一本地地址，{0}：IPv6 的私有地址。\n\
        多播地址，{0}：发给一组主机。\n\
        全球单播地址，{0}：公网地址。\n\
        保留地址。",
    address_errors: "请输入一个地址，或选择一个示例。\n\
        “{0}”不能出现在地址中。\n\
        点分隔出 {0} 个数：IPv4 有 4 个。\n\
        {0} 大于 255：一个字节只能是 0 到 255。\n\
        {0} 以 0 开头，有些程序会当作八进制。\n\
        {0} 超出了 32 位的范围（4294967295）。\n\
        “::”出现了两次：它只能代替一段全零组。\n\
        {0} 超过 4 个十六进制数字：每组 16 位。\n\
        {0} 组太多：IPv6 有 8 组（用 :: 时最多写 7 组）。\n\
        只有 {0} 组：IPv6 有 8 组，请全部写出或使用 ::。\n\
        这不是 IPv4 或 IPv6 地址。",
    spellings_title: "同一个地址，多种写法",
    spellings: "IPv4 地址是一个 32 位的数：127.0.0.1 用十进制写出 4 个字节，2130706433 写出整个数，0x7f000001 是它的十六进制。IPv6 把 128 位写成 8 组十六进制数；开头的 0 可以省略，:: 可以代替一段全零组。",
    bind_title: "127.0.0.1 还是 0.0.0.0？",
    bind: "像教程那样绑定 ('127.0.0.1', 9999)，服务器只能从本机连接；绑定 ('0.0.0.0', 9999)，它在每个网络接口上监听，别的计算机也能连接。客户端连接真实的地址，而不是 0.0.0.0。",
};
