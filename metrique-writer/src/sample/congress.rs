//! [`CongressSample`]: congressional sampling, a fixed budget of entries per interval shared
//! fairly between sample groups.
//!
//! Each entry belongs to the group named by its sorted [`Entry::sample_group`] pairs (e.g.
//! `Operation=Get,Status=200`). Every interval (15 s by default) the sampler updates each
//! group's moving average of entries per interval (window 16; a group is forgotten after 8
//! empty intervals) and, if the total exceeds the target, gives each group a "congress size":
//! its proportional share, but never less than the equal share (or its whole traffic, if
//! smaller). Sizes are scaled to the target, and each group's rate is `size / average`. Rare
//! groups are therefore kept in full while frequent ones are thinned, and every kept entry is
//! weighted by the inverse of its rate, so statistics stay unbiased. New groups start at rate 1.
//!
//! Intervals are measured on [`Instant::now`] when formatting through [`Format::format`]; tests and
//! replays can drive the clock themselves with [`CongressSample::format_at`], and make the keep/drop
//! decisions reproducible with [`CongressSampleBuilder::build_with_rng`].

use std::collections::HashMap;
use std::hash::{BuildHasher, Hasher};
use std::io;
use std::time::{Duration, Instant};

use rand::rngs::SmallRng;
use rand::{Rng, RngCore, SeedableRng};

use super::{SampleGroupElement, SampledFormat};
use crate::entry::Entry;
use crate::format::Format;
use crate::stream::IoStreamError;

const WINDOW: f64 = 16.0;
const FORGET_AFTER_EMPTY: u32 = 8;

/// Builds a [`CongressSample`].
#[derive(Debug, Clone)]
#[must_use]
pub struct CongressSampleBuilder {
    interval: Duration,
    target_per_interval: u64,
    validate_groups: bool,
}

impl Default for CongressSampleBuilder {
    fn default() -> Self {
        Self {
            interval: Duration::from_secs(15),
            target_per_interval: 1500,
            validate_groups: cfg!(debug_assertions),
        }
    }
}

impl CongressSampleBuilder {
    /// How often rates are recomputed (default 15 s).
    pub fn sample_interval(mut self, interval: Duration) -> Self {
        self.interval = interval;
        self
    }

    /// Same as [`sample_interval`](Self::sample_interval) (upstream's name).
    pub fn interval(self, interval: Duration) -> Self {
        self.sample_interval(interval)
    }

    /// Entries to keep per interval, over all groups (default 1 500).
    pub fn target_entries_per_sample_interval(mut self, target: u64) -> Self {
        self.target_per_interval = target;
        self
    }

    /// Same as [`target_entries_per_sample_interval`](Self::target_entries_per_sample_interval)
    /// (upstream's name).
    pub fn target_entries_per_interval(self, target: u64) -> Self {
        self.target_entries_per_sample_interval(target)
    }

    /// Panic on sample groups with duplicate keys (default: in debug builds).
    pub fn validate_groups(mut self, validate: bool) -> Self {
        self.validate_groups = validate;
        self
    }

    /// Wraps `format`, with a randomly seeded RNG for the keep/drop decisions.
    pub fn build<F>(self, format: F) -> CongressSample<F> {
        self.build_with_rng(format, SmallRng::seed_from_u64(super::random_seed()))
    }

    /// Wraps `format`, drawing the keep/drop decisions from `rng` (seed it for reproducible
    /// sampling; the multiplicities of a [`SampledEmf`](crate::format::emf::SampledEmf) come
    /// from its own RNG, see `Emf::with_sampling_and_rng`).
    pub fn build_with_rng<F, R>(self, format: F, rng: R) -> CongressSample<F, R> {
        CongressSample {
            format,
            config: self,
            groups: HashMap::new(),
            key: Vec::new(),
            interval_start: None,
            rng,
        }
    }
}

#[derive(Debug, Clone)]
struct Group {
    count: u64,
    average: Option<f64>,
    empty_intervals: u32,
    rate: f32,
}

/// The congressional sampler (see the [`sample`](crate::sample) module docs).
#[derive(Debug, Clone)]
pub struct CongressSample<F, R = SmallRng> {
    format: F,
    config: CongressSampleBuilder,
    /// Groups by the hash of their sorted key (colliding groups share statistics).
    groups: HashMap<u64, Group>,
    key: Vec<SampleGroupElement>,
    interval_start: Option<Instant>,
    rng: R,
}

