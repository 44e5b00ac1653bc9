//! [`LocalFormat`]: a human-readable format for terminals and local development.
//!
//! ```text
//! ---
//!   timestamp: 2025-07-17T17:55:58.378Z
//!   NumberOfDucks: 5
//!   OperationTime: 3.024μs
//!   Latency (3 samples):
//!     min: 1.000ms
//!     p50: 2.000ms
//!     max: 3.000ms
//!   Requests [Operation=Get]:
//!     12
//!   Operation: CountDucks
//! ```
//!
//! Fields appear in write order. Durations are shown in the largest fitting unit (`1.234s`,
//! `42.300ms`, `12.000μs`), bytes as decimal `B`/`KB`/`MB`/`GB`, percentages with one decimal,
//! unitless values as integers when whole, other units as `value Unit`. Distributions (several
//! observations, `Repeated`, or the [`Distribution`] flag) show their sample count and
//! percentiles. Errors render as `ERROR: …`; nothing is validated, so every entry prints.
//!
//! ```
//! use metrique_writer::format::{Format, local::LocalFormat};
//! let mut out = Vec::new();
//! LocalFormat::pretty().format(&vec![("Requests", 3u64)], &mut out).unwrap();
//! assert!(String::from_utf8(out).unwrap().ends_with("  Requests: 3\n"));
//! ```

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io;
use std::time::{SystemTime, UNIX_EPOCH};

use crate::entry::{Entry, EntryConfig, EntryWriter};
use crate::format::Format;
use crate::stream::IoStreamError;
use crate::unit::{NegativeScale, PositiveScale, Unit};
use crate::validate::ValidationError;
use crate::value::{
    DistributionFlag as Distribution, MetricFlags, Observation, Value, ValueWriter,
};

/// How [`LocalFormat`] lays out entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum OutputStyle {
    /// `---` then one indented `Name: value` line per field.
    #[default]
    Pretty,
}

impl OutputStyle {
    /// The pretty style.
    pub const fn pretty() -> Self {
        OutputStyle::Pretty
    }
}

/// A percentile shown for distributions, e.g. `Percentile::new(0.99)` labelled `p99`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Percentile {
    fraction: f64,
}

impl Percentile {
    /// The percentile at `fraction` (clamped to `0..=1`): 0 is `min`, 1 is `max`.
    pub fn new(fraction: f64) -> Self {
        Self {
            fraction: fraction.clamp(0.0, 1.0),
        }
    }

    /// `min`, `max`, `p50`, `p99.9`, …
    pub fn label(&self) -> String {
        if self.fraction <= 0.0 {
            return "min".into();
        }
        if self.fraction >= 1.0 {
            return "max".into();
        }
        let p = format!("{:.3}", self.fraction * 100.0);
        format!("p{}", p.trim_end_matches('0').trim_end_matches('.'))
    }
}

/// The human-readable format (see the [module docs](self)).
#[derive(Debug, Clone)]
pub struct LocalFormat {
    style: OutputStyle,
    percentiles: Vec<Percentile>,
    out: String,
}

impl Default for LocalFormat {
    fn default() -> Self {
        Self::new(OutputStyle::Pretty)
    }
}

impl LocalFormat {
    /// A local format with the given style and the default percentiles (min, p50, p99, p99.9,
    /// max).
    pub fn new(style: OutputStyle) -> Self {
        let percentiles = [0.0, 0.5, 0.99, 0.999, 1.0]
            .into_iter()
            .map(Percentile::new)
            .collect();
        Self {
            style,
            percentiles,
            out: String::new(),
        }
    }

    /// The pretty style.
    pub fn pretty() -> Self {
        Self::new(OutputStyle::Pretty)
    }

    /// Shows these percentiles for distributions.
    #[must_use]
    pub fn percentiles(mut self, percentiles: Vec<Percentile>) -> Self {
        self.percentiles = percentiles;
        self
    }
}

impl Format for LocalFormat {
    fn format(
        &mut self,
        entry: &impl Entry,
        output: &mut impl io::Write,
    ) -> Result<(), IoStreamError> {
        let OutputStyle::Pretty = self.style;
        let mut fields = String::new();
        let mut w = LocalWriter {
            out: &mut fields,
            timestamp: None,
            percentiles: &self.percentiles,
        };
        entry.write(&mut w);
        let timestamp = w.timestamp.unwrap_or_else(SystemTime::now);
        self.out.clear();
        self.out.push_str("---\n  timestamp: ");
        push_rfc3339(&mut self.out, timestamp);
        self.out.push('\n');
        self.out.push_str(&fields);
        output.write_all(self.out.as_bytes())?;
        Ok(())
    }
}

