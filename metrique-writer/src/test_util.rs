//! Test utilities (feature `test-util`): capture entries as plain data and assert on them.
//!
//! [`test_entry_sink`] gives a [`BoxEntrySink`] that converts every appended entry into a
//! [`TestEntry`] (string values and metrics, by name) and an [`Inspector`] to read them back.
//!
//! # Examples
//! ```
//! use metrique_writer::test_util::test_entry_sink;
//! use metrique_writer::{EntrySink, Entry, EntryWriter};
//!
//! struct Request { operation: &'static str, latency_ms: u64 }
//! impl Entry for Request {
//!     fn write<'a>(&'a self, w: &mut impl EntryWriter<'a>) {
//!         w.value("Operation", self.operation);
//!         w.value("Latency", &self.latency_ms);
//!     }
//! }
//!
//! let sink = test_entry_sink();
//! sink.sink.append(Request { operation: "Get", latency_ms: 12 });
//! let entry = sink.inspector.get(0);
//! assert_eq!(entry.values["Operation"], "Get");
//! assert_eq!(entry.metrics["Latency"], 12u64);
//! ```

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::SystemTime;

use crate::entry::{BoxEntry, Entry};
use crate::format::Format;
use crate::sink::{BoxEntrySink, EntrySink, FlushWait};

mod collect;
mod metric;

pub use metric::{Metric, TestMap};

/// An entry as plain data.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TestEntry {
    /// The entry's timestamp, if it wrote one.
    pub timestamp: Option<SystemTime>,
    /// String values (properties) by name; lists appear here, comma-joined.
    pub values: TestMap<String>,
    /// Metrics by name.
    pub metrics: TestMap<Metric>,
}

/// Converts `entry` into a [`TestEntry`].
///
/// # Panics
/// If a value reports an error ("metric returned an error: …"), or a name is written twice.
pub fn to_test_entry(entry: &impl Entry) -> TestEntry {
    collect::collect(entry)
}

/// Reads the entries captured by a [`TestEntrySink`]; clones share them.
#[derive(Clone, Default)]
pub struct Inspector {
    entries: Arc<Mutex<Vec<TestEntry>>>,
}

impl fmt::Debug for Inspector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.lock().iter()).finish()
    }
}

impl Inspector {
    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<TestEntry>> {
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Every entry captured so far, in append order.
    pub fn entries(&self) -> Vec<TestEntry> {
        self.lock().clone()
    }

    /// The `i`-th entry captured.
    ///
    /// # Panics
    /// If fewer than `i + 1` entries were captured.
    pub fn get(&self, i: usize) -> TestEntry {
        let entries = self.lock();
        match entries.get(i) {
            Some(e) => e.clone(),
            None => panic!(
                "no entry at index {i}: {} entries were captured",
                entries.len()
            ),
        }
    }
}

/// A sink and the [`Inspector`] reading what it captured; see [`test_entry_sink`].
#[derive(Debug, Clone)]
pub struct TestEntrySink {
    /// Reads the captured entries.
    pub inspector: Inspector,
    /// Append here (or attach it to a global, or pass it to `set_test_sink`).
    pub sink: BoxEntrySink,
}

struct Capture(Inspector);

impl EntrySink<BoxEntry> for Capture {
    fn append(&self, entry: BoxEntry) {
        let converted = to_test_entry(&entry);
        self.0.lock().push(converted);
    }
    fn flush_async(&self) -> FlushWait {
        FlushWait::ready()
    }
}

/// A sink converting every entry into a [`TestEntry`] as it is appended (on the appending
/// thread, so invalid values panic in the test that appended them).
pub fn test_entry_sink() -> TestEntrySink {
    let inspector = Inspector::default();
    TestEntrySink {
        sink: BoxEntrySink::new(Capture(inspector.clone())),
        inspector,
    }
}

/// The rendered output of a [`render_entry_sink`].
pub struct RenderQueue<F> {
    state: Arc<Mutex<(F, Vec<String>)>>,
}

impl<F> Clone for RenderQueue<F> {
    fn clone(&self) -> Self {
        Self {
            state: self.state.clone(),
        }
    }
}

impl<F> fmt::Debug for RenderQueue<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.entries()).finish()
    }
}

impl<F> RenderQueue<F> {
    /// Each entry's formatted output (or the error it produced), in append order.
    pub fn entries(&self) -> Vec<String> {
        self.state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .1
            .clone()
    }
}

impl<F> fmt::Display for RenderQueue<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for e in self.entries() {
            f.write_str(&e)?;
        }
        Ok(())
    }
}

impl<F: Format> EntrySink<BoxEntry> for RenderQueue<F> {
    fn append(&self, entry: BoxEntry) {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let mut out = Vec::new();
        let rendered = match state.0.format(&entry, &mut out) {
            Ok(()) => String::from_utf8_lossy(&out).into_owned(),
            Err(e) => format!("error: {e}\n"),
        };
        state.1.push(rendered);
    }
    fn flush_async(&self) -> FlushWait {
        FlushWait::ready()
    }
}

/// A sink formatting every entry with `format` and keeping the text.
pub fn render_entry_sink<F: Format + Send + 'static>(format: F) -> (RenderQueue<F>, BoxEntrySink) {
    let queue = RenderQueue {
        state: Arc::new(Mutex::new((format, Vec::new()))),
    };
    (queue.clone(), BoxEntrySink::new(queue))
}
