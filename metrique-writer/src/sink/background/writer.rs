//! The writer thread: drains the queue in batches into the stream, flushes on a deadline and
//! when idle, answers flush requests, reports to the observer, and drains on shutdown.

use std::io;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{Ordering, fence};
use std::sync::{Arc, PoisonError};
use std::time::{Duration, Instant};

use super::BackgroundQueueEvent;
use super::assist::{Assisted, SLOT_BYTES, Take};
use super::flush::FlushSignal;
use super::shared::{DropCause, Shared};
use crate::config::MetriqueValidationError;
use crate::entry::Entry;
use crate::rate_limit::rate_limited;
use crate::stream::{EntryIoStream, IoStreamError};

/// Entries popped between two looks at the clock, the flush requests and blocked producers.
const BATCH: usize = 64;

/// Queued entries from which the writer counts as behind (see [`super::assist`]), whatever the
/// capacity: at one or two million entries a second, 32Ki entries are tens of milliseconds of
/// work.
const BEHIND: usize = 32 * 1024;
/// Formatted bytes gathered before they go to the stream while the queue stays busy (the
/// writer's own lines and each producer buffer). A buffered writer passes a write at least its
/// capacity straight to its inner writer instead of copying it into its buffer (`BufWriter`:
/// 8 KiB by default, 64 KiB in the benches and bench-peer); smaller writes cost one more copy
/// of every byte. When the queue runs dry, everything gathered is written at once.
pub(super) const WRITE_BYTES: usize = 64 * 1024;
/// How long the writer waits for more entries (yielding its core) before it flushes and parks.
const IDLE_SPIN: Duration = Duration::from_micros(50);

pub(super) struct WriterConfig {
    pub(super) flush_interval: Duration,
    pub(super) shutdown_timeout: Duration,
}

/// The writer's own copy of the stream's format, when the stream has one
/// ([`EntryIoStream::__fork_format`]): queued entries are formatted into `chunk`, which goes to
/// the stream with one [`__write_formatted`](EntryIoStream::__write_formatted) once it holds
/// [`WRITE_BYTES`] or the queue runs dry, rather than each line being copied into the stream's
/// own buffer.
struct Own<T> {
    format: crate::__private::ForkedFormat<T>,
    chunk: Vec<u8>,
    /// Entries whose lines are in `chunk`.
    formatted: u64,
}

/// What formatting one entry into [`Own::chunk`] gave.
enum Formatted {
    Ok,
    Invalid(crate::validate::ValidationError),
    Failed(Option<io::Error>),
}

/// Counters since the last report to the observer.
#[derive(Default)]
struct Unreported {
    written: u64,
    io_errors: u64,
    validation_errors: u64,
}

pub(super) struct Writer<T, S> {
    shared: Arc<Shared<T>>,
    stream: S,
    cfg: WriterConfig,
    popped: u64,
    written: u64,
    io_errors: u64,
    validation_errors: u64,
    unreported: Unreported,
    /// Something was written since the last flush.
    dirty: bool,
    last_flush: Instant,
    /// Time spent parked since the last periodic report.
    idle: Duration,
    /// Flush requests picked up, with the `popped` count that satisfies them.
    flushes: Vec<(u64, Arc<FlushSignal>)>,
    /// The buffer handed to producers for their next formatted lines (see [`super::assist`]).
    assist_spare: Vec<u8>,
    own: Option<Own<T>>,
}

