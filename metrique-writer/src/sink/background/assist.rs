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
//! queue when all are busy or full ([`SLOT_BYTES`], [`SLOT_INVALID`]). The writer takes the
//! buffers between batches (while the queue stays busy, only those holding
//! [`WRITE_BYTES`](super::writer::WRITE_BYTES)), skipping one a producer is using; a flush or
//! shutdown waits for it ([`Take`]). Memory stays bounded: the queue's capacity plus about
//! [`SLOT_BYTES`] per buffer.
//!
//! Lines formatted here can reach the output before entries still queued (from any thread);
//! each line is whole, and flushes, shutdown and the counters cover both paths.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use crossbeam_utils::CachePadded;
use try_lock::{Locked, TryLock};

use crate::__private::ForkedFormat;
use crate::stream::IoStreamError;
use crate::thread_shared::thread_index;
use crate::validate::ValidationError;

/// Formatted bytes a buffer holds before producers fall back to the queue.
pub(super) const SLOT_BYTES: usize = 1 << 20;

/// Rejected entries a buffer reports before producers fall back to the queue (their errors are
/// kept for the writer's report, so they are bounded too).
const SLOT_INVALID: usize = 4096;

/// Buffers (and format copies) per queue: enough for every core to format at once. A power
/// of two, so that a producer picks its first buffer with a mask rather than a division.
pub(super) fn slot_count() -> usize {
    std::thread::available_parallelism().map_or(4, |n| n.get().clamp(4, 8).next_power_of_two())
}

/// Entries producers formatted since the writer last took them.
#[derive(Debug, Default)]
pub(super) struct Assisted {
    pub(super) bytes: Vec<u8>,
    /// Entries whose lines are in `bytes`.
    pub(super) formatted: u64,
    /// Entries the format rejected (nothing written for them).
    pub(super) invalid: Vec<ValidationError>,
    /// Entries whose format failed otherwise or panicked (nothing written for them).
    pub(super) failed: u64,
}

impl Assisted {
    /// Rejected or failed entries wait to be counted and reported.
    fn has_errors(&self) -> bool {
        !self.invalid.is_empty() || self.failed > 0
    }
}

struct Slot<T> {
    format: ForkedFormat<T>,
    out: Assisted,
    /// The writer has taken the last bytes (shutdown): nothing more is accepted.
    closed: bool,
}

/// A buffer and how many entries were formatted (or rejected) in it so far. The count is
/// outside the lock so that [`Assist::total`] (`stats()`) never waits for a producer; it is
/// only written under the lock, so a plain load and store suffice.
struct SlotCell<T> {
    slot: TryLock<Slot<T>>,
    total: AtomicU64,
}

/// What producers need to format: copies of the format and their buffers.
///
/// The buffers sit behind [`TryLock`]s, not `Mutex`es: a producer only ever tries, and
/// releasing a `TryLock` is a plain store. A `Mutex` releases with an atomic swap, a full
/// barrier: the producer stalls until every byte of the line it just wrote has left its store
/// buffer. perf put about 3% of all samples there.
pub(super) struct Assist<T> {
    slots: Box<[CachePadded<SlotCell<T>>]>,
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
                    CachePadded::new(SlotCell {
                        slot: TryLock::new(Slot {
                            format,
                            out: Assisted::default(),
                            closed: false,
                        }),
                        total: AtomicU64::new(0),
                    })
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
        let start = if n.is_power_of_two() {
            thread_index() & (n - 1)
        } else {
            thread_index() % n
        };
        for k in 0..n {
            // `start + k` wraps at most once.
            let i = start + k;
            let cell = &self.slots[if i >= n { i - n } else { i }];
            let Some(guard) = cell.slot.try_lock() else {
                continue;
            };
            if guard.closed {
                return Assisting::Closed;
            }
            if guard.out.bytes.len() < SLOT_BYTES && guard.out.invalid.len() < SLOT_INVALID {
                return self.format_in(guard, &cell.total, entry);
            }
        }
        Assisting::Busy
    }

    fn format_in(&self, mut guard: Locked<'_, Slot<T>>, total: &AtomicU64, entry: &T) -> Assisting {
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
        total.store(total.load(Ordering::Relaxed) + 1, Ordering::Relaxed);
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
    /// place. [`Take::Skip`] gives `spare` back if a producer is using the buffer or it holds
    /// fewer bytes than asked (and nothing to report); the other modes wait for the producer,
    /// and [`Take::Close`] makes the buffer accept nothing afterwards.
    ///
    /// Clear [`pending`](Self::pending) before taking from the buffers: a producer sets it
    /// after its bytes are in, so bytes missed by this round are seen by the next.
    pub(super) fn take(
        &self,
        index: usize,
        mut spare: Vec<u8>,
        mode: Take,
    ) -> Result<Assisted, Vec<u8>> {
        let slot = &self.slots[index].slot;
        let mut guard = match mode {
            Take::Skip { min_bytes } => match slot.try_lock() {
                Some(g) if g.out.bytes.len() >= min_bytes || g.out.has_errors() => g,
                Some(g) => {
                    if g.out.formatted > 0 {
                        // Too few bytes yet: come back next round.
                        self.pending.store(true, Ordering::SeqCst);
                    }
                    return Err(spare);
                }
                None => {
                    // Come back next round.
                    self.pending.store(true, Ordering::SeqCst);
                    return Err(spare);
                }
            },
            Take::Wait | Take::Close => lock(slot),
        };
        guard.closed |= mode == Take::Close;
        spare.clear();
        Ok(std::mem::replace(
            &mut guard.out,
            Assisted {
                bytes: spare,
                ..Assisted::default()
            },
        ))
    }

    /// Entries producers formatted (or had rejected) so far.
    pub(super) fn total(&self) -> u64 {
        self.slots
            .iter()
            .map(|s| s.total.load(Ordering::Relaxed))
            .sum()
    }
}