impl<F, R> CongressSample<F, R> {
    /// The wrapped format.
    pub fn format_mut(&mut self) -> &mut F {
        &mut self.format
    }

    /// The current rate of the group of `entry` (1 for unknown groups).
    pub fn rate_of(&mut self, entry: &impl Entry) -> f32 {
        let key = self.group_key(entry);
        self.groups.get(&key).map_or(1.0, |g| g.rate)
    }

    fn group_key(&mut self, entry: &impl Entry) -> u64 {
        self.key.clear();
        self.key.extend(entry.sample_group());
        self.key.sort_unstable();
        if self.config.validate_groups {
            for w in self.key.windows(2) {
                assert!(w[0].0 != w[1].0, "duplicate sample group key `{}`", w[0].0);
            }
        }
        let mut h = std::collections::hash_map::DefaultHasher::new();
        for (k, v) in &self.key {
            h.write(k.as_bytes());
            h.write_u8(0xff);
            h.write(v.as_bytes());
            h.write_u8(0xfe);
        }
        h.finish()
    }

    /// Closes the interval: updates averages and rates.
    fn roll(&mut self) {
        let target = self.config.target_per_interval as f64;
        self.groups.retain(|_, g| {
            let c = g.count as f64;
            g.average = Some(match g.average {
                None => c,
                Some(a) => a + (c - a) / WINDOW,
            });
            g.empty_intervals = if g.count == 0 {
                g.empty_intervals + 1
            } else {
                0
            };
            g.count = 0;
            g.empty_intervals < FORGET_AFTER_EMPTY
        });
        let total: f64 = self.groups.values().filter_map(|g| g.average).sum();
        if total <= target || self.groups.is_empty() {
            self.groups.values_mut().for_each(|g| g.rate = 1.0);
            return;
        }
        let flat = target / total;
        let equal = target / self.groups.len() as f64;
        let size = |a: f64| {
            let proportional = flat * a;
            if proportional < equal {
                a.min(equal)
            } else {
                proportional
            }
        };
        let sizes: f64 = self
            .groups
            .values()
            .map(|g| size(g.average.unwrap_or(0.0)))
            .sum();
        let scale = if sizes > 0.0 { target / sizes } else { 1.0 };
        for g in self.groups.values_mut() {
            let a = g.average.unwrap_or(0.0);
            #[allow(clippy::cast_possible_truncation)] // a rate in (0, 1]
            let rate = if a > 0.0 {
                (size(a) * scale / a).min(1.0) as f32
            } else {
                1.0
            };
            g.rate = rate.max(f32::MIN_POSITIVE);
        }
    }

    /// [`Format::format`] as if the current time were `now`: the sampling interval is measured
    /// on the instants passed here rather than on [`Instant::now`], so tests and replays of
    /// recorded traffic can drive the interval logic deterministically. Instants must not go
    /// backwards (an earlier instant counts as part of the current interval).
    ///
    /// ```
    /// use std::time::{Duration, Instant};
    /// use metrique_writer::format::emf::Emf;
    /// use metrique_writer::sample::CongressSampleBuilder;
    /// use rand::{SeedableRng, rngs::SmallRng};
    ///
    /// let emf = Emf::all_validations("Ns".into(), vec![vec![]]).with_sampling();
    /// let mut sampler = CongressSampleBuilder::default()
    ///     .target_entries_per_sample_interval(10)
    ///     .build_with_rng(emf, SmallRng::seed_from_u64(1));
    /// let (t0, mut out) = (Instant::now(), Vec::new());
    /// for second in 0..60 {
    ///     let now = t0 + Duration::from_secs(second);
    ///     for _ in 0..100 {
    ///         sampler.format_at(&vec![("Latency", 5u64)], &mut out, now).unwrap();
    ///     }
    /// }
    /// // 1 500 entries kept in the first interval (all rates start at 1), then ~10 per interval.
    /// let lines = out.split(|&b| b == b'\n').filter(|l| !l.is_empty()).count();
    /// assert!(lines > 1_500 && lines < 1_600, "{lines}");
    /// ```
    ///
    /// # Errors
    /// As [`Format::format`].
    pub fn format_at<E: Entry>(
        &mut self,
        entry: &E,
        output: &mut impl io::Write,
        now: Instant,
    ) -> Result<(), IoStreamError>
    where
        F: SampledFormat,
        R: RngCore,
    {
        let start = *self.interval_start.get_or_insert(now);
        if now.duration_since(start) >= self.config.interval {
            self.roll();
            self.interval_start = Some(now);
        }
        let key = self.group_key(entry);
        let group = self.groups.entry(key).or_insert(Group {
            count: 0,
            average: None,
            empty_intervals: 0,
            rate: 1.0,
        });
        group.count += 1;
        let rate = group.rate;
        if rate >= 1.0 || self.rng.random::<f32>() < rate {
            self.format.format_with_sample_rate(entry, output, rate)
        } else {
            Ok(())
        }
    }
}