impl<T: Entry + 'static, S: EntryIoStream> Writer<T, S> {
    pub(super) fn new(shared: Arc<Shared<T>>, stream: S, cfg: WriterConfig) -> Self {
        let own = stream.__fork_format().map(|format| Own {
            format,
            chunk: Vec::new(),
            formatted: 0,
        });
        Self {
            shared,
            stream,
            cfg,
            popped: 0,
            written: 0,
            io_errors: 0,
            validation_errors: 0,
            unreported: Unreported::default(),
            dirty: false,
            last_flush: Instant::now(),
            idle: Duration::ZERO,
            flushes: Vec::new(),
            assist_spare: Vec::new(),
            own,
        }
    }

    pub(super) fn run(mut self) {
        let name = self.shared.hot.name.clone();
        let span = tracing::debug_span!("metrique_background_queue", queue = &*name);
        let _enter = span.enter();
        loop {
            let deadline = self.last_flush + self.cfg.flush_interval;
            self.drain(Some(deadline), false);
            self.serve_flush_requests();
            if self.shared.ctl.shutdown.load(Ordering::Acquire) {
                break;
            }
            if Instant::now() >= deadline {
                self.flush(true);
                continue;
            }
            if !self.shared.queue.is_empty() || self.assist_pending() {
                continue;
            }
            // Idle. Exit if every producer is gone (the join handle was forgotten).
            if Arc::strong_count(&self.shared) == 1 {
                break;
            }
            if self.wait_briefly() {
                continue;
            }
            if self.dirty {
                self.flush(false);
            }
            self.park_until(deadline);
        }
        self.shut_down();
    }

    /// Pops and writes until the queue is empty or `deadline` passes (or, while running,
    /// shutdown begins).
    fn drain(&mut self, deadline: Option<Instant>, shutting_down: bool) {
        loop {
            let mut n = 0;
            while n < BATCH {
                let Some(entry) = self.shared.queue.pop() else {
                    break;
                };
                self.popped += 1;
                self.write(&entry);
                drop(entry);
                n += 1;
            }
            // While the queue stays busy, lines gather into large writes (see `WRITE_BYTES`).
            let busy = n == BATCH;
            let min_bytes = if busy { WRITE_BYTES } else { 0 };
            self.write_own(min_bytes);
            self.write_assisted(Take::Skip { min_bytes });
            self.publish();
            self.shared.notify_space();
            self.update_behind();
            if !busy {
                return;
            }
            if self.shared.ctl.flush_requested.load(Ordering::Relaxed) {
                self.serve_flush_requests();
            }
            if deadline.is_some_and(|d| Instant::now() >= d)
                || (!shutting_down && self.shared.ctl.shutdown.load(Ordering::Relaxed))
            {
                // What is gathered is written by the flush that follows (deadline) or by the
                // shutdown drain.
                return;
            }
        }
    }

    fn write(&mut self, entry: &T) {
        if let Some(own) = &mut self.own {
            let start = own.chunk.len();
            let (format, chunk) = (&mut own.format, &mut own.chunk);
            let formatted = match catch_unwind(AssertUnwindSafe(|| format(entry, chunk))) {
                Ok(Ok(())) => Formatted::Ok,
                Ok(Err(IoStreamError::Validation(e))) => Formatted::Invalid(e),
                Ok(Err(IoStreamError::Io(e))) => Formatted::Failed(Some(e)),
                Err(_) => Formatted::Failed(None),
            };
            if let Formatted::Ok = formatted {
                own.formatted += 1;
                return;
            }
            own.chunk.truncate(start);
            match formatted {
                Formatted::Invalid(e) => self.invalid_entry(&e),
                Formatted::Failed(e) => self.output_failed(1, "formatting an entry", e.as_ref()),
                Formatted::Ok => {}
            }
            return;
        }
        let stream = &mut self.stream;
        match catch_unwind(AssertUnwindSafe(|| stream.next(entry))) {
            Ok(Ok(())) => {
                self.written += 1;
                self.unreported.written += 1;
                self.dirty = true;
            }
            Ok(Err(IoStreamError::Io(e))) => self.output_failed(1, "writing an entry", Some(&e)),
            Ok(Err(IoStreamError::Validation(e))) => self.invalid_entry(&e),
            Err(_) => self.output_failed(1, "writing an entry", None),
        }
    }

    /// Counts `count` I/O errors (entries that did not reach the output, or one failed flush)
    /// and logs why, at most once a second: `error` is the stream's error, `None` if it
    /// panicked while `what`.
    fn output_failed(&mut self, count: u64, what: &str, error: Option<&io::Error>) {
        self.io_errors += count;
        self.unreported.io_errors += count;
        let queue = &*self.shared.hot.name;
        match error {
            Some(e) => rate_limited!(
                Duration::from_secs(1),
                tracing::error!(queue, error = %e, "metrique background queue: {what} failed")
            ),
            None => rate_limited!(
                Duration::from_secs(1),
                tracing::error!(
                    queue,
                    "metrique background queue: the stream panicked while {what}"
                )
            ),
        }
    }

    /// Tells producers whether to format their own entries (see [`super::assist`]): from
    /// [`BEHIND`] entries queued (half the capacity in smaller queues) until half that, so the
    /// flag flips rarely (it shares a cache line producers read on every append).
    fn update_behind(&self) {
        if self.shared.assist.is_none() {
            return;
        }
        let queue = &self.shared.queue;
        let len = queue.len();
        let on = (queue.capacity() / 2).clamp(1, BEHIND);
        let behind = self.shared.hot.behind.load(Ordering::Relaxed);
        let now = if behind { len > on / 2 } else { len >= on };
        if now != behind {
            self.shared.hot.behind.store(now, Ordering::Relaxed);
        }
    }

    /// Producers formatted lines that wait to be written (see [`super::assist`]).
    fn assist_pending(&self) -> bool {
        self.shared
            .assist
            .as_ref()
            .is_some_and(|a| a.pending.load(Ordering::SeqCst))
    }

    /// Writes the lines producers formatted (see [`Take`] for the modes).
    fn write_assisted(&mut self, mode: Take) {
        let Some(assist) = &self.shared.assist else {
            return;
        };
        if mode != Take::Close && !assist.pending.load(Ordering::Relaxed) {
            return;
        }
        assist.pending.store(false, Ordering::SeqCst);
        for index in 0..assist.slots() {
            // Borrowed again each round: writing needs `&mut self`.
            let spare = std::mem::take(&mut self.assist_spare);
            let Some(assist) = &self.shared.assist else {
                return;
            };
            match assist.take(index, spare, mode) {
                Ok(taken) => self.write_taken(taken),
                Err(spare) => self.assist_spare = spare,
            }
        }
    }

    /// Writes one buffer of producer-formatted lines and counts what it held.
    fn write_taken(&mut self, taken: Assisted) {
        self.write_formatted(&taken.bytes, taken.formatted);
        if taken.failed > 0 {
            self.io_errors += taken.failed;
            self.unreported.io_errors += taken.failed;
            let queue = &*self.shared.hot.name;
            rate_limited!(
                Duration::from_secs(1),
                tracing::error!(
                    queue,
                    "metrique background queue: formatting an entry failed or panicked"
                )
            );
        }
        for e in &taken.invalid {
            self.invalid_entry(e);
        }
        // Keep memory bounded after a burst.
        if taken.bytes.capacity() <= 2 * SLOT_BYTES {
            self.assist_spare = taken.bytes;
        }
    }

    /// Writes the lines formatted into [`Own::chunk`] and counts them, if they fill at least
    /// `min_bytes`.
    fn write_own(&mut self, min_bytes: usize) {
        let Some(own) = &mut self.own else {
            return;
        };
        if own.formatted == 0 || own.chunk.len() < min_bytes {
            return;
        }
        let count = std::mem::take(&mut own.formatted);
        let mut chunk = std::mem::take(&mut own.chunk);
        self.write_formatted(&chunk, count);
        chunk.clear();
        // Keep memory bounded after a batch of unusually large entries.
        if let Some(own) = &mut self.own
            && chunk.capacity() <= SLOT_BYTES
        {
            own.chunk = chunk;
        }
    }

    /// Writes `count` entries' formatted lines and counts them as written or failed.
    fn write_formatted(&mut self, bytes: &[u8], count: u64) {
        if count == 0 {
            return;
        }
        let stream = &mut self.stream;
        match catch_unwind(AssertUnwindSafe(|| stream.__write_formatted(bytes))) {
            Ok(Ok(())) => {
                self.written += count;
                self.unreported.written += count;
                self.dirty = true;
            }
            Ok(Err(e)) => self.output_failed(count, "writing entries", Some(&e)),
            Err(_) => self.output_failed(count, "writing entries", None),
        }
    }

    /// Counts and reports an entry the format rejected.
    fn invalid_entry(&mut self, e: &crate::validate::ValidationError) {
        self.validation_errors += 1;
        self.unreported.validation_errors += 1;
        let queue = &*self.shared.hot.name;
        rate_limited!(
            Duration::from_secs(1),
            tracing::error!(queue, error = %e, "metrique background queue: invalid entry not written")
        );
        if !tracing::dispatcher::has_been_set() {
            // Nobody would see the log: say so in-band, where the metrics go.
            let report = MetriqueValidationError::new(
                "metric entry could not be formatted correctly, call tracing_subscriber::fmt::init to see more detailed information",
            );
            // The lines formatted before this entry go first.
            self.write_own(0);
            let stream = &mut self.stream;
            if let Ok(Ok(())) = catch_unwind(AssertUnwindSafe(|| stream.next(&report))) {
                self.dirty = true;
            }
        }
    }

    /// Makes progress visible to `stats()` and flush bookkeeping.
    fn publish(&self) {
        let p = &self.shared.progress;
        p.popped.store(self.popped, Ordering::Relaxed);
        p.written.store(self.written, Ordering::Relaxed);
        p.io_errors.store(self.io_errors, Ordering::Relaxed);
        p.validation_errors
            .store(self.validation_errors, Ordering::Relaxed);
    }

    /// Picks up new flush requests and completes those whose entries are all written.
    fn serve_flush_requests(&mut self) {
        if self
            .shared
            .ctl
            .flush_requested
            .swap(false, Ordering::AcqRel)
        {
            let taken = std::mem::take(
                &mut self
                    .shared
                    .ctl
                    .flush_requests
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .pending,
            );
            // Everything appended before the request is still queued or already popped.
            let target = self.popped + self.shared.queue.len() as u64;
            self.flushes.extend(taken.into_iter().map(|s| (target, s)));
        }
        if self.flushes.is_empty() {
            return;
        }
        let empty = self.shared.queue.is_empty();
        if empty || self.flushes.iter().any(|(t, _)| *t <= self.popped) {
            self.flush(false);
            let popped = self.popped;
            self.flushes.retain(|(target, signal)| {
                let done = empty || *target <= popped;
                if done {
                    signal.complete();
                }
                !done
            });
        }
    }

    /// Spins (yielding the core) for a moment in case more entries arrive: cheaper for
    /// everyone than a park/unpark pair per entry. True if entries arrived.
    fn wait_briefly(&self) -> bool {
        let start = Instant::now();
        let mut spins = 0u32;
        loop {
            if !self.shared.queue.is_empty()
                || self.assist_pending()
                || self.shared.ctl.shutdown.load(Ordering::Relaxed)
                || self.shared.ctl.flush_requested.load(Ordering::Relaxed)
            {
                return true;
            }
            spins += 1;
            if spins < 16 {
                std::hint::spin_loop();
            } else {
                std::thread::yield_now();
                if start.elapsed() >= IDLE_SPIN {
                    return false;
                }
            }
        }
    }

    fn park_until(&mut self, deadline: Instant) {
        let hot = &self.shared.hot;
        hot.sleeping.store(true, Ordering::SeqCst);
        fence(Ordering::SeqCst);
        let ctl = &self.shared.ctl;
        if self.shared.queue.is_empty()
            && !self.assist_pending()
            && !ctl.shutdown.load(Ordering::SeqCst)
            && !ctl.flush_requested.load(Ordering::SeqCst)
        {
            let start = Instant::now();
            if let Some(wait) = deadline.checked_duration_since(start) {
                std::thread::park_timeout(wait);
            }
            self.idle += start.elapsed();
        }
        hot.sleeping.store(false, Ordering::SeqCst);
    }

    /// Flushes the stream; `periodic` flushes also report queue health.
    fn flush(&mut self, periodic: bool) {
        self.write_own(0);
        self.write_assisted(Take::Wait);
        if self.dirty {
            let stream = &mut self.stream;
            let result = catch_unwind(AssertUnwindSafe(|| stream.flush()));
            self.dirty = false;
            match result {
                Ok(Ok(())) => {}
                Ok(Err(e)) => self.output_failed(1, "flushing the output", Some(&e)),
                Err(_) => self.output_failed(1, "flushing the output", None),
            }
        }
        self.publish();
        self.report(periodic);
    }

    fn report(&mut self, periodic: bool) {
        let now = Instant::now();
        if self.shared.hot.observer.is_none() {
            if periodic {
                self.idle = Duration::ZERO;
                self.last_flush = now;
            }
            self.unreported = Unreported::default();
            return;
        }
        let u = std::mem::take(&mut self.unreported);
        if u.written > 0 {
            self.shared
                .notify(BackgroundQueueEvent::MetricsEmitted { count: u.written });
        }
        if u.io_errors > 0 {
            self.shared
                .notify(BackgroundQueueEvent::IoErrors { count: u.io_errors });
        }
        if u.validation_errors > 0 {
            self.shared.notify(BackgroundQueueEvent::ValidationErrors {
                count: u.validation_errors,
            });
        }
        if periodic {
            let elapsed = now.duration_since(self.last_flush).as_secs_f64();
            let idle_percent = if elapsed > 0.0 {
                (self.idle.as_secs_f64() / elapsed * 100.0).min(100.0)
            } else {
                0.0
            };
            self.shared.notify(BackgroundQueueEvent::FlushComplete {
                idle_percent,
                queue_len: self.shared.queue.len(),
            });
            self.idle = Duration::ZERO;
            self.last_flush = now;
        }
    }

    fn shut_down(mut self) {
        let deadline = Instant::now().checked_add(self.cfg.shutdown_timeout);
        self.drain(deadline, true);
        // Whatever is left could not be written in time.
        let mut left = 0u64;
        while self.shared.queue.pop().is_some() {
            left += 1;
        }
        if left > 0 {
            let queue = &*self.shared.hot.name;
            tracing::warn!(
                queue,
                left,
                "metrique background queue: shutdown timeout reached; dropping the entries not yet written"
            );
            self.shared.count_drops(left, DropCause::Shutdown);
        }
        self.write_assisted(Take::Close);
        self.dirty = true;
        self.flush(true);
        // `Drop` completes the flush waiters; then the stream is dropped (closed).
    }
}

impl<T, S> Drop for Writer<T, S> {
    fn drop(&mut self) {
        // Also runs if the writer thread unwinds: nobody may wait forever on a dead thread.
        let ctl = &self.shared.ctl;
        let pending = {
            let mut reqs = ctl
                .flush_requests
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            reqs.exited = true;
            std::mem::take(&mut reqs.pending)
        };
        for s in pending {
            s.complete();
        }
        for (_, s) in self.flushes.drain(..) {
            s.complete();
        }
        self.shared.hot.closed.store(true, Ordering::SeqCst);
        // Blocked producers must see `closed` even if the queue is still full (a panic).
        self.shared.notify_space_now();
    }
}
