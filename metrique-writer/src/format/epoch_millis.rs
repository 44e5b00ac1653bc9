//! An entry's timestamp as milliseconds since the Unix epoch, the last millisecond cached.
//!
//! Entries written back to back mostly fall in the same millisecond. Converting a `SystemTime`
//! goes through `duration_since(UNIX_EPOCH)` (about 90 instructions); two comparisons against
//! the last millisecond's bounds answer instead.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The converter (see the module docs). Times before the epoch are 0; times whose millisecond
/// count does not fit in a `u64` are `u64::MAX`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct EpochMillis {
    /// The cached millisecond is `[lo, hi)`; empty (`lo == hi`) when nothing is cached.
    lo: SystemTime,
    hi: SystemTime,
    millis: u64,
}

impl Default for EpochMillis {
    fn default() -> Self {
        Self {
            lo: UNIX_EPOCH,
            hi: UNIX_EPOCH,
            millis: 0,
        }
    }
}

impl EpochMillis {
    /// Whole milliseconds from the epoch to `t`.
    #[inline]
    pub(crate) fn of(&mut self, t: SystemTime) -> u64 {
        if self.lo <= t && t < self.hi {
            return self.millis;
        }
        self.convert(t)
    }

    #[cold]
    fn convert(&mut self, t: SystemTime) -> u64 {
        let Ok(d) = t.duration_since(UNIX_EPOCH) else {
            return 0;
        };
        let Some(millis) = d
            .as_secs()
            .checked_mul(1000)
            .and_then(|ms| ms.checked_add(u64::from(d.subsec_millis())))
        else {
            return u64::MAX;
        };
        let lo = UNIX_EPOCH.checked_add(Duration::from_millis(millis));
        if let Some((lo, hi)) = lo.zip(lo.and_then(|lo| lo.checked_add(Duration::from_millis(1)))) {
            *self = Self { lo, hi, millis };
        }
        millis
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn direct(t: SystemTime) -> u64 {
        t.duration_since(UNIX_EPOCH).map_or(0, |d| {
            d.as_secs()
                .saturating_mul(1000)
                .saturating_add(u64::from(d.subsec_millis()))
        })
    }

    #[test]
    fn agrees_with_the_direct_conversion_around_millisecond_edges() {
        let mut c = EpochMillis::default();
        let base = UNIX_EPOCH + Duration::from_millis(1_763_784_000_123);
        let mut times = vec![UNIX_EPOCH, base, SystemTime::now()];
        for ns in [
            0, 1, 999_999, 1_000_000, 1_000_001, 1_999_999, 2_000_000, 5_500_000,
        ] {
            times.push(base + Duration::from_nanos(ns));
            times.push(base - Duration::from_nanos(ns));
        }
        // Back and forth across the same edges, so both cache hits and misses are checked;
        // first each bound of a cached millisecond right after it was cached.
        let ms = Duration::from_millis(1);
        let mut all = vec![base, base + ms, base, base - Duration::from_nanos(1)];
        all.extend(&times);
        all.extend(times.iter().rev());
        all.extend(times.iter().step_by(2));
        if let Some(before) = UNIX_EPOCH.checked_sub(Duration::from_millis(1)) {
            all.extend([before, UNIX_EPOCH, before]);
        }
        for t in all {
            assert_eq!(c.of(t), direct(t), "{t:?}");
        }
    }

    #[test]
    fn out_of_range_times_saturate_without_caching() {
        let mut c = EpochMillis::default();
        let far = UNIX_EPOCH.checked_add(Duration::from_secs(u64::MAX / 100));
        if let Some(far) = far {
            assert_eq!(c.of(far), u64::MAX);
            assert_eq!(c.of(far), u64::MAX);
        }
        assert_eq!(c.of(UNIX_EPOCH + Duration::from_nanos(999_999)), 0);
    }
}
