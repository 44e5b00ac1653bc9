//! Producers formatting their own entries while the queue is full under
//! [`OverflowPolicy::Block`](super::OverflowPolicy::Block).
//!
//! One writer thread formats at one core's speed; past that, a blocked producer would sleep
//! until the writer frees room. Instead, if the stream's format can be copied
//! ([`EntryIoStream::__fork_format`](crate::EntryIoStream::__fork_format)), the producer
//! formats its entry itself, where the entry is still in its cache, into a shared buffer that
//! the writer thread writes out between batches. Formatting then runs on as many cores as there
//! are blocked producers, with no extra thread. One producer formats at a time (the others wait
//! as before), and the buffer is bounded ([`MAX_BYTES`]).
//!
//! Lines formatted here can reach the output before entries still queued (from any thread);
//! each line is whole, and flushes, shutdown and the counters cover both paths.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError, TryLockError};

use crate::__private::ForkedFormat;
use crate::stream::IoStreamError;
use crate::validate::ValidationError;

/// Formatted bytes waiting for the writer, past which producers wait instead.
const MAX_BYTES: usize = 4 << 20;

/// Entries producers formatted since the writer last took them.
#[derive(Default)]
pub(super) struct Assisted {
    pub(super) bytes: Vec<u8>,
    /// Entries whose lines are in `bytes`.
    pub(super) formatted: u64,
    /// Entries the format rejected (nothing written for them).
    pub(super) invalid: Vec<ValidationError>,
    /// Entries whose format failed otherwise or panicked (nothing written for them).
    pub(super) failed: u64,
}

struct Inner<T> {
    format: ForkedFormat<T>,
    out: Assisted,
    /// The writer has taken the last bytes (shutdown): nothing more is accepted.
    closed: bool,
}

/// What producers need to format: a copy of the format and the shared buffer.
pub(super) struct Assist<T> {
    inner: Mutex<Inner<T>>,
    /// Bytes are waiting (set by producers, cleared by the writer when it takes them).
    pub(super) pending: AtomicBool,
    /// Entries formatted (or rejected) by producers so far.
    pub(super) entries: AtomicU64,
}

/// What [`Assist::try_format`] did with the entry.
pub(super) enum Assisting<T> {
    /// Formatted (or rejected by the format, and counted).
    Done,
    /// Another producer is formatting, or the buffer is full: wait as usual.
    Busy(T),
    /// The writer has shut down: the entry was dropped; count it.
    Closed,
}

impl<T> Assist<T> {
    pub(super) fn new(format: ForkedFormat<T>) -> Self {
        Self {
            inner: Mutex::new(Inner {
                format,
                out: Assisted::default(),
                closed: false,
            }),
            pending: AtomicBool::new(false),
            entries: AtomicU64::new(0),
        }
    }

    /// Formats `entry` into the shared buffer unless another producer is formatting or the
    /// buffer is full. Never blocks.
    pub(super) fn try_format(&self, entry: T) -> Assisting<T> {
        let mut guard = match self.inner.try_lock() {
            Ok(g) => g,
            Err(TryLockError::WouldBlock) => return Assisting::Busy(entry),
            Err(TryLockError::Poisoned(p)) => p.into_inner(),
        };
        if guard.closed {
            return Assisting::Closed;
        }
        if guard.out.bytes.len() >= MAX_BYTES {
            return Assisting::Busy(entry);
        }
        let Inner { format, out, .. } = &mut *guard;
        let start = out.bytes.len();
        let bytes = &mut out.bytes;
        match catch_unwind(AssertUnwindSafe(|| format(&entry, bytes))) {
            Ok(Ok(())) => out.formatted += 1,
            Ok(Err(IoStreamError::Validation(e))) => {
                out.bytes.truncate(start);
                out.invalid.push(e);
            }
            Ok(Err(IoStreamError::Io(_))) | Err(_) => {
                out.bytes.truncate(start);
                out.failed += 1;
            }
        }
        self.entries.fetch_add(1, Ordering::Relaxed);
        // SeqCst: ordered with the writer's `sleeping` flag like a queue push (see `shared`).
        self.pending.store(true, Ordering::SeqCst);
        drop(guard);
        drop(entry);
        Assisting::Done
    }

    /// Takes what producers formatted, leaving `spare` (cleared) in its place; with `close`,
    /// accepts nothing afterwards.
    pub(super) fn take(&self, mut spare: Vec<u8>, close: bool) -> Assisted {
        spare.clear();
        let mut guard = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        guard.closed |= close;
        self.pending.store(false, Ordering::Relaxed);
        std::mem::replace(
            &mut guard.out,
            Assisted {
                bytes: spare,
                ..Assisted::default()
            },
        )
    }
}
