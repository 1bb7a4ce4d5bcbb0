//! Latency figures over every request of a run.
//!
//! A mean hides what a load test is after: the few requests that waited far
//! longer than the rest. So a run reports percentiles: p50 (half of the
//! requests were answered at least this fast), p99 (all but one in a
//! hundred) and the slowest of all. They are nearest-rank percentiles over
//! every sample, kept whole: a run of a few thousand sessions makes tens of
//! thousands of samples, which sort in a moment.

use std::fmt;
use std::time::Duration;

/// The distribution of a set of latencies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    pub count: usize,
    pub p50: Duration,
    pub p99: Duration,
    pub max: Duration,
}

impl Summary {
    /// Summarises the samples; None when there are none.
    pub fn of(mut samples: Vec<Duration>) -> Option<Summary> {
        samples.sort_unstable();
        let max = *samples.last()?;
        Some(Summary {
            count: samples.len(),
            p50: percentile(&samples, 50),
            p99: percentile(&samples, 99),
            max,
        })
    }
}

/// The smallest sample that at least `p` percent of the samples do not exceed.
fn percentile(sorted: &[Duration], p: usize) -> Duration {
    let rank = (sorted.len() * p).div_ceil(100).max(1);
    sorted[rank - 1]
}

/// A duration in milliseconds with microsecond precision: `12.345 ms`.
pub struct Millis(pub Duration);

impl fmt::Display for Millis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = format!("{:.3} ms", self.0.as_secs_f64() * 1000.0);
        f.pad(&text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn micros(values: impl IntoIterator<Item = u64>) -> Vec<Duration> {
        values.into_iter().map(Duration::from_micros).collect()
    }

    #[test]
    fn nearest_rank_percentiles() {
        let summary = Summary::of(micros((1..=1000).rev())).expect("samples");
        assert_eq!(summary.count, 1000);
        assert_eq!(summary.p50, Duration::from_micros(500));
        assert_eq!(summary.p99, Duration::from_micros(990));
        assert_eq!(summary.max, Duration::from_micros(1000));
    }

    #[test]
    fn one_sample_is_every_percentile() {
        let summary = Summary::of(micros([7])).expect("a sample");
        assert_eq!((summary.p50, summary.p99, summary.max), (micros([7])[0], micros([7])[0], micros([7])[0]));
    }

    #[test]
    fn no_samples_no_summary() {
        assert_eq!(Summary::of(Vec::new()), None);
    }

    #[test]
    fn millis_align_in_columns() {
        assert_eq!(format!("{:>10}", Millis(Duration::from_micros(1234))), "  1.234 ms");
    }
}
