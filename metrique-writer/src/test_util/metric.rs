//! [`Metric`] (a captured metric) and [`TestMap`] (a map that names the keys it has when a
//! lookup misses).

use std::cmp::Ordering;
use std::collections::HashMap;
use std::fmt;
use std::ops::{Deref, DerefMut, Index};

use crate::unit::Unit;
use crate::value::Observation;

/// A `HashMap<String, T>` whose `map["key"]` panics with the list of keys present.
#[derive(Clone, PartialEq)]
pub struct TestMap<T>(HashMap<String, T>);

impl<T> Default for TestMap<T> {
    fn default() -> Self {
        Self(HashMap::new())
    }
}

impl<T: fmt::Debug> fmt::Debug for TestMap<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut entries: Vec<_> = self.0.iter().collect();
        entries.sort_by(|a, b| a.0.cmp(b.0));
        f.debug_map().entries(entries).finish()
    }
}

impl<T> Deref for TestMap<T> {
    type Target = HashMap<String, T>;
    fn deref(&self) -> &HashMap<String, T> {
        &self.0
    }
}

impl<T> DerefMut for TestMap<T> {
    fn deref_mut(&mut self) -> &mut HashMap<String, T> {
        &mut self.0
    }
}

impl<T> From<HashMap<String, T>> for TestMap<T> {
    fn from(map: HashMap<String, T>) -> Self {
        Self(map)
    }
}

impl<T> IntoIterator for TestMap<T> {
    type Item = (String, T);
    type IntoIter = std::collections::hash_map::IntoIter<String, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<T> Index<&str> for TestMap<T> {
    type Output = T;

    /// # Panics
    /// If `key` is missing; the message lists the keys present.
    fn index(&self, key: &str) -> &T {
        match self.0.get(key) {
            Some(v) => v,
            None => {
                let mut keys: Vec<&str> = self.0.keys().map(String::as_str).collect();
                keys.sort_unstable();
                panic!("no key `{key}` in the map; keys present: {keys:?}")
            }
        }
    }
}

/// A captured metric: its observations, unit and per-metric dimensions.
///
/// Compare it with a number directly (`entry.metrics["Latency"] == 12u64`) when it holds one
/// observation.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Metric {
    /// The observations, in write order.
    pub distribution: Vec<Observation>,
    /// The unit.
    pub unit: Unit,
    /// Per-metric dimensions, `(name, value)`.
    pub dimensions: Vec<(String, String)>,
}

impl Metric {
    pub(super) fn new(
        distribution: Vec<Observation>,
        unit: Unit,
        dimensions: Vec<(String, String)>,
    ) -> Self {
        Self {
            distribution,
            unit,
            dimensions,
        }
    }

    /// How many observations the metric holds (a `Repeated` observation counts once).
    pub fn num_observations(&self) -> usize {
        self.distribution.len()
    }

    fn single(&self) -> Observation {
        match self.distribution.as_slice() {
            [Observation::Repeated { .. }] => panic!(
                "metric holds a repeated observation, not a single value: {:?}",
                self.distribution
            ),
            [o] => *o,
            _ => panic!(
                "metric holds {} observations, not one: {:?}",
                self.distribution.len(),
                self.distribution
            ),
        }
    }

    /// The single observation as a `u64`.
    ///
    /// # Panics
    /// If the metric does not hold exactly one non-negative integral observation.
    pub fn as_u64(&self) -> u64 {
        match self.single() {
            Observation::Unsigned(v) => v,
            Observation::Signed(v) if v >= 0 => v.unsigned_abs(),
            Observation::Floating(f) if f >= 0.0 && f.fract() == 0.0 && f <= u64::MAX as f64 => {
                // Checked above: integral and in range.
                #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                let v = f as u64;
                v
            }
            o => panic!("metric is not an unsigned integer: {o:?}"),
        }
    }

    /// The single observation as an `f64`.
    ///
    /// # Panics
    /// If the metric does not hold exactly one (non-repeated) observation.
    pub fn as_f64(&self) -> f64 {
        self.single().as_f64()
    }

    /// The single observation as a `bool` (0 or 1).
    ///
    /// # Panics
    /// If the metric does not hold exactly one observation equal to 0 or 1.
    pub fn as_bool(&self) -> bool {
        match self.single() {
            Observation::Unsigned(0) | Observation::Signed(0) => false,
            Observation::Unsigned(1) | Observation::Signed(1) => true,
            Observation::Floating(0.0) => false,
            Observation::Floating(1.0) => true,
            o => panic!("metric is not a boolean: {o:?}"),
        }
    }

    /// Every sample as an `f64`, sorted (a `Repeated` observation expands into `occurrences`
    /// copies of its mean).
    pub fn flatten_and_sort(&self) -> Vec<f64> {
        let mut out = Vec::new();
        for o in &self.distribution {
            match *o {
                Observation::Repeated { occurrences, .. } => {
                    let mean = o.as_f64();
                    out.extend((0..occurrences).map(|_| mean));
                }
                _ => out.push(o.as_f64()),
            }
        }
        out.sort_by(f64::total_cmp);
        out
    }

    fn single_or_none(&self) -> Option<Observation> {
        match self.distribution.as_slice() {
            [o] if !matches!(o, Observation::Repeated { .. }) => Some(*o),
            _ => None,
        }
    }
}

impl PartialEq<u64> for Metric {
    fn eq(&self, other: &u64) -> bool {
        match self.single_or_none() {
            Some(Observation::Unsigned(v)) => v == *other,
            Some(Observation::Signed(v)) => u64::try_from(v).is_ok_and(|v| v == *other),
            Some(Observation::Floating(f)) => f == *other as f64,
            _ => false,
        }
    }
}

impl PartialEq<i64> for Metric {
    fn eq(&self, other: &i64) -> bool {
        match self.single_or_none() {
            Some(Observation::Unsigned(v)) => i64::try_from(v).is_ok_and(|v| v == *other),
            Some(Observation::Signed(v)) => v == *other,
            Some(Observation::Floating(f)) => f == *other as f64,
            _ => false,
        }
    }
}

impl PartialEq<f64> for Metric {
    fn eq(&self, other: &f64) -> bool {
        self.single_or_none().is_some_and(|o| o.as_f64() == *other)
    }
}

impl PartialEq<bool> for Metric {
    fn eq(&self, other: &bool) -> bool {
        *self == u64::from(*other)
    }
}

impl PartialOrd<u64> for Metric {
    fn partial_cmp(&self, other: &u64) -> Option<Ordering> {
        match self.single_or_none()? {
            Observation::Unsigned(v) => Some(v.cmp(other)),
            o => o.as_f64().partial_cmp(&(*other as f64)),
        }
    }
}

impl PartialOrd<f64> for Metric {
    fn partial_cmp(&self, other: &f64) -> Option<Ordering> {
        self.single_or_none()?.as_f64().partial_cmp(other)
    }
}
