//! What the background queue's writer thread hands the stream: while the queue stays busy, its
//! lines go out in writes of at least 64 KiB, so that a `BufWriter` of up to that capacity
//! passes them straight through rather than copying every byte into its buffer; when the queue
//! runs dry, whatever is gathered is written at once.
#![cfg(all(feature = "background-queue", feature = "json"))]

use std::io;
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use metrique_writer::format::json::Json;
use metrique_writer::sink::BackgroundQueueBuilder;
use metrique_writer::{EntrySink, FormatExt};

/// The size the writer gathers while busy (`WRITE_BYTES` in `sink/background/writer.rs`).
const WRITE_BYTES: usize = 64 * 1024;

/// Records the bytes of every `write` call; the first one waits until the gate opens.
#[derive(Clone, Default)]
struct GatedWriter {
    inner: Arc<Gate>,
}

#[derive(Default)]
struct Gate {
    state: Mutex<GateState>,
    changed: Condvar,
}

#[derive(Default)]
struct GateState {
    open: bool,
    writes: Vec<Vec<u8>>,
}

impl GatedWriter {
    /// Waits until the first write is in and blocked.
    fn wait_for_first_write(&self) {
        let mut s = self.inner.state.lock().unwrap();
        while s.writes.is_empty() {
            s = self.inner.changed.wait(s).unwrap();
        }
    }

    fn open(&self) {
        self.inner.state.lock().unwrap().open = true;
        self.inner.changed.notify_all();
    }

    fn writes(&self) -> Vec<Vec<u8>> {
        self.inner.state.lock().unwrap().writes.clone()
    }
}

impl io::Write for GatedWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut s = self.inner.state.lock().unwrap();
        s.writes.push(buf.to_vec());
        self.inner.changed.notify_all();
        while !s.open {
            s = self.inner.changed.wait(s).unwrap();
        }
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

type Record = Vec<(&'static str, u64)>;

#[test]
fn a_backlog_is_written_in_writes_of_at_least_64_kib() {
    const BACKLOG: u64 = 20_000;
    let out = GatedWriter::default();
    let (queue, handle) = BackgroundQueueBuilder::new()
        .producer_formatting(false)
        .flush_interval(Duration::from_secs(3600))
        .build::<Record>(Json::default().output_to(out.clone()));
    // The first entry finds the queue otherwise empty: written at once, and held at the gate.
    queue.append(vec![("Seq", 0)]);
    out.wait_for_first_write();
    for i in 1..=BACKLOG {
        queue.append(vec![("Seq", i)]);
    }
    out.open();
    drop(handle);

    let writes = out.writes();
    let sizes: Vec<usize> = writes.iter().map(Vec::len).collect();
    let bytes: Vec<u8> = writes.concat();
    let lines: Vec<&str> = std::str::from_utf8(&bytes).unwrap().lines().collect();
    assert_eq!(lines.len() as u64, BACKLOG + 1, "every entry written once");
    for (i, line) in lines.iter().enumerate() {
        let v: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
        assert_eq!(v["metrics"]["Seq"]["value"].as_u64(), Some(i as u64));
    }
    // First the lone entry; then the backlog in large writes; the rest once the queue is dry.
    assert_eq!(lines[0].len() + 1, sizes[0]);
    let middle = &sizes[1..sizes.len() - 1];
    assert!(
        middle.len() >= 10,
        "about 2 MB of lines come in 64 KiB writes: {sizes:?}"
    );
    assert!(
        middle.iter().all(|&n| n >= WRITE_BYTES),
        "writes while busy must be at least {WRITE_BYTES} bytes: {sizes:?}"
    );
    assert!(*sizes.last().unwrap() < WRITE_BYTES + 1024, "{sizes:?}");
    let stats = queue.stats();
    assert_eq!((stats.written, stats.dropped), (BACKLOG + 1, 0));
}
