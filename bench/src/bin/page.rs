//! `page`: how soon the front end can be used after navigation, in
//! headless Chromium (see [`bench::page`]).
//!
//! ```text
//! page --url http://127.0.0.1:8080/ --runs 5
//! ```
//!
//! Each run opens the page in a new browser session (an empty cache) and
//! times it from the start of the navigation until the first step of the
//! default lesson can be clicked, the relay's welcome received. It prints
//! each run on stderr and one line of `key=value` figures on stdout: the
//! median, the fastest and the slowest run, in milliseconds.

use std::process::ExitCode;
use std::time::Duration;

use bench::page::Driver;
use clap::Parser;

/// Times the front end from navigation to its first interactive step.
#[derive(Debug, Parser)]
#[command(name = "page", version, about, long_about = None)]
struct Args {
    /// The playground's address, served by a running relay.
    #[arg(long, value_name = "URL", default_value = "http://127.0.0.1:8080/")]
    url: String,
    /// How many runs; the median is reported.
    #[arg(long, value_name = "N", default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..))]
    runs: u32,
    #[arg(long, value_name = "PATH", default_value = "/usr/bin/chromedriver")]
    chromedriver: String,
    #[arg(long, value_name = "PATH", default_value = "/usr/bin/chromium")]
    chromium: String,
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("page: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: &Args) -> Result<(), String> {
    let driver = Driver::start(&args.chromedriver, &args.chromium).await?;
    let mut times = Vec::new();
    for run in 1..=args.runs {
        let took = driver.time_to_interactive(&args.url).await?;
        eprintln!("page: run {run}: interactive after {:.1} ms", millis(took));
        times.push(took);
    }
    times.sort_unstable();
    println!(
        "page runs={} interactive_ms={:.1} min_ms={:.1} max_ms={:.1}",
        args.runs,
        millis(times[times.len() / 2]),
        millis(times[0]),
        millis(times[times.len() - 1])
    );
    Ok(())
}

fn millis(took: Duration) -> f64 {
    took.as_secs_f64() * 1000.0
}