/// Appends `t` as RFC 3339 UTC (`2025-07-17T17:55:58.378Z`; fraction trimmed, omitted when
/// zero; times before the epoch clamp to it).
pub(crate) fn push_rfc3339(out: &mut String, t: SystemTime) {
    let d = t.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = d.as_secs();
    let (days, rem) = (secs / 86_400, secs % 86_400);
    let (y, m, day) = civil_from_days(days);
    let _ = write!(
        out,
        "{y:04}-{m:02}-{day:02}T{:02}:{:02}:{:02}",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    );
    let nanos = d.subsec_nanos();
    if nanos > 0 {
        let frac = format!("{nanos:09}");
        out.push('.');
        out.push_str(frac.trim_end_matches('0'));
    }
    out.push('Z');
}

/// Days since 1970-01-01 → (year, month, day) in the proleptic Gregorian calendar
/// (Howard Hinnant's `civil_from_days`).
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + u64::from(m <= 2);
    (y, m, d)
}

struct LocalWriter<'o> {
    out: &'o mut String,
    timestamp: Option<SystemTime>,
    percentiles: &'o [Percentile],
}

impl<'a> EntryWriter<'a> for LocalWriter<'_> {
    fn timestamp(&mut self, timestamp: SystemTime) {
        self.timestamp.get_or_insert(timestamp);
    }

    fn value(&mut self, name: impl Into<Cow<'a, str>>, value: &(impl Value + ?Sized)) {
        let name = name.into();
        value.write(LocalValueWriter {
            out: self.out,
            name: &name,
            percentiles: self.percentiles,
        });
    }

    fn config(&mut self, _config: &'a dyn EntryConfig) {}
}

struct LocalValueWriter<'w> {
    out: &'w mut String,
    name: &'w str,
    percentiles: &'w [Percentile],
}

/// `value` (in `unit`) for humans.
fn human(value: f64, unit: Unit) -> String {
    let seconds = |scale| match scale {
        NegativeScale::One => 1.0,
        NegativeScale::Milli => 1e-3,
        _ => 1e-6,
    };
    let bytes = |scale| match scale {
        PositiveScale::One => 1.0,
        PositiveScale::Kilo => 1e3,
        PositiveScale::Mega => 1e6,
        PositiveScale::Giga => 1e9,
        _ => 1e12,
    };
    match unit {
        Unit::Second(s) => {
            let secs = value * seconds(s);
            if secs.abs() >= 1.0 {
                format!("{secs:.3}s")
            } else if secs.abs() >= 1e-3 {
                format!("{:.3}ms", secs * 1e3)
            } else {
                format!("{:.3}μs", secs * 1e6)
            }
        }
        Unit::Byte(s) => {
            let b = value * bytes(s);
            match b.abs() {
                a if a >= 1e9 => format!("{:.2}GB", b / 1e9),
                a if a >= 1e6 => format!("{:.2}MB", b / 1e6),
                a if a >= 1e3 => format!("{:.2}KB", b / 1e3),
                _ => format!("{}B", plain(b)),
            }
        }
        Unit::Percent => format!("{value:.1}%"),
        Unit::None | Unit::Count => plain(value),
        other => format!("{} {}", plain(value), other.name()),
    }
}

/// Integers when whole, shortest float otherwise.
fn plain(v: f64) -> String {
    if v.is_finite() && v.fract() == 0.0 && v.abs() < 1e15 {
        #[allow(clippy::cast_possible_truncation)] // whole and below 1e15
        let i = v as i64;
        i.to_string()
    } else {
        v.to_string()
    }
}

impl LocalValueWriter<'_> {
    fn line(self, value: &str) {
        let _ = writeln!(self.out, "  {}: {value}", self.name);
    }
}

