//! Time and identifiers, with a deterministic mode for tests.
//!
//! `CODEXA_TEST_NOW` (RFC 3339) freezes the clock and `CODEXA_TEST_SEED`
//! makes every generated id a function of the seed and what it names, so
//! end-to-end tests can compare exact output. Both are documented in the
//! README; neither is meant for real use, and a process running under an
//! agent's program ignores both (see `agents::lineage::under_known_agent`).
//!
//! The clock is read where a command starts its work (or where a lock is
//! taken) and passed down as `now`, so the logic that depends on time
//! (windows, expiries, the watch's hysteresis) can be driven by unit tests
//! with any time they like. Code that must also wait uses a [`Clock`]:
//! [`SystemClock`] in the program, [`ManualClock`] in unit tests, where
//! waiting moves the time on at once instead of sleeping.

use std::time::{Duration, Instant};

use jiff::Timestamp;
use sha2::{Digest, Sha256};
use ulid::Ulid;

pub const TEST_NOW_ENV: &str = "CODEXA_TEST_NOW";
pub const TEST_SEED_ENV: &str = "CODEXA_TEST_SEED";

/// A tests-only setting, unless an agent's program runs this process.
pub fn test_setting(name: &str) -> Option<String> {
    std::env::var(name)
        .ok()
        .filter(|_| !crate::agents::lineage::under_known_agent())
}

/// Milliseconds since the Unix epoch: now, or the frozen test time.
pub fn now_ms() -> i64 {
    if let Some(fixed) = test_setting(TEST_NOW_ENV)
        && let Ok(ts) = fixed.parse::<Timestamp>()
    {
        return ts.as_millisecond();
    }
    Timestamp::now().as_millisecond()
}

/// Where time comes from, for code that waits as well as reads it.
pub trait Clock {
    /// Milliseconds since the Unix epoch, as [`now_ms`] gives them.
    fn now_ms(&self) -> i64;
    /// A monotonic instant for deadlines and intervals: unlike `now_ms`,
    /// it moves on under a frozen test time and never jumps back.
    fn instant(&self) -> Instant;
    /// Wait `d`.
    fn sleep(&self, d: Duration);
}

/// The process's clock: [`now_ms`] (so `CODEXA_TEST_NOW` freezes it, as
/// everywhere), `Instant::now` and a real sleep.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_ms(&self) -> i64 {
        now_ms()
    }

    fn instant(&self) -> Instant {
        Instant::now()
    }

    fn sleep(&self, d: Duration) {
        std::thread::sleep(d);
    }
}

/// The clock of a command that waits on other programs (`trigger`): the
/// system clock, or under the test clock a [`PacedTestClock`], so a wait
/// of a minute in an end-to-end test takes a fraction of a second.
pub fn for_waiting() -> Box<dyn Clock + Send + Sync> {
    match test_setting(TEST_NOW_ENV).and_then(|t| t.parse::<Timestamp>().ok()) {
        Some(ts) => Box::new(PacedTestClock::at(ts.as_millisecond())),
        None => Box::new(SystemClock),
    }
}

/// Time for end-to-end tests of commands that wait: it starts at the test
/// clock and moves only by what this process sleeps, but each sleep also
/// takes a little real time (a tenth, between 10 and 50 ms), so the other
/// programs it waits on (a stand-in agent in a tmux pane) get to run while
/// a 20 s window passes in 50 ms.
#[derive(Debug)]
pub struct PacedTestClock {
    start_ms: i64,
    start: Instant,
    slept: std::sync::Mutex<Duration>,
}

impl PacedTestClock {
    pub fn at(start_ms: i64) -> PacedTestClock {
        PacedTestClock {
            start_ms,
            start: Instant::now(),
            slept: Default::default(),
        }
    }

