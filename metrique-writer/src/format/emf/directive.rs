//! [`MetricDirective`] and [`MetricDefinition`]: EMF schema objects for custom directives
//! ([`EmfBuilder::directive`](super::EmfBuilder::directive)).

use crate::format::json_encode::push_string;
use crate::unit::Unit;

/// A `CloudWatchMetrics` directive appended verbatim to every line.
///
/// ```
/// use metrique_writer::format::emf::{Emf, MetricDefinition, MetricDirective};
/// let emf = Emf::builder("Ns".into(), vec![vec![]])
///     .directive(MetricDirective {
///         namespace: "Ns".into(),
///         dimensions: vec![vec!["Operation".into()]],
///         metrics: vec![MetricDefinition::new("Latency")],
///     })
///     .build();
/// # let _ = emf;
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MetricDirective {
    /// The CloudWatch namespace.
    pub namespace: String,
    /// Dimension sets (each a list of dimension keys).
    pub dimensions: Vec<Vec<String>>,
    /// The metrics published by this directive.
    pub metrics: Vec<MetricDefinition>,
}

/// One metric of a [`MetricDirective`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MetricDefinition {
    /// The field holding the metric's value.
    pub name: String,
    /// Its unit ([`Unit::None`] is omitted).
    pub unit: Unit,
    /// Its storage resolution ([`StorageResolution::Minute`] is omitted).
    pub storage_resolution: StorageResolution,
}

impl MetricDefinition {
    /// A definition with no unit and standard resolution.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            unit: Unit::None,
            storage_resolution: StorageResolution::Minute,
        }
    }
}

/// EMF `StorageResolution`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum StorageResolution {
    /// High resolution: 1 second (`"StorageResolution":1`).
    Second = 1,
    /// Standard resolution: 60 seconds (the default; not written).
    #[default]
    Minute = 60,
}

impl MetricDirective {
    pub(super) fn write_json(&self, buf: &mut Vec<u8>) {
        buf.extend_from_slice(b"{\"Namespace\":");
        push_string(buf, &self.namespace);
        buf.extend_from_slice(b",\"Dimensions\":[");
        for (i, set) in self.dimensions.iter().enumerate() {
            if i > 0 {
                buf.push(b',');
            }
            buf.push(b'[');
            for (j, k) in set.iter().enumerate() {
                if j > 0 {
                    buf.push(b',');
                }
                push_string(buf, k);
            }
            buf.push(b']');
        }
        buf.extend_from_slice(b"],\"Metrics\":[");
        for (i, m) in self.metrics.iter().enumerate() {
            if i > 0 {
                buf.push(b',');
            }
            m.write_json(buf);
        }
        buf.extend_from_slice(b"]}");
    }
}

impl MetricDefinition {
    fn write_json(&self, buf: &mut Vec<u8>) {
        buf.extend_from_slice(b"{\"Name\":");
        push_string(buf, &self.name);
        if self.unit != Unit::None {
            buf.extend_from_slice(b",\"Unit\":");
            push_string(buf, self.unit.name());
        }
        if self.storage_resolution == StorageResolution::Second {
            buf.extend_from_slice(b",\"StorageResolution\":1");
        }
        buf.push(b'}');
    }
}
