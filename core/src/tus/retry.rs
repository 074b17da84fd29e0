//! When to try a failed request again: exponential backoff with full jitter, bounded by a
//! number of attempts and by the time spent failing.

use std::time::{Duration, Instant};

use tokio_util::sync::CancellationToken;

use crate::{Error, FailureKind};

/// The retry bounds, from [`UploadConfig`](super::UploadConfig).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct RetryPolicy {
    pub max_attempts: u32,
    pub max_elapsed: Duration,
    pub base: Duration,
    pub cap: Duration,
}

impl RetryPolicy {
    /// The wait before the next attempt, after `failures` (≥ 1) failed attempts that began
    /// `elapsed` ago; `None` once the budget is spent.
    ///
    /// Full jitter: uniform in `[0, min(cap, base · 2^(failures−1))]`, scaled by `random` over
    /// the whole `u64` range. A server's `Retry-After` raises the wait to at least that long.
    pub fn delay(
        &self,
        failures: u32,
        elapsed: Duration,
        retry_after: Option<Duration>,
        random: u64,
    ) -> Option<Duration> {
        if failures >= self.max_attempts {
            return None;
        }
        let doubling = 1u32.checked_shl(failures.saturating_sub(1)).unwrap_or(u32::MAX);
        let ceiling = self.base.saturating_mul(doubling).min(self.cap);
        let nanos = ceiling.as_nanos().saturating_mul(u128::from(random)) >> 64;
        let jitter = Duration::from_nanos(u64::try_from(nanos).unwrap_or(u64::MAX));
        let delay = jitter.max(retry_after.unwrap_or(Duration::ZERO));
        (elapsed.saturating_add(delay) <= self.max_elapsed).then_some(delay)
    }
}

/// The failures of one streak: reset whenever the upload makes new progress.
#[derive(Debug)]
pub(super) struct Budget {
    policy: RetryPolicy,
    failures: u32,
    since: Option<Instant>,
    protocol_errors: u32,
}

impl Budget {
    pub fn new(policy: RetryPolicy) -> Budget {
        Budget { policy, failures: 0, since: None, protocol_errors: 0 }
    }

    /// New bytes were confirmed: the next failure starts a fresh streak.
    pub fn progressed(&mut self) {
        self.failures = 0;
        self.since = None;
    }

    /// Counts a server protocol violation; the second one in a transfer is final
    /// ([`Error::ProtocolViolation`]): the first may be a proxy's glitch, re-read with `HEAD`.
    pub fn protocol_error(&mut self, reason: &str) -> Result<(), Error> {
        self.protocol_errors += 1;
        if self.protocol_errors > 1 {
            return Err(Error::ProtocolViolation { reason: reason.to_string() });
        }
        Ok(())
    }

    /// The error that ends the transfer now, after the failures counted so far.
    pub fn give_up(&self, kind: FailureKind, reason: String) -> Error {
        // A streak ends at the retry policy's max_attempts, far below i32::MAX.
        Error::UploadFailed { attempts: i32::try_from(self.failures).unwrap_or(i32::MAX), kind, reason }
    }

    /// Counts a failed attempt of `kind` and waits before the next one, or fails when the
    /// budget is spent.
    pub async fn wait(
        &mut self,
        kind: FailureKind,
        reason: String,
        retry_after: Option<Duration>,
        cancel: &CancellationToken,
    ) -> Result<(), Error> {
        self.failures += 1;
        let since = *self.since.get_or_insert_with(Instant::now);
        let Some(delay) = self.policy.delay(self.failures, since.elapsed(), retry_after, random_u64()) else {
            log::warn!("upload: giving up after {} failed attempts ({kind})", self.failures);
            return Err(self.give_up(kind, reason));
        };
        // The reason is left out: a server's answer is not ours to copy into the host's log.
        log::info!("upload: attempt {} failed ({kind}); retrying in {} ms", self.failures, delay.as_millis());
        tokio::select! {
            _ = cancel.cancelled() => Err(Error::UploadCancelled),
            _ = tokio::time::sleep(delay) => Ok(()),
        }
    }
}

/// A random `u64` for jitter; without an entropy source the wait is simply the full ceiling.
fn random_u64() -> u64 {
    let mut bytes = [0u8; 8];
    match getrandom::fill(&mut bytes) {
        Ok(()) => u64::from_le_bytes(bytes),
        Err(_) => u64::MAX,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: Duration = Duration::from_millis(1);

    fn policy() -> RetryPolicy {
        RetryPolicy {
            max_attempts: 8,
            max_elapsed: Duration::from_secs(600),
            base: 500 * MS,
            cap: Duration::from_secs(30),
        }
    }

    #[test]
    fn ceiling_doubles_up_to_the_cap() {
        let p = policy();
        let max = u64::MAX;
        let got: Vec<_> = (1..8).map(|n| p.delay(n, Duration::ZERO, None, max).unwrap()).collect();
        let within = |d: Duration, ms: u32| d <= MS * ms && d > (MS * ms).saturating_sub(MS);
        for (d, ms) in got.iter().zip([500, 1000, 2000, 4000, 8000, 16_000, 30_000]) {
            assert!(within(*d, ms), "{d:?} vs {ms} ms");
        }
    }

    #[test]
    fn jitter_spans_zero_to_ceiling() {
        let p = policy();
        assert_eq!(p.delay(3, Duration::ZERO, None, 0), Some(Duration::ZERO));
        assert_eq!(p.delay(3, Duration::ZERO, None, 1 << 63), Some(1000 * MS));
        assert_eq!(p.delay(1, Duration::ZERO, None, 1 << 62), Some(125 * MS));
    }

    #[test]
    fn stops_at_max_attempts() {
        let p = policy();
        assert!(p.delay(7, Duration::ZERO, None, 0).is_some());
        assert_eq!(p.delay(8, Duration::ZERO, None, 0), None);
        assert_eq!(p.delay(u32::MAX, Duration::ZERO, None, 0), None);
    }

    #[test]
    fn stops_at_max_elapsed() {
        let p = policy();
        assert_eq!(p.delay(2, Duration::from_secs(599), None, 0), Some(Duration::ZERO));
        assert_eq!(p.delay(2, Duration::from_millis(599_500), None, u64::MAX), None);
        assert_eq!(p.delay(2, Duration::from_secs(601), None, 0), None);
    }

    #[test]
    fn retry_after_is_a_floor() {
        let p = policy();
        let ra = Some(Duration::from_secs(45));
        assert_eq!(p.delay(1, Duration::ZERO, ra, u64::MAX), Some(Duration::from_secs(45)));
        assert_eq!(p.delay(1, Duration::ZERO, Some(MS), u64::MAX), p.delay(1, Duration::ZERO, None, u64::MAX));
        // A Retry-After beyond the elapsed budget ends the retries now rather than sleeping past it.
        assert_eq!(p.delay(1, Duration::ZERO, Some(Duration::from_secs(3600)), 0), None);
    }

    #[test]
    fn huge_settings_do_not_overflow() {
        let p =
            RetryPolicy { max_attempts: u32::MAX, max_elapsed: Duration::MAX, base: Duration::MAX, cap: Duration::MAX };
        assert!(p.delay(200, Duration::MAX, None, u64::MAX).is_some());
    }
}
