//! A real web server for the HTTP lesson: Debian's nginx, run by the test.
//!
//! The tutorial's first network program fetches a web page with a bare
//! socket: connect to port 80, send `GET / HTTP/1.1` with a `Host` header,
//! then `recv` until the server closes. The tests do the same, through the
//! relay, against a real nginx on loopback, never against a public host.
//!
//! [`Nginx::start`] writes a configuration and a small site into a temporary
//! directory and runs nginx in the foreground as a single process of the
//! current user (`daemon off; master_process off;`), with its pid file,
//! logs and temporary files all in that directory, so it needs no root and
//! leaves nothing behind. nginx cannot listen on port 0, so a free port is
//! picked first; if another program takes it in between, nginx fails to
//! bind and the next port is tried. Dropping the [`Nginx`] kills it.
//!
//! The site, generated here, so every test knows the exact bytes served:
//!
//! | path            | what                                                      |
//! |-----------------|-----------------------------------------------------------|
//! | `/`             | `index.html`: UTF-8 Chinese, `text/html; charset=utf-8`   |
//! | `/big.html`     | a page of 1.5 MiB: many `recv` calls                      |
//! | `/data.bin`     | 100 000 pseudo-random bytes, every byte value among them |
//! | `/chunked.html` | rewritten on the fly (`sub_filter`), so its length is unknown and HTTP/1.1 gets `Transfer-Encoding: chunked` |
//! | `/old`          | `301 Moved Permanently` to `https://<host>/`, as sites answer on port 80 |
//! | `/course.html`  | `www/examples/course.html`: a course page that embeds the playground |
//! | anything else   | nginx's own `404 Not Found` page                          |
//!
//! This file stands alone (std and `tempfile`), so other test crates can
//! include it with `#[path]`.

#![allow(dead_code)] // each test uses its own part of the site

use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Where Debian installs nginx.
const NGINX: &str = "/usr/sbin/nginx";

/// The files of the site, by URL path, with the file each is served from.
const FILES: [(&str, &str); 5] = [
    ("/", "index.html"),
    ("/big.html", "big.html"),
    ("/data.bin", "data.bin"),
    ("/chunked.html", "chunked.html"),
    ("/course.html", "course.html"),
];

/// What `/chunked.html`'s `sub_filter` replaces, and with what.
const PLACEHOLDER: &str = "@SERVER@";
const REPLACEMENT: &str = "nginx, in chunks";

/// A running nginx serving the test site; killed when dropped.
pub struct Nginx {
    addr: SocketAddr,
    process: Child,
    dir: tempfile::TempDir,
}

impl Nginx {
    /// Writes the site and the configuration, starts nginx, and waits until
    /// its port accepts connections.
    pub fn start() -> Nginx {
        let dir = tempfile::Builder::new().prefix("nginx-test-").tempdir().expect("a temporary directory");
        write_site(dir.path());
        let mut failures = Vec::new();
        for _attempt in 0..5 {
            let port = free_port();
            match run(dir.path(), port) {
                Ok(process) => return Nginx { addr: (Ipv4Addr::LOCALHOST, port).into(), process, dir },
                Err(log) => failures.push(format!("port {port}: {log}")),
            }
        }
        panic!("nginx did not start:\n{}", failures.join("\n"));
    }

    /// Where nginx listens (on 127.0.0.1).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The exact bytes of the file served at `path` (`/`, `/big.html`,
    /// `/data.bin`, `/course.html`, or `/chunked.html` before nginx rewrites it).
    pub fn file(path: &str) -> Vec<u8> {
        match path {
            "/" => index_html(),
            "/big.html" => big_html(),
            "/data.bin" => data_bin(),
            "/chunked.html" => chunked_source(),
            "/course.html" => include_bytes!("../../../www/examples/course.html").to_vec(),
            other => panic!("the test site has no file at {other}"),
        }
    }

    /// The body of `/chunked.html` once its chunked framing is decoded.
    pub fn chunked_body() -> Vec<u8> {
        String::from_utf8(chunked_source()).unwrap().replace(PLACEHOLDER, REPLACEMENT).into_bytes()
    }

    /// The tutorial's request for `path`: HTTP/1.1 with `Connection: close`,
    /// so the server closes the connection after its answer.
    pub fn request(path: &str) -> Vec<u8> {
        format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").into_bytes()
    }

    /// Fetches `path` directly, the tutorial's way: connect, send
    /// [`Nginx::request`], read until the server closes. Returns the whole
    /// response, header and body, as nginx sent it.
    pub fn fetch(&self, path: &str) -> Vec<u8> {
        let fetch = || {
            let mut stream = TcpStream::connect(self.addr)?;
            stream.set_read_timeout(Some(Duration::from_secs(15)))?;
            stream.write_all(&Nginx::request(path))?;
            let mut response = Vec::new();
            stream.read_to_end(&mut response)?;
            Ok::<_, std::io::Error>(response)
        };
        fetch().unwrap_or_else(|error| panic!("fetching {path} from nginx: {error}\n{}", self.error_log()))
    }