impl ValueWriter for LocalValueWriter<'_> {
    fn string(self, value: &str) {
        self.line(value);
    }

    fn metric<'a>(
        self,
        distribution: impl IntoIterator<Item = Observation>,
        unit: Unit,
        dimensions: impl IntoIterator<Item = (&'a str, &'a str)>,
        flags: MetricFlags<'_>,
    ) {
        let obs: Vec<Observation> = distribution.into_iter().collect();
        let Some(&first) = obs.first() else { return };
        let dims: Vec<String> = dimensions
            .into_iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        let samples: u64 = obs.iter().map(Observation::occurrences).sum();
        let is_distribution = flags.has::<Distribution>()
            || obs.len() > 1
            || matches!(first, Observation::Repeated { .. });
        let label = if dims.is_empty() {
            self.name.to_owned()
        } else {
            format!("{} [{}]", self.name, dims.join(", "))
        };
        if is_distribution {
            let _ = writeln!(self.out, "  {label} ({samples} samples):");
            let mut weighted: Vec<(f64, u64)> = obs
                .iter()
                .map(|o| (o.as_f64(), o.occurrences()))
                .filter(|(v, n)| !v.is_nan() && *n > 0)
                .collect();
            weighted.sort_by(|a, b| a.0.total_cmp(&b.0));
            let total: u64 = weighted.iter().map(|w| w.1).sum();
            for p in self.percentiles {
                if let Some(v) = percentile(&weighted, total, p.fraction) {
                    let _ = writeln!(self.out, "    {}: {}", p.label(), human(v, unit));
                }
            }
        } else {
            let text = match first {
                Observation::Unsigned(v) if matches!(unit, Unit::None | Unit::Count) => {
                    v.to_string()
                }
                Observation::Signed(v) if matches!(unit, Unit::None | Unit::Count) => v.to_string(),
                o => human(o.as_f64(), unit),
            };
            if dims.is_empty() {
                self.line(&text);
            } else {
                let _ = writeln!(self.out, "  {label}:\n    {text}");
            }
        }
    }

    fn error(self, error: ValidationError) {
        self.line(&format!("ERROR: {error}"));
    }

    fn values<'v, V: Value + 'v>(self, values: impl IntoIterator<Item = &'v V>) {
        let mut joined = String::from("[");
        let mut first = true;
        for v in values {
            let mut piece = String::new();
            v.write(LocalValueWriter {
                out: &mut piece,
                name: "",
                percentiles: &[],
            });
            // Each element rendered as "  : value\n"; keep the value.
            let text = piece.trim_end().trim_start_matches("  : ").to_owned();
            if text.is_empty() {
                continue;
            }
            if !first {
                joined.push_str(", ");
            }
            first = false;
            joined.push_str(&text);
        }
        joined.push(']');
        self.line(&joined);
    }
}

/// The weighted percentile of sorted `(value, weight)` pairs (nearest rank).
fn percentile(sorted: &[(f64, u64)], total: u64, fraction: f64) -> Option<f64> {
    if total == 0 {
        return None;
    }
    #[allow(
        clippy::cast_precision_loss,
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss
    )]
    let rank = ((fraction * total as f64).ceil() as u64).clamp(1, total);
    let mut seen = 0;
    for &(v, w) in sorted {
        seen += w;
        if seen >= rank {
            return Some(v);
        }
    }
    sorted.last().map(|x| x.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339() {
        let mut s = String::new();
        push_rfc3339(
            &mut s,
            UNIX_EPOCH + std::time::Duration::from_millis(1_752_774_958_378),
        );
        assert_eq!(s, "2025-07-17T17:55:58.378Z");
        s.clear();
        push_rfc3339(&mut s, UNIX_EPOCH);
        assert_eq!(s, "1970-01-01T00:00:00Z");
        s.clear();
        push_rfc3339(
            &mut s,
            UNIX_EPOCH + std::time::Duration::new(951_782_400, 5),
        ); // 2000-02-29
        assert_eq!(s, "2000-02-29T00:00:00.000000005Z");
    }

    #[test]
    fn labels_and_units() {
        assert_eq!(Percentile::new(0.999).label(), "p99.9");
        assert_eq!(Percentile::new(0.5).label(), "p50");
        assert_eq!(Percentile::new(0.0).label(), "min");
        assert_eq!(human(42.3, Unit::Second(NegativeScale::Milli)), "42.300ms");
        assert_eq!(human(1234.0, Unit::Second(NegativeScale::Milli)), "1.234s");
        assert_eq!(human(12.0, Unit::Second(NegativeScale::Micro)), "12.000μs");
        assert_eq!(human(1500.0, Unit::Byte(PositiveScale::One)), "1.50KB");
        assert_eq!(human(12.34, Unit::Percent), "12.3%");
        assert_eq!(human(2.0, Unit::Count), "2");
        assert_eq!(
            human(2.0, Unit::BitPerSecond(PositiveScale::One)),
            "2 Bits/Second"
        );
    }
}
