//! The `relay` program itself: its options, its start-up line, and its
//! one-line error when a port is taken.

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::process::{Command, Stdio};

const RELAY: &str = env!("CARGO_BIN_EXE_relay");

#[test]
fn help_describes_every_option() {
    let output = Command::new(RELAY).arg("--help").output().unwrap();
    assert!(output.status.success());
    let help = String::from_utf8(output.stdout).unwrap();
    for option in [
        "--listen",
        "--hello",
        "--hello-single",
        "--hello-delay",
        "--log-level",
        "127.0.0.1:9998",
        "127.0.0.1:9999",
        "1000",
    ] {
        assert!(help.contains(option), "--help mentions {option}:\n{help}");
    }
}

/// One socket per port: a taken port is a one-line error naming it, not a panic.
#[test]
fn a_port_in_use_is_a_one_line_error_naming_it() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let ephemeral = ["--listen", "127.0.0.1:0", "--hello", "127.0.0.1:0", "--hello-single", "127.0.0.1:0"];
    for flag in ["--listen", "--hello", "--hello-single"] {
        let output =
            Command::new(RELAY).args(ephemeral).args([flag, &format!("127.0.0.1:{port}")]).output().unwrap();
        assert!(!output.status.success());
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
        assert!(stderr.contains(&format!("port {port} is already in use")), "{stderr}");
        assert!(stderr.contains(flag), "names the option to change: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}

#[test]
fn it_says_where_it_serves() {
    let mut relay = Command::new(RELAY)
        .args(["--listen", "127.0.0.1:0", "--hello", "127.0.0.1:0", "--hello-single", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(relay.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let second = lines.next().unwrap().unwrap();
    relay.kill().unwrap();
    relay.wait().unwrap();
    assert!(first.starts_with("Socket Playground: http://127.0.0.1:"), "{first}");
    assert!(second.starts_with("Hello server: 127.0.0.1:"), "{second}");
}
