//! Any TCP client can talk to the relay's Hello server, not only the page:
//! here the tutorial-style Python client and `nc`.

mod common;

use std::process::Stdio;

use common::{PATIENCE, Page, TestRelay};
use protocol::{RelayMessage, ServerEvent};
use tokio::io::AsyncWriteExt;
use tokio::process::Command;

async fn output_of(command: &mut Command) -> String {
    let output = tokio::time::timeout(PATIENCE, command.stderr(Stdio::inherit()).output())
        .await
        .expect("the client finishes in time")
        .expect("the client starts");
    assert!(output.status.success(), "{:?}", output.status);
    String::from_utf8(output.stdout).expect("UTF-8 output")
}

#[tokio::test]
async fn the_python_client_prints_the_tutorials_transcript() {
    let relay = TestRelay::start(&["--hello-delay", "20"]).await;
    let mut page = Page::open(&relay).await;
    page.watch_hello().await;

    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../python/hello_client.py");
    let port = relay.hello.port().to_string();
    let transcript = output_of(Command::new("python3").arg(script).arg(port)).await;
    assert_eq!(transcript, "Welcome!\nHello,Michael!\nHello,Tracy!\nHello,Sarah!\n");

    // The server logged the Python client's connection from accept to close.
    let mut events = Vec::new();
    while events.last() != Some(&ServerEvent::Closed) {
        if let RelayMessage::ServerLog { event, .. } = page.next().await.message {
            events.push(event);
        }
    }
    assert_eq!(events.first(), Some(&ServerEvent::Accepted));
    assert_eq!(events.iter().filter(|event| **event == ServerEvent::Received).count(), 4);
}

#[tokio::test]
async fn nc_gets_the_welcome_and_an_answer() {
    let relay = TestRelay::start(&[]).await;
    // -N: after stdin ends, shut down our sending side, so the server reads
    // `Michael`, answers, then reads the end of the stream and closes.
    let mut nc = Command::new("nc");
    nc.args(["-N", "127.0.0.1", &relay.hello.port().to_string()])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped());
    let mut child = nc.spawn().expect("nc is installed (cargo xtask ci installs netcat-openbsd)");
    child.stdin.take().unwrap().write_all(b"Michael").await.unwrap();
    let output = tokio::time::timeout(PATIENCE, child.wait_with_output()).await.unwrap().unwrap();
    assert_eq!(String::from_utf8_lossy(&output.stdout), "Welcome!Hello,Michael!");
}