/// How the writer takes a buffer (see [`Assist::take`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Take {
    /// Between batches: a buffer in use, or holding fewer than `min_bytes` (see
    /// [`WRITE_BYTES`](super::writer::WRITE_BYTES)) and no errors, is left for the next round.
    Skip { min_bytes: usize },
    /// A flush: every line formatted before it must be written.
    Wait,
    /// Shutdown: the last lines; the buffer accepts nothing afterwards.
    Close,
}

/// Locks `slot`, waiting for the producer using it (it holds it for one entry's formatting).
fn lock<S>(slot: &TryLock<S>) -> Locked<'_, S> {
    let mut spins = 0u32;
    loop {
        if let Some(g) = slot.try_lock() {
            return g;
        }
        if spins < 64 {
            spins += 1;
            std::hint::spin_loop();
        } else {
            std::thread::yield_now();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assist() -> Assist<u8> {
        let fork = || -> Option<ForkedFormat<u8>> {
            Some(Box::new(|e: &u8, out: &mut Vec<u8>| {
                out.push(*e);
                Ok(())
            }))
        };
        Assist::new(1, fork).expect("forks")
    }

    #[test]
    fn a_buffer_in_use_is_skipped_between_batches_and_awaited_by_a_flush() {
        let a = assist();
        assert!(matches!(a.try_format(&7), Assisting::Done));
        a.pending.store(false, Ordering::SeqCst);
        let held = a.slots[0].slot.try_lock().expect("free");
        // `stats()` does not wait for a producer either.
        assert_eq!(a.total(), 1);
        // A producer holds the buffer: skipped, spare returned, and looked at next round.
        let spare = a
            .take(0, vec![1, 2], Take::Skip { min_bytes: 0 })
            .expect_err("skipped");
        assert_eq!(spare, [1, 2]);
        assert!(a.pending.load(Ordering::SeqCst));
        // A flush waits for the producer instead.
        std::thread::scope(|s| {
            let flush = s.spawn(|| a.take(0, Vec::new(), Take::Wait));
            std::thread::sleep(std::time::Duration::from_millis(50));
            assert!(
                !flush.is_finished(),
                "a flush must not skip a buffer in use"
            );
            drop(held);
            let taken = flush.join().expect("no panic").expect("waited");
            assert_eq!((taken.bytes, taken.formatted), (vec![7], 1));
        });
        // Closed: producers are turned away.
        let _ = a.take(0, Vec::new(), Take::Close);
        assert!(matches!(a.try_format(&8), Assisting::Closed));
        assert_eq!(a.total(), 1);
    }

    #[test]
    fn between_batches_a_buffer_is_taken_once_it_holds_enough_bytes_or_errors() {
        let a = assist();
        // Empty: nothing to take and nothing to come back for.
        assert!(a.take(0, Vec::new(), Take::Skip { min_bytes: 2 }).is_err());
        assert!(!a.pending.load(Ordering::SeqCst));
        // One byte of two: left, and looked at next round.
        assert!(matches!(a.try_format(&1), Assisting::Done));
        a.pending.store(false, Ordering::SeqCst);
        assert!(a.take(0, Vec::new(), Take::Skip { min_bytes: 2 }).is_err());
        assert!(a.pending.load(Ordering::SeqCst));
        // Two bytes: taken.
        assert!(matches!(a.try_format(&2), Assisting::Done));
        let taken = a
            .take(0, Vec::new(), Take::Skip { min_bytes: 2 })
            .expect("full");
        assert_eq!((taken.bytes, taken.formatted), (vec![1, 2], 2));
        // A rejected entry is reported without waiting for more bytes.
        a.slots[0].slot.try_lock().expect("free").out.failed = 1;
        let taken = a
            .take(0, Vec::new(), Take::Skip { min_bytes: 2 })
            .expect("errors");
        assert_eq!((taken.bytes.len(), taken.failed), (0, 1));
        // A flush takes whatever there is.
        assert!(matches!(a.try_format(&3), Assisting::Done));
        let taken = a.take(0, Vec::new(), Take::Wait).expect("waited");
        assert_eq!(taken.bytes, [3]);
    }
}