impl<F: SampledFormat, R: RngCore> Format for CongressSample<F, R> {
    fn format(
        &mut self,
        entry: &impl Entry,
        output: &mut impl io::Write,
    ) -> Result<(), IoStreamError> {
        self.format_at(entry, output, Instant::now())
    }
}

/// A seed from the OS-randomized std hasher keys (no extra `rand` feature needed).
pub(super) fn random_seed() -> u64 {
    std::collections::hash_map::RandomState::new()
        .build_hasher()
        .finish()
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use super::*;
    use crate::entry::EntryWriter;

    struct Op(&'static str);
    impl Entry for Op {
        fn write<'a>(&'a self, w: &mut impl EntryWriter<'a>) {
            w.value("Operation", self.0);
        }
        fn sample_group(&self) -> impl Iterator<Item = SampleGroupElement> {
            std::iter::once((Cow::Borrowed("Operation"), Cow::Borrowed(self.0)))
        }
    }

    /// Counts kept entries and their total weight.
    #[derive(Default)]
    struct Counter {
        kept: HashMap<&'static str, (u64, f64)>,
        last: &'static str,
    }
    impl Format for Counter {
        fn format(&mut self, _: &impl Entry, _: &mut impl io::Write) -> Result<(), IoStreamError> {
            Ok(())
        }
    }
    impl SampledFormat for Counter {
        fn format_with_sample_rate(
            &mut self,
            _: &impl Entry,
            _: &mut impl io::Write,
            rate: f32,
        ) -> Result<(), IoStreamError> {
            let k = self.kept.entry(self.last).or_default();
            k.0 += 1;
            k.1 += 1.0 / f64::from(rate);
            Ok(())
        }
    }

    #[test]
    fn rare_groups_are_kept_and_frequent_ones_thinned_without_bias() {
        let mut s = CongressSampleBuilder::default()
            .target_entries_per_sample_interval(100)
            .build(Counter::default());
        let t0 = Instant::now();
        let mut out = Vec::new();
        // 20 intervals: 10 000 "hot" and 10 "rare" entries per interval.
        for interval in 0..20u32 {
            let now = t0 + Duration::from_secs(15) * interval;
            for i in 0..10_010 {
                let op = if i % 1001 == 0 { "rare" } else { "hot" };
                s.format.last = op;
                s.format_at(&Op(op), &mut out, now).unwrap();
            }
        }
        // The rare group keeps its whole traffic as its size (scaled to the target with the
        // others), the hot group its proportional share.
        assert!(
            s.rate_of(&Op("rare")) > 0.85,
            "rare rate {}",
            s.rate_of(&Op("rare"))
        );
        let hot_rate = s.rate_of(&Op("hot"));
        assert!(hot_rate < 0.02, "hot rate {hot_rate}");
        // Weighted counts estimate the true counts (the first interval is kept in full).
        let (_, hot_weight) = s.format.kept["hot"];
        let truth = 10_000.0 * 20.0;
        assert!(
            (hot_weight - truth).abs() / truth < 0.1,
            "{hot_weight} vs {truth}"
        );
        let (_, rare_weight) = s.format.kept["rare"];
        assert!((rare_weight - 200.0).abs() / 200.0 < 0.2, "{rare_weight}");
    }

    #[test]
    #[should_panic(expected = "duplicate sample group key")]
    fn duplicate_keys_panic_when_validating() {
        struct Dup;
        impl Entry for Dup {
            fn write<'a>(&'a self, _: &mut impl EntryWriter<'a>) {}
            fn sample_group(&self) -> impl Iterator<Item = SampleGroupElement> {
                [
                    (Cow::Borrowed("A"), Cow::Borrowed("1")),
                    (Cow::Borrowed("A"), Cow::Borrowed("2")),
                ]
                .into_iter()
            }
        }
        let mut s = CongressSampleBuilder::default()
            .validate_groups(true)
            .build(Counter::default());
        let _ = s.format(&Dup, &mut Vec::new());
    }
}