    fn slept(&self) -> Duration {
        *self.slept.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Clock for PacedTestClock {
    fn now_ms(&self) -> i64 {
        self.start_ms + self.slept().as_millis() as i64
    }
    fn instant(&self) -> Instant {
        self.start + self.slept()
    }
    fn sleep(&self, d: Duration) {
        *self.slept.lock().unwrap_or_else(|e| e.into_inner()) += d;
        let real = (d / 10).clamp(Duration::from_millis(10), Duration::from_millis(50));
        std::thread::sleep(real.min(d));
    }
}

/// A clock for unit tests: it stands still until moved, and a sleep moves
/// it on by the time slept without waiting, so a window of seconds passes
/// in no time. Clones share one time (a test keeps one to move the clock
/// it gave to the code under test).
#[cfg(test)]
#[derive(Debug, Clone)]
pub struct ManualClock {
    start_ms: i64,
    start: Instant,
    elapsed: std::sync::Arc<std::sync::Mutex<Duration>>,
}

#[cfg(test)]
impl ManualClock {
    /// A clock reading `start_ms`.
    pub fn at(start_ms: i64) -> ManualClock {
        ManualClock {
            start_ms,
            start: Instant::now(),
            elapsed: Default::default(),
        }
    }

    /// Move the time on by `d`.
    pub fn advance(&self, d: Duration) {
        *self.elapsed.lock().unwrap() += d;
    }

    fn elapsed(&self) -> Duration {
        *self.elapsed.lock().unwrap()
    }
}

#[cfg(test)]
impl Clock for ManualClock {
    fn now_ms(&self) -> i64 {
        self.start_ms + self.elapsed().as_millis() as i64
    }

    fn instant(&self) -> Instant {
        self.start + self.elapsed()
    }

    fn sleep(&self, d: Duration) {
        self.advance(d);
    }
}

/// RFC 3339 UTC with exactly three fractional digits, the envelope's `ts`.
pub fn format_ms(ms: i64) -> String {
    match Timestamp::from_millisecond(ms) {
        Ok(ts) => ts.strftime("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
        Err(_) => "1970-01-01T00:00:00.000Z".to_string(),
    }
}

/// Parse an envelope timestamp back to milliseconds.
pub fn parse_ms(ts: &str) -> Option<i64> {
    ts.parse::<Timestamp>().ok().map(|t| t.as_millisecond())
}

/// A new ULID at `ms`. Under `CODEXA_TEST_SEED` the random part is derived
/// from the seed and `context`, which the caller makes unique (for events:
/// writer and seq), so ids are stable across runs yet never collide.
pub fn ulid_at(ms: i64, context: &str) -> Ulid {
    let ms = ms.max(0) as u64;
    match test_setting(TEST_SEED_ENV) {
        Some(seed) => {
            let digest = Sha256::new()
                .chain_update(seed.as_bytes())
                .chain_update([0])
                .chain_update(context.as_bytes())
                .finalize();
            let mut bytes = [0u8; 16];
            bytes.copy_from_slice(&digest[..16]);
            Ulid::from_parts(ms, u128::from_be_bytes(bytes))
        }
        None => Ulid::from_parts(ms, rand_u128()),
    }
}

fn rand_u128() -> u128 {
    // ulid's own generator draws from the OS-seeded thread RNG.
    Ulid::generate().random()
}

/// A prefixed id such as `evt_01J…` or `wr_01J…`.
pub fn prefixed_id(prefix: &str, ms: i64, context: &str) -> String {
    format!("{prefix}_{}", ulid_at(ms, context))
}

/// Why a duration did not parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DurationError {
    /// No number in front (`m`, `abc`), or one too large.
    Number,
    /// A number with an unknown unit (`5x`); holds the unit.
    Unit(String),
}

/// A duration such as `30s`, `10m`, `2h`, `1d`, `1w` in milliseconds.
pub fn parse_duration_ms(text: &str) -> Result<i64, DurationError> {
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (num, unit) = text.split_at(split);
    let n: i64 = num.parse().map_err(|_| DurationError::Number)?;
    let unit_ms: i64 = match unit {
        "s" => 1_000,
        "m" => 60_000,
        "h" => 3_600_000,
        "d" => 86_400_000,
        "w" => 7 * 86_400_000,
        _ => return Err(DurationError::Unit(unit.to_string())),
    };
    n.checked_mul(unit_ms).ok_or(DurationError::Number)
}

/// Parse a `--since`/`--until` value: an RFC 3339 timestamp, a date
/// (`2026-11-21`, midnight UTC) or an age (`30m`, `2h`, `1d`, `1w` ago).
/// Returns the envelope `ts` form, which compares correctly as text.
pub fn parse_time_arg(text: &str) -> Result<String, String> {
    parse_time_at(text, now_ms())
}

/// [`parse_time_arg`] with ages counted back from `now_ms`.
pub fn parse_time_at(text: &str, now_ms: i64) -> Result<String, String> {
    if let Ok(ts) = text.parse::<Timestamp>() {
        return Ok(format_ms(ts.as_millisecond()));
    }
    if let Ok(date) = text.parse::<jiff::civil::Date>()
        && let Ok(zoned) = date.to_zoned(jiff::tz::TimeZone::UTC)
    {
        return Ok(format_ms(zoned.timestamp().as_millisecond()));
    }
    let ago = match parse_duration_ms(text) {
        Ok(ms) => ms,
        Err(DurationError::Unit(unit)) => {
            return Err(format!(
                "`{text}` has an unknown unit `{unit}`: use s, m, h, d or w"
            ));
        }
        Err(_) => {
            return Err(format!(
                "`{text}` is not a time: use 2026-11-21T10:00:00Z, 2026-11-21, or an age like 30m, 2h, 1d"
            ));
        }
    };
    now_ms
        .checked_sub(ago)
        .filter(|ms| *ms >= 0)
        .map(format_ms)
        .ok_or_else(|| format!("`{text}` reaches back before 1970"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_args() {
        assert_eq!(
            parse_time_arg("2026-11-21").unwrap(),
            "2026-11-21T00:00:00.000Z"
        );
        assert_eq!(
            parse_time_arg("2026-11-21T10:00:00+01:00").unwrap(),
            "2026-11-21T09:00:00.000Z"
        );
        assert!(parse_time_arg("3 days").is_err());
        assert!(parse_time_arg("2x").is_err());
        assert!(parse_time_arg("99999999999999w").is_err());
        assert!(parse_time_arg("2d").unwrap() < format_ms(now_ms()));
        let now = parse_ms("2026-11-21T10:00:00Z").unwrap();
        assert_eq!(
            parse_time_at("90m", now).unwrap(),
            "2026-11-21T08:30:00.000Z"
        );
        assert_eq!(
            parse_time_at("1w", now).unwrap(),
            "2026-11-14T10:00:00.000Z"
        );
    }

    #[test]
    fn a_manual_clock_moves_only_when_moved_or_slept_on() {
        let clock = ManualClock::at(1_000);
        let (ms, at) = (clock.now_ms(), clock.instant());
        assert_eq!((clock.now_ms(), clock.instant()), (ms, at));
        clock.sleep(Duration::from_millis(1_500));
        clock.clone().advance(Duration::from_secs(2));
        assert_eq!(clock.now_ms(), 4_500);
        assert_eq!(clock.instant() - at, Duration::from_millis(3_500));
    }
}
