//! A data-driven test entry: any mix of timestamps, configs and values, written in order.
#![allow(dead_code)] // each test file uses a different subset

use std::borrow::Cow;
use std::time::{Duration, SystemTime};

use metrique_writer::config::{AllowSplitEntries, AllowUnroutableEntries, EntryDimensions};
use metrique_writer::value::{DistributionFlag as Distribution, FlagConstructor, MetricFlags};
use metrique_writer::{Entry, EntryWriter, Observation, Unit, Value, ValueWriter};

#[cfg(feature = "emf")]
use metrique_writer::format::emf::{HighStorageResolutionCtor, NoMetricCtor};

/// Flags of a metric.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flags {
    None,
    HighRes,
    NoMetric,
    Distribution,
    HighResAndNoMetric,
}

impl Flags {
    pub fn get(self) -> MetricFlags<'static> {
        match self {
            Flags::None => MetricFlags::empty(),
            #[cfg(feature = "emf")]
            Flags::HighRes => HighStorageResolutionCtor::construct(),
            #[cfg(feature = "emf")]
            Flags::NoMetric => NoMetricCtor::construct(),
            #[cfg(feature = "emf")]
            Flags::HighResAndNoMetric => {
                HighStorageResolutionCtor::construct().try_merge(NoMetricCtor::construct())
            }
            Flags::Distribution => Distribution::construct(),
            #[allow(unreachable_patterns)]
            _ => MetricFlags::empty(),
        }
    }
}

/// A value of any shape.
#[derive(Debug, Clone)]
pub enum V {
    Str(String),
    U(u64),
    I(i64),
    F(f64),
    Bool(bool),
    Dur(Duration),
    Metric {
        obs: Vec<Observation>,
        unit: Unit,
        dims: Vec<(String, String)>,
        flags: Flags,
    },
    ListU(Vec<u64>),
    ListS(Vec<String>),
    ListF(Vec<Option<f64>>),
    Err(String),
    Nothing,
}

impl V {
    pub fn obs(obs: impl IntoIterator<Item = Observation>) -> Self {
        V::Metric {
            obs: obs.into_iter().collect(),
            unit: Unit::None,
            dims: vec![],
            flags: Flags::None,
        }
    }
    pub fn unit(v: u64, unit: Unit) -> Self {
        V::Metric {
            obs: vec![Observation::Unsigned(v)],
            unit,
            dims: vec![],
            flags: Flags::None,
        }
    }
    pub fn flagged(v: u64, flags: Flags) -> Self {
        V::Metric {
            obs: vec![Observation::Unsigned(v)],
            unit: Unit::None,
            dims: vec![],
            flags,
        }
    }
    pub fn dims(v: u64, dims: &[(&str, &str)]) -> Self {
        V::Metric {
            obs: vec![Observation::Unsigned(v)],
            unit: Unit::None,
            dims: dims
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            flags: Flags::None,
        }
    }
}

impl Value for V {
    fn write(&self, w: impl ValueWriter) {
        match self {
            V::Str(s) => w.string(s),
            V::U(v) => v.write(w),
            V::I(v) => v.write(w),
            V::F(v) => v.write(w),
            V::Bool(v) => v.write(w),
            V::Dur(v) => v.write(w),
            V::Metric {
                obs,
                unit,
                dims,
                flags,
            } => w.metric(
                obs.iter().copied(),
                *unit,
                dims.iter().map(|(k, v)| (k.as_str(), v.as_str())),
                flags.get(),
            ),
            V::ListU(l) => w.values(l),
            V::ListS(l) => w.values(l),
            V::ListF(l) => w.values(l),
            V::Err(e) => w.invalid(e.clone()),
            V::Nothing => {}
        }
    }
}

/// A config hint.
#[derive(Debug, Clone)]
pub enum Cfg {
    Split,
    Unroutable,
    Dims(EntryDimensions),
}

impl Cfg {
    pub fn dims(sets: &[&[&str]]) -> Self {
        let sets: Vec<Cow<'static, [Cow<'static, str>]>> = sets
            .iter()
            .map(|s| Cow::Owned(s.iter().map(|k| Cow::Owned(k.to_string())).collect()))
            .collect();
        Cfg::Dims(EntryDimensions::new(Cow::Owned(sets)))
    }
}

/// Timestamps, then configs, then fields, written in order.
#[derive(Debug, Clone, Default)]
pub struct TestEntry {
    pub timestamps: Vec<SystemTime>,
    pub configs: Vec<Cfg>,
    pub fields: Vec<(String, V)>,
}

pub const TS: u64 = 1_752_774_958_378;

pub fn ts() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_millis(TS)
}

impl TestEntry {
    /// An entry with the fixed timestamp [`TS`].
    pub fn new() -> Self {
        Self {
            timestamps: vec![ts()],
            ..Self::default()
        }
    }
    pub fn field(mut self, name: &str, v: V) -> Self {
        self.fields.push((name.to_string(), v));
        self
    }
    pub fn config(mut self, c: Cfg) -> Self {
        self.configs.push(c);
        self
    }
}

impl Entry for TestEntry {
    fn write<'a>(&'a self, w: &mut impl EntryWriter<'a>) {
        for t in &self.timestamps {
            w.timestamp(*t);
        }
        for c in &self.configs {
            match c {
                Cfg::Split => w.config(&AllowSplitEntries),
                Cfg::Unroutable => w.config(&AllowUnroutableEntries),
                Cfg::Dims(d) => w.config(d),
            }
        }
        for (name, v) in &self.fields {
            w.value(name.as_str(), v);
        }
    }
}
