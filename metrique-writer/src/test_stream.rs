//! [`TestSink`]: a cloneable in-memory `io::Write` for format tests.
//!
//! Always available (it has no dependencies and costs nothing unless used). Clones share one
//! buffer, so a test keeps a clone and inspects what a stream wrote:
//!
//! ```
//! use metrique_writer::format::{FormatExt, emf::Emf};
//! use metrique_writer::test_stream::TestSink;
//! use metrique_writer::EntryIoStream;
//!
//! let sink = TestSink::default();
//! let mut stream = Emf::all_validations("Ns".into(), vec![vec![]]).output_to(sink.clone());
//! stream.next(&vec![("Requests", 1u64)]).unwrap();
//! assert!(sink.dump().ends_with("\"Requests\":1}\n"));
//! ```

use std::io;
use std::sync::{Arc, Mutex, PoisonError};

/// A cloneable in-memory writer; clones share the same buffer.
///
/// Also a [`MakeWriter`](tracing_subscriber::fmt::MakeWriter), for
/// [`FormatExt::output_to_makewriter`](crate::FormatExt::output_to_makewriter).
#[derive(Debug, Clone, Default)]
pub struct TestSink {
    buffer: Arc<Mutex<Vec<u8>>>,
}

impl TestSink {
    /// An empty sink.
    pub fn new() -> Self {
        Self::default()
    }

    /// Everything written so far, as (lossy) UTF-8. The buffer is kept.
    pub fn dump(&self) -> String {
        String::from_utf8_lossy(&self.lock()).into_owned()
    }

    /// Everything written so far, as (lossy) UTF-8; empties the buffer.
    pub fn take_string(&self) -> String {
        String::from_utf8_lossy(&std::mem::take(&mut *self.lock())).into_owned()
    }

    /// The lines written so far (without their `\n`). The buffer is kept.
    pub fn lines(&self) -> Vec<String> {
        self.dump().lines().map(str::to_owned).collect()
    }

    /// The raw bytes written so far. The buffer is kept.
    pub fn bytes(&self) -> Vec<u8> {
        self.lock().clone()
    }

    /// Empties the buffer.
    pub fn clear(&self) {
        self.lock().clear();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<u8>> {
        self.buffer.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl io::Write for TestSink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.lock().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.lock().extend_from_slice(buf);
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl<'w> tracing_subscriber::fmt::MakeWriter<'w> for TestSink {
    type Writer = TestSink;

    fn make_writer(&'w self) -> Self::Writer {
        self.clone()
    }
}
