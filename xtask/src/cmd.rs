//! Running programs: plainly, quietly, or counting the tests they report.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

use crate::Result;

/// A command in `dir` with extra environment variables.
pub fn command(program: &str, args: &[&str], dir: &Path, env: &[(String, String)]) -> Command {
    let mut command = Command::new(program);
    command.args(args).current_dir(dir).envs(env.iter().map(|(key, value)| (key, value)));
    command
}

/// Runs a command, its output going to the terminal; fails unless it succeeds.
pub fn run(mut command: Command) -> Result {
    let shown = describe(&command);
    println!("$ {shown}");
    let status = command.status().map_err(|error| format!("cannot run `{shown}`: {error}"))?;
    if status.success() { Ok(()) } else { Err(format!("`{shown}` failed ({status})")) }
}

/// Runs a command and returns its standard output, or None if it failed or is missing.
pub fn output(program: &str, args: &[&str]) -> Option<String> {
    let output = Command::new(program).args(args).stderr(Stdio::null()).output().ok()?;
    output.status.success().then(|| String::from_utf8_lossy(&output.stdout).into_owned())
}

/// Test counts read from the "test result:" lines of libtest and wasm-bindgen-test.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub passed: u32,
    pub failed: u32,
}

/// Runs a test command, showing its output as it comes and adding up the
/// results it reports. A command that fails without reporting a failed
/// test (it did not compile, say) counts as one failure.
pub fn run_tests(mut command: Command) -> Counts {
    let shown = describe(&command);
    println!("$ {shown}");
    let mut child = match command.stdout(Stdio::piped()).spawn() {
        Ok(child) => child,
        Err(error) => {
            eprintln!("cannot run `{shown}`: {error}");
            return Counts { passed: 0, failed: 1 };
        }
    };
    let mut counts = Counts::default();
    let stdout = child.stdout.take().expect("stdout is piped");
    for line in BufReader::new(stdout).lines().map_while(std::io::Result::ok) {
        println!("{line}");
        if let Some(result) = parse_result_line(&line) {
            counts.passed += result.passed;
            counts.failed += result.failed;
        }
    }
    let succeeded = child.wait().is_ok_and(|status| status.success());
    if !succeeded && counts.failed == 0 {
        counts.failed = 1;
    }
    counts
}

/// Reads `test result: ok. 12 passed; 0 failed; 0 ignored; ...`.
pub fn parse_result_line(line: &str) -> Option<Counts> {
    let rest = line.trim().strip_prefix("test result: ")?;
    let number_before = |word: &str| -> Option<u32> {
        let at = rest.find(word)?;
        rest[..at].split_whitespace().last()?.parse().ok()
    };
    Some(Counts { passed: number_before(" passed")?, failed: number_before(" failed")? })
}

fn describe(command: &Command) -> String {
    let mut words = vec![command.get_program().to_string_lossy().into_owned()];
    words.extend(command.get_args().map(|arg| arg.to_string_lossy().into_owned()));
    words.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_libtest_and_wasm_bindgen_test_summaries() {
        let line =
            "test result: ok. 12 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.30s";
        assert_eq!(parse_result_line(line), Some(Counts { passed: 12, failed: 0 }));
        let line = "test result: FAILED. 6 passed; 2 failed; 0 ignored; 0 measured; 0 filtered out";
        assert_eq!(parse_result_line(line), Some(Counts { passed: 6, failed: 2 }));
        assert_eq!(parse_result_line("running 3 tests"), None);
    }
}
