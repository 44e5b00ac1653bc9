//! EMF metric flags: high storage resolution and "no metric".

use crate::value::{FlagConstructor, ForceFlag, MetricFlags, MetricOptions};

/// The option behind [`flags::HighStorageResolution`](super::flags::HighStorageResolution):
/// `"StorageResolution":1` in the metric definition.
#[derive(Debug, Clone, Copy, Default)]
pub struct HighStorageResolutionFlag;
impl MetricOptions for HighStorageResolutionFlag {}

/// The option behind [`flags::NoMetric`](super::flags::NoMetric): the value is written but no
/// metric definition is published. Wins over [`HighStorageResolutionFlag`].
#[derive(Debug, Clone, Copy, Default)]
pub struct NoMetricFlag;
impl MetricOptions for NoMetricFlag {}

/// Constructs the high-storage-resolution flag (`#[metrics(flags(HighStorageResolution))]`).
#[derive(Debug, Clone, Copy, Default)]
pub struct HighStorageResolutionCtor;
impl FlagConstructor for HighStorageResolutionCtor {
    fn construct() -> MetricFlags<'static> {
        MetricFlags::upcast(&HighStorageResolutionFlag)
    }
}

/// Constructs the no-metric flag (`#[metrics(flags(NoMetric))]`).
#[derive(Debug, Clone, Copy, Default)]
pub struct NoMetricCtor;
impl FlagConstructor for NoMetricCtor {
    fn construct() -> MetricFlags<'static> {
        MetricFlags::upcast(&NoMetricFlag)
    }
}

/// A value (or entry) whose metrics are published at high storage resolution.
pub type HighStorageResolution<T> = ForceFlag<T, HighStorageResolutionCtor>;

/// A value (or entry) written as a property only, without metric definitions.
pub type NoMetric<T> = ForceFlag<T, NoMetricCtor>;
