//! The CloudWatch EMF limits this format enforces, and how.
//!
//! metrique 0.1.33 writes entries that break these limits unchanged, and CloudWatch then
//! rejects the metrics (the log event is kept, the metrics are lost). This format never writes
//! such a line: it splits what can be split and reports the rest as a
//! [`ValidationError`](crate::ValidationError), in which case nothing is written.
//!
//! | Limit | Value | Source | What happens |
//! |---|---|---|---|
//! | Metric definitions per directive | [`MAX_METRICS_PER_DIRECTIVE`] = 100 | EMF specification; `MAX_METRICS_PER_EVENT = 100` in the official Node and Python clients | the entry is written as several lines, each with at most 100 definitions and all properties (so each line is routable) |
//! | Values per metric | [`MAX_VALUES_PER_METRIC`] = 100 | EMF specification ("numeric array metric targets MUST NOT have more than 100 members"); `MAX_VALUES_PER_METRIC = 100` in the clients | equal values are folded into one `Values`/`Counts` pair; if more than 100 distinct values remain, the metric continues on further lines, 100 values each |
//! | Dimension keys per dimension set | [`MAX_DIMENSIONS_PER_SET`] = 30 | EMF specification (raised from 9 to 30 in 2022; Node client v3.0.0, Python client v2.0.0) | validation error naming the set |
//! | Size of one log event | [`DEFAULT_MAX_LINE_BYTES`] = 256 KiB, configurable with [`EmfBuilder::max_line_bytes`](super::EmfBuilder::max_line_bytes) | the current specification says 1 MB (the CloudWatch Logs event limit, [`CLOUDWATCH_MAX_EVENT_BYTES`]); older copies of the specification and the CloudWatch agent / FireLens paths use 256 KB | metrics that do not fit are moved to further lines; if the properties alone, or one metric, do not fit, validation error naming the largest field |
//!
//! The default cap is the portable 256 KiB rather than 1 MB: a line that fits 256 KiB is
//! accepted by every ingestion path (Lambda stdout, the CloudWatch agent over TCP/UDP, Fluent
//! Bit, `PutLogEvents`), and a wide event that large is almost always a bug (an unbounded list
//! property). Raise it with [`EmfBuilder::max_line_bytes`](super::EmfBuilder::max_line_bytes)
//! when you write straight to `PutLogEvents`.

/// Metric definitions per directive (and so per line).
pub const MAX_METRICS_PER_DIRECTIVE: usize = 100;

/// Values (entries of `Values`/`Counts`) per metric per line.
pub const MAX_VALUES_PER_METRIC: usize = 100;

/// Dimension keys per dimension set.
pub const MAX_DIMENSIONS_PER_SET: usize = 30;

/// Default line size cap, in bytes (without the newline).
pub const DEFAULT_MAX_LINE_BYTES: usize = 256 * 1024;

/// The CloudWatch Logs limit for one event: 1 MiB minus the 26 bytes of per-event overhead.
pub const CLOUDWATCH_MAX_EVENT_BYTES: usize = 1024 * 1024 - 26;

/// The message for a dimension set over [`MAX_DIMENSIONS_PER_SET`].
pub(super) fn dimension_set_error<'k>(keys: impl Iterator<Item = &'k str>, count: usize) -> String {
    let keys: Vec<&str> = keys.collect();
    format!(
        "dimension set [{}] has {count} dimensions; CloudWatch allows at most {MAX_DIMENSIONS_PER_SET} per set",
        keys.join(", ")
    )
}

/// The message for a line over the size cap.
pub(super) fn line_too_large_error(
    line: usize,
    cap: usize,
    field: &str,
    field_len: usize,
) -> String {
    format!(
        "EMF line of {line} bytes exceeds the cap of {cap} bytes; the largest field is `{field}` ({field_len} bytes)"
    )
}
