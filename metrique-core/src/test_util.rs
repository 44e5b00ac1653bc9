//! [`test_metric`]: close a `#[metrics]` value and inspect what it would write (feature
//! `test-util`).

use metrique_writer::test_util::{TestEntry, to_test_entry};

use crate::close::CloseValue;
use crate::inflect::InflectableEntry;
use crate::root::RootEntry;

/// Closes `metric`, roots it as a sink would receive it, and converts it to a [`TestEntry`]
/// whose `values` (string properties) and `metrics` can be asserted on.
///
/// # Panics
/// If a value reports an error while being written (see `to_test_entry`).
pub fn test_metric<M>(metric: M) -> TestEntry
where
    M: CloseValue<Closed: InflectableEntry>,
{
    to_test_entry(&RootEntry::new(metric.close()))
}
