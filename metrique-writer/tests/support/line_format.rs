//! Test support: a minimal line format, a sample entry, and streams that misbehave on purpose.
#![allow(dead_code)] // each test file uses part of this

use std::borrow::Cow;
use std::io;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use metrique_writer::{
    Entry, EntryConfig, EntryIoStream, EntryWriter, Format, IoStreamError, MetricFlags,
    Observation, Unit, ValidationError, Value, ValueWriter,
};

/// `name=value name=value\n`; metrics as comma-separated observations.
#[derive(Debug, Default, Clone, Copy)]
pub struct LineFormat;

impl Format for LineFormat {
    fn format(
        &mut self,
        entry: &impl Entry,
        output: &mut impl io::Write,
    ) -> Result<(), IoStreamError> {
        let mut w = LineWriter {
            line: String::new(),
            error: None,
        };
        entry.write(&mut w);
        if let Some(e) = w.error {
            return Err(IoStreamError::Validation(e));
        }
        w.line.push('\n');
        output.write_all(w.line.as_bytes())?;
        Ok(())
    }
}

struct LineWriter {
    line: String,
    error: Option<ValidationError>,
}

impl<'a> EntryWriter<'a> for LineWriter {
    fn timestamp(&mut self, _timestamp: SystemTime) {}
    fn value(&mut self, name: impl Into<Cow<'a, str>>, value: &(impl Value + ?Sized)) {
        if !self.line.is_empty() {
            self.line.push(' ');
        }
        self.line.push_str(&name.into());
        self.line.push('=');
        value.write(LineValue(self));
    }
    fn config(&mut self, _config: &'a dyn EntryConfig) {}
}

struct LineValue<'w>(&'w mut LineWriter);

impl ValueWriter for LineValue<'_> {
    fn string(self, value: &str) {
        self.0.line.push_str(value);
    }
    fn metric<'a>(
        self,
        distribution: impl IntoIterator<Item = Observation>,
        _unit: Unit,
        _dimensions: impl IntoIterator<Item = (&'a str, &'a str)>,
        _flags: MetricFlags<'_>,
    ) {
        for (i, o) in distribution.into_iter().enumerate() {
            if i > 0 {
                self.0.line.push(',');
            }
            self.0.line.push_str(&o.as_f64().to_string());
        }
    }
    fn error(self, error: ValidationError) {
        self.0.error = Some(error);
    }
}

/// The sample entry: `Id=<id> Thread=<thread> Operation=Get`.
#[derive(Debug, Clone, PartialEq)]
pub struct Req {
    pub id: u64,
    pub thread: u64,
}

impl Entry for Req {
    fn write<'a>(&'a self, w: &mut impl EntryWriter<'a>) {
        w.value("Id", &self.id);
        w.value("Thread", &self.thread);
        w.value("Operation", "Get");
    }
}

/// An entry whose value is invalid.
#[derive(Debug, Clone)]
pub struct Invalid;

struct Bad;
impl Value for Bad {
    fn write(&self, writer: impl ValueWriter) {
        writer.invalid("bad value");
    }
}

impl Entry for Invalid {
    fn write<'a>(&'a self, w: &mut impl EntryWriter<'a>) {
        w.value("Bad", &Bad);
    }
}

/// A cloneable in-memory `io::Write`.
#[derive(Debug, Clone, Default)]
pub struct SharedBuf(pub Arc<Mutex<Vec<u8>>>);

impl SharedBuf {
    pub fn lines(&self) -> Vec<String> {
        String::from_utf8(self.0.lock().unwrap().clone())
            .unwrap()
            .lines()
            .map(str::to_owned)
            .collect()
    }
}

impl io::Write for SharedBuf {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Extracts the `Id` of a line written by [`LineFormat`] for [`Req`].
pub fn id_of(line: &str) -> u64 {
    let v = line
        .split(' ')
        .find_map(|kv| kv.strip_prefix("Id="))
        .unwrap_or_else(|| panic!("no Id in {line:?}"));
    v.parse::<f64>().unwrap() as u64
}

/// A stream that fails (I/O error) for the first `fail_first` entries, then writes through
/// `inner`; also counts flushes.
pub struct FlakyStream<S> {
    pub inner: S,
    pub fail_first: u64,
    pub seen: u64,
    pub flushes: Arc<AtomicU64>,
}

impl<S: EntryIoStream> EntryIoStream for FlakyStream<S> {
    fn next(&mut self, entry: &impl Entry) -> Result<(), IoStreamError> {
        self.seen += 1;
        if self.seen <= self.fail_first {
            return Err(IoStreamError::Io(io::Error::other("disk unplugged")));
        }
        self.inner.next(entry)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.flushes.fetch_add(1, Ordering::SeqCst);
        self.inner.flush()
    }
}

/// Holds the writer thread inside `next` until opened.
#[derive(Debug, Default)]
pub struct Gate {
    state: Mutex<(u64, bool)>,
    cv: std::sync::Condvar,
}

impl Gate {
    /// Waits until the writer has entered `next` `n` times in total.
    pub fn wait_entered(&self, n: u64) {
        let mut s = self.state.lock().unwrap();
        while s.0 < n {
            s = self.cv.wait(s).unwrap();
        }
    }
    pub fn open(&self) {
        self.state.lock().unwrap().1 = true;
        self.cv.notify_all();
    }
}

pub struct GateStream<S> {
    pub inner: S,
    pub gate: Arc<Gate>,
}

impl<S: EntryIoStream> EntryIoStream for GateStream<S> {
    fn next(&mut self, entry: &impl Entry) -> Result<(), IoStreamError> {
        {
            let mut s = self.gate.state.lock().unwrap();
            s.0 += 1;
            self.gate.cv.notify_all();
            while !s.1 {
                s = self.gate.cv.wait(s).unwrap();
            }
        }
        self.inner.next(entry)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// `LineFormat` into a [`SharedBuf`].
pub type SharedBufStream = metrique_writer::format::FormattedEntryIoStream<LineFormat, SharedBuf>;

/// Sleeps 100 µs every `every` entries.
pub struct SlowStream<S> {
    pub inner: S,
    pub every: u64,
}

impl<S: EntryIoStream> EntryIoStream for SlowStream<S> {
    fn next(&mut self, entry: &impl Entry) -> Result<(), IoStreamError> {
        static N: AtomicU64 = AtomicU64::new(0);
        if N.fetch_add(1, Ordering::Relaxed).is_multiple_of(self.every) {
            std::thread::sleep(std::time::Duration::from_micros(100));
        }
        self.inner.next(entry)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// A fresh [`SharedBufStream`].
pub fn buf_stream() -> SharedBufStream {
    use metrique_writer::FormatExt;
    LineFormat.output_to(SharedBuf::default())
}