    /// nginx's error log so far.
    pub fn error_log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("logs/error.log")).unwrap_or_default()
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

/// A port nothing listens on right now.
fn free_port() -> u16 {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("an ephemeral port");
    listener.local_addr().unwrap().port()
}

/// Runs nginx on `port` until it is ready; on failure, returns its error log.
fn run(prefix: &Path, port: u16) -> Result<Child, String> {
    let conf = prefix.join("nginx.conf");
    std::fs::write(&conf, config(prefix, port)).unwrap();
    let pid_file = prefix.join("nginx.pid");
    let _ = std::fs::remove_file(&pid_file);
    let error_log = prefix.join("logs/error.log");
    let mut process = Command::new(NGINX)
        .arg("-p")
        .arg(prefix)
        .arg("-c")
        .arg(&conf)
        .arg("-e")
        .arg(&error_log)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|error| panic!("{NGINX} runs (cargo xtask ci installs nginx): {error}"));
    let log = || std::fs::read_to_string(&error_log).unwrap_or_default();
    // nginx writes its pid file once its sockets listen. Until then, a
    // connection to the port could reach whoever else took it.
    let deadline = Instant::now() + Duration::from_secs(15);
    while Instant::now() < deadline {
        if let Some(status) = process.try_wait().unwrap() {
            return Err(format!("nginx exited ({status}): {}", log()));
        }
        let pid = std::fs::read_to_string(&pid_file).unwrap_or_default();
        if pid.trim() == process.id().to_string() && TcpStream::connect((Ipv4Addr::LOCALHOST, port)).is_ok() {
            return Ok(process);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = process.kill();
    let _ = process.wait();
    Err(format!("nginx was not ready in time: {}", log()))
}

/// A configuration that keeps every file nginx writes under `prefix`.
fn config(prefix: &Path, port: u16) -> String {
    let p = prefix.display();
    format!(
        r#"daemon off;
master_process off;
worker_processes 1;
pid {p}/nginx.pid;
error_log {p}/logs/error.log warn;

events {{
    worker_connections 64;
}}

http {{
    types {{
        text/html html;
        application/octet-stream bin;
    }}
    default_type application/octet-stream;
    charset utf-8;
    access_log {p}/logs/access.log;
    client_body_temp_path {p}/temp/client_body;
    proxy_temp_path {p}/temp/proxy;
    fastcgi_temp_path {p}/temp/fastcgi;
    uwsgi_temp_path {p}/temp/uwsgi;
    scgi_temp_path {p}/temp/scgi;

    server {{
        listen 127.0.0.1:{port};
        server_name localhost;
        root {p}/html;

        location = /chunked.html {{
            sub_filter '{PLACEHOLDER}' '{REPLACEMENT}';
            sub_filter_once off;
        }}
        location = /old {{
            return 301 https://$host/;
        }}
    }}
}}
"#
    )
}

fn write_site(prefix: &Path) {
    for dir in ["html", "logs", "temp"] {
        std::fs::create_dir_all(prefix.join(dir)).unwrap();
    }
    for (path, file) in FILES {
        std::fs::write(prefix.join("html").join(file), Nginx::file(path)).unwrap();
    }
}

/// A page in Chinese and English, a few kilobytes, so that `recv(1024)`
/// cuts it, and its multi-byte characters, into several pieces.
fn index_html() -> Vec<u8> {
    let mut page = String::from(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head><meta charset=\"utf-8\"><title>欢迎</title></head>\n\
         <body>\n<h1>欢迎来到 TCP 编程</h1>\n",
    );
    for step in 1..=30 {
        page += &format!(
            "<p>第 {step} 步：客户端 connect，send 一个 HTTP 请求，再 recv 直到服务器关闭连接。\
             Step {step}: connect, send a request, recv until the server closes.</p>\n"
        );
    }
    page += "</body>\n</html>\n";
    page.into_bytes()
}

/// A table of 1.5 MiB: more than a thousand `recv(1024)` calls.
fn big_html() -> Vec<u8> {
    let mut page = String::from(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>大页面</title></head>\n<body><table>\n",
    );
    let mut row = 0u64;
    while page.len() < 1536 * 1024 {
        let hash = row.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        page += &format!("<tr><td>{row}</td><td>第 {row} 行</td><td>{hash:016x}</td></tr>\n");
        row += 1;
    }
    page += "</table></body></html>\n";
    page.into_bytes()
}

/// 100 000 bytes from a xorshift generator: all 256 byte values, NULs,
/// invalid UTF-8 and `\r\n\r\n` included.
fn data_bin() -> Vec<u8> {
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    (0..100_000)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 56) as u8
        })
        .collect()
}

/// The file behind `/chunked.html`: each line names the server through the
/// placeholder that nginx's `sub_filter` rewrites.
fn chunked_source() -> Vec<u8> {
    let mut page = String::from("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"></head><body>\n");
    for line in 1..=2000 {
        page += &format!("<p>{line}: 由 {PLACEHOLDER} 发送 (sent by {PLACEHOLDER})</p>\n");
    }
    page += "</body></html>\n";
    page.into_bytes()
}
