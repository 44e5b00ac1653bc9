//! Producers formatting their own entries while the writer thread is behind.
//!
//! One writer thread formats at one core's speed; past that, producers would queue entries
//! faster than they are written until the [`OverflowPolicy`](super::OverflowPolicy) drops or
//! blocks them. Instead, when the stream's format can be copied
//! ([`EntryIoStream::__fork_format`](crate::EntryIoStream::__fork_format)) and the writer is
//! behind (see `Hot::behind` in `shared`), a producer formats its entry itself, where the entry
//! is still in its cache, into one of a few buffers the writer thread writes out between
//! batches. Formatting then runs on as many cores as there are producers, with no extra thread
//! and no entry crossing threads.
//!
//! Each buffer has its own copy of the format behind its own lock; a producer takes the first
//! free one starting from a per-thread index (`try_lock`, never waits) and falls back to the
//! queue when all are busy or full ([`SLOT_BYTES`], [`SLOT_INVALID`]). Memory stays bounded:
//! the queue's capacity plus about [`SLOT_BYTES`] per buffer.
//!
//! Lines formatted here can reach the output before entries still queued (from any thread);
//! each line is whole, and flushes, shutdown and the counters cover both paths.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError, TryLockError};

use crossbeam_utils::CachePadded;

use crate::__private::ForkedFormat;
use crate::stream::IoStreamError;
use crate::thread_shared::thread_index;
use crate::validate::ValidationError;

/// Formatted bytes a buffer holds before producers fall back to the queue.
pub(super) const SLOT_BYTES: usize = 1 << 20;

/// Rejected entries a buffer reports before producers fall back to the queue (their errors are
/// kept for the writer's report, so they are bounded too).
const SLOT_INVALID: usize = 4096;

/// Buffers (and format copies) per queue: enough for every core to format at once.
pub(super) fn slot_count() -> usize {
    std::thread::available_parallelism().map_or(4, |n| n.get().clamp(4, 8))
}

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

struct Slot<T> {
    format: ForkedFormat<T>,
    out: Assisted,
    /// Entries formatted (or rejected) here so far.
    total: u64,
    /// The writer has taken the last bytes (shutdown): nothing more is accepted.
    closed: bool,
}

/// What producers need to format: copies of the format and their buffers.
pub(super) struct Assist<T> {
    slots: Box<[CachePadded<Mutex<Slot<T>>>]>,
    /// Bytes are waiting (set by producers, cleared by the writer before it takes them). On its
    /// own cache line: producers read `slots` on every call.
    pub(super) pending: CachePadded<AtomicBool>,
}

/// What [`Assist::try_format`] did with the entry.
pub(super) enum Assisting {
    /// Formatted (or rejected by the format, and counted).
    Done,
    /// Every buffer is in use or full: queue the entry as usual.
    Busy,
    /// The writer has shut down: nothing was written; count the entry as dropped.
    Closed,
}

impl<T> Assist<T> {
    /// One buffer per format copy `fork` makes, `count` of them; `None` if the format cannot be
    /// copied.
    pub(super) fn new(
        count: usize,
        mut fork: impl FnMut() -> Option<ForkedFormat<T>>,
    ) -> Option<Self> {
        let slots = (0..count.max(1))
            .map(|_| {
                fork().map(|format| {
                    CachePadded::new(Mutex::new(Slot {
                        format,
                        out: Assisted::default(),
                        total: 0,
                        closed: false,
                    }))
                })
            })
            .collect::<Option<Box<[_]>>>()?;
        Some(Self {
            slots,
            pending: CachePadded::new(AtomicBool::new(false)),
        })
    }

    /// How many buffers the writer has to look at.
    pub(super) fn slots(&self) -> usize {
        self.slots.len()
    }

    /// Formats `entry` into the first free buffer. Never blocks.
    pub(super) fn try_format(&self, entry: &T) -> Assisting {
        let n = self.slots.len();
        let start = thread_index() % n;
        for k in 0..n {
            let guard = match self.slots[(start + k) % n].try_lock() {
                Ok(g) => g,
                Err(TryLockError::WouldBlock) => continue,
                Err(TryLockError::Poisoned(p)) => p.into_inner(),
            };
            if guard.closed {
                return Assisting::Closed;
            }
            if guard.out.bytes.len() < SLOT_BYTES && guard.out.invalid.len() < SLOT_INVALID {
                return self.format_in(guard, entry);
            }
        }
        Assisting::Busy
    }

    fn format_in(&self, mut guard: MutexGuard<'_, Slot<T>>, entry: &T) -> Assisting {
        let Slot { format, out, .. } = &mut *guard;
        let start = out.bytes.len();
        let bytes = &mut out.bytes;
        match catch_unwind(AssertUnwindSafe(|| format(entry, bytes))) {
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
        guard.total += 1;
        // Written only when clear: producers formatting back to back would otherwise fight over
        // the flag's cache line. Read under the buffer's lock, so if the writer took this buffer
        // after clearing the flag, this read sees the clear. SeqCst: ordered with the writer's
        // `sleeping` flag like a queue push (see `shared`); a producer that finds it set relies on
        // the store of the producer that set it.
        if !self.pending.load(Ordering::Relaxed) {
            self.pending.store(true, Ordering::SeqCst);
        }
        Assisting::Done
    }

    /// Takes what producers formatted into buffer `index`, leaving `spare` (cleared) in its
    /// place; with `close`, the buffer accepts nothing afterwards.
    ///
    /// Clear [`pending`](Self::pending) before taking from the buffers: a producer sets it
    /// after its bytes are in, so bytes missed by this round are seen by the next.
    pub(super) fn take(&self, index: usize, mut spare: Vec<u8>, close: bool) -> Assisted {
        spare.clear();
        let mut guard = self.slots[index]
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        guard.closed |= close;
        std::mem::replace(
            &mut guard.out,
            Assisted {
                bytes: spare,
                ..Assisted::default()
            },
        )
    }

    /// Entries producers formatted (or had rejected) so far.
    pub(super) fn total(&self) -> u64 {
        self.slots
            .iter()
            .map(|s| s.lock().unwrap_or_else(PoisonError::into_inner).total)
            .sum()
    }
}
