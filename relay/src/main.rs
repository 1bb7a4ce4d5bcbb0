//! `relay`: serves the socket playground. Run `relay --help` for its options.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;
use relay::{Config, Relay};
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> ExitCode {
    let config = Config::parse();
    let filter = match EnvFilter::try_new(&config.log_level) {
        Ok(filter) => filter,
        Err(error) => {
            eprintln!("relay: --log-level {:?} is not a log filter: {error}", config.log_level);
            return ExitCode::FAILURE;
        }
    };
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .init();

    // Each session holds a WebSocket and its sockets: allow as many open
    // files as the system lets this process have, not the small default.
    if let Err(error) = rlimit::increase_nofile_limit(u64::MAX) {
        tracing::warn!("cannot raise the open-file limit: {error}");
    }
    let relay = match Relay::bind(&config).await {
        Ok(relay) => relay,
        Err(error) => {
            eprintln!("relay: {error}");
            return ExitCode::FAILURE;
        }
    };
    // Where to point a browser. A closed stdout is no reason to stop serving.
    let mut stdout = std::io::stdout();
    let _ = writeln!(stdout, "Socket Playground: http://{}/", relay.http_addr());
    for server in relay.servers() {
        let _ = writeln!(stdout, "{:?} server: {}", server.name, server.addr);
    }
    match relay.serve(shutdown_signal()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("relay: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Completes on Ctrl+C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut term) => {
                term.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
    tracing::info!("shutting down");
}
