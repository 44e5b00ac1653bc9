//! The state shared by producers ([`BackgroundQueue`](super::BackgroundQueue) clones) and the
//! writer thread, and the producer side of the protocol.
//!
//! Hot fields are grouped by writer: what producers only *read* on every append (`closed`,
//! `sleeping`, `behind`, the policy) sits on its own cache line, away from the `Arc` reference
//! count and from the counters the writer thread updates.
//!
//! Waking the writer follows the Dekker pattern: a producer pushes (a `SeqCst` write) and reads
//! `sleeping` (`SeqCst`); the writer stores `sleeping = true` (`SeqCst`) and re-checks the queue
//! (`SeqCst` reads) before parking. Either the producer sees the flag (and unparks) or the writer sees
//! the entry, so no entry waits for the next flush deadline, and no append makes a syscall
//! while the writer is busy.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering, fence};
use std::sync::{Arc, Condvar, Mutex, OnceLock, PoisonError};
use std::thread::Thread;
use std::time::{Duration, Instant};

use crossbeam_queue::ArrayQueue;
use crossbeam_utils::CachePadded;

use super::assist::{Assist, Assisting};
use super::flush::FlushSignal;
use super::{BackgroundQueueEvent, BackgroundQueueObserver, OverflowPolicy, QueueStats};
use crate::rate_limit::rate_limited;
use crate::sink::FlushWait;

/// Read by producers on every append; written rarely.
pub(super) struct Hot {
    pub(super) closed: AtomicBool,
    pub(super) sleeping: AtomicBool,
    /// The writer thread is behind: producers format their own entries if they can (see
    /// [`super::assist`]). Set and cleared by the writer after a batch, only when it changes.
    pub(super) behind: AtomicBool,
    pub(super) policy: OverflowPolicy,
    pub(super) writer: OnceLock<Thread>,
    pub(super) observer: Option<Arc<dyn BackgroundQueueObserver>>,
    pub(super) name: Arc<str>,
}

/// Written by the writer thread after each batch; read by `stats()` and blocked producers.
#[derive(Default)]
pub(super) struct Progress {
    pub(super) popped: AtomicU64,
    pub(super) written: AtomicU64,
    pub(super) io_errors: AtomicU64,
    pub(super) validation_errors: AtomicU64,
}

/// Cold coordination state.
#[derive(Default)]
pub(super) struct Control {
    /// Set by the join handle: drain and exit.
    pub(super) shutdown: AtomicBool,
    /// Set by `flush_async` when it queued a request.
    pub(super) flush_requested: AtomicBool,
    /// Pending flush requests, and whether the writer has exited (checked under the same lock
    /// so no request is queued after the writer's last look).
    pub(super) flush_requests: Mutex<FlushRequests>,
    /// Producers blocked by [`OverflowPolicy::Block`].
    pub(super) waiting: AtomicUsize,
    pub(super) space_lock: Mutex<()>,
    pub(super) space: Condvar,
}

#[derive(Default)]
pub(super) struct FlushRequests {
    pub(super) exited: bool,
    pub(super) pending: Vec<Arc<FlushSignal>>,
}

/// Why an entry was dropped.
#[derive(Clone, Copy)]
pub(super) enum DropCause {
    Overflow,
    Shutdown,
}

pub(super) struct Shared<T> {
    pub(super) hot: CachePadded<Hot>,
    pub(super) queue: ArrayQueue<T>,
    pub(super) dropped: CachePadded<AtomicU64>,
    pub(super) progress: CachePadded<Progress>,
    pub(super) ctl: Control,
    /// Producers format their own entries when the queue is full (block policy, and a stream
    /// whose format can be copied).
    pub(super) assist: Option<Assist<T>>,
}

impl<T> Shared<T> {
    pub(super) fn new(
        capacity: usize,
        policy: OverflowPolicy,
        name: Arc<str>,
        observer: Option<Arc<dyn BackgroundQueueObserver>>,
        assist: Option<Assist<T>>,
    ) -> Self {
        Self {
            hot: CachePadded::new(Hot {
                closed: AtomicBool::new(false),
                sleeping: AtomicBool::new(false),
                behind: AtomicBool::new(false),
                policy,
                writer: OnceLock::new(),
                observer,
                name,
            }),
            queue: ArrayQueue::new(capacity),
            dropped: CachePadded::new(AtomicU64::new(0)),
            progress: CachePadded::default(),
            ctl: Control::default(),
            assist,
        }
    }

    /// The producer side of `append`. Never panics, never blocks unless the policy is `Block`.
    #[inline]
    pub(super) fn append(&self, entry: T) {
        if self.hot.closed.load(Ordering::Relaxed) {
            self.reject(entry, DropCause::Shutdown);
            return;
        }
        if self.hot.behind.load(Ordering::Relaxed) && self.try_assist(&entry) {
            return;
        }
        match self.hot.policy {
            OverflowPolicy::DropOldest => {
                if let Err(entry) = self.queue.push(entry) {
                    self.overflowed_drop_oldest(entry);
                }
            }
            OverflowPolicy::DropNewest => {
                if let Err(entry) = self.queue.push(entry) {
                    self.overflowed(entry);
                }
            }
            OverflowPolicy::Block { timeout } => {
                if let Err(entry) = self.queue.push(entry) {
                    self.push_blocking(entry, timeout);
                }
            }
        }
        self.wake_writer();
    }

    /// Unparks the writer if it is (about to be) asleep: one plain shared read when it is not.
    ///
    /// No fence needed after a push: `ArrayQueue` publishes a push with a `SeqCst` RMW on its
    /// tail and `is_empty` reads it with `SeqCst`, so with `sleeping` accessed `SeqCst` on both
    /// sides the four accesses are totally ordered (Dekker). Were that to change, the cost
    /// would be latency, not loss: the writer also wakes at every flush deadline.
    #[inline]
    pub(super) fn wake_writer(&self) {
        if self.hot.sleeping.load(Ordering::SeqCst) {
            self.unpark_writer();
        }
    }

    #[cold]
    fn unpark_writer(&self) {
        if self.hot.sleeping.swap(false, Ordering::SeqCst)
            && let Some(t) = self.hot.writer.get()
        {
            t.unpark();
        }
    }

    /// Formats `entry` on this thread if the stream allows it (see [`super::assist`]). True if
    /// the entry is taken care of (formatted, rejected by the format, or dropped at shutdown
    /// and counted): the caller only drops it. False if every buffer is busy or full.
    #[cold]
    #[inline(never)]
    fn try_assist(&self, entry: &T) -> bool {
        let Some(assist) = &self.assist else {
            return false;
        };
        match assist.try_format(entry) {
            Assisting::Done => {
                self.wake_writer();
                true
            }
            Assisting::Closed => {
                self.count_drops(1, DropCause::Shutdown);
                true
            }
            Assisting::Busy => false,
        }
    }

    /// The queue is full under [`OverflowPolicy::DropOldest`]: format `entry` here if possible,
    /// else replace the oldest queued entry with it (and yield, see [`Self::overflowed`]).
    #[cold]
    #[inline(never)]
    fn overflowed_drop_oldest(&self, entry: T) {
        if self.try_assist(&entry) {
            return;
        }
        if let Some(oldest) = self.queue.force_push(entry) {
            self.reject(oldest, DropCause::Overflow);
            std::thread::yield_now();
        }
    }

    /// The queue is full under [`OverflowPolicy::DropNewest`]: format `entry` here if possible,
    /// else drop it, then give up the rest of this thread's time slice once: on a machine with
    /// more runnable threads than cores this lets the writer thread catch up (fewer drops), and
    /// it never waits for anything.
    #[cold]
    #[inline(never)]
    fn overflowed(&self, entry: T) {
        if self.try_assist(&entry) {
            return;
        }
        self.reject(entry, DropCause::Overflow);
        std::thread::yield_now();
    }

    #[cold]
    #[inline(never)]
    pub(super) fn reject(&self, entry: T, cause: DropCause) {
        drop(entry);
        self.count_drops(1, cause);
    }

    pub(super) fn count_drops(&self, count: u64, cause: DropCause) {
        let total = self.dropped.fetch_add(count, Ordering::Relaxed) + count;
        let name = &*self.hot.name;
        match cause {
            DropCause::Overflow => {
                rate_limited!(
                    Duration::from_secs(1),
                    tracing::warn!(
                        queue = name,
                        total_dropped = total,
                        "metrique background queue is full; dropping entries (see BackgroundQueueBuilder::overflow_policy)"
                    )
                );
                if self.hot.observer.is_some() {
                    for i in 0..count {
                        self.notify(BackgroundQueueEvent::QueueOverflow {
                            total_dropped: total - count + i + 1,
                        });
                    }
                }
            }
            DropCause::Shutdown => {
                rate_limited!(
                    Duration::from_secs(1),
                    tracing::warn!(
                        queue = name,
                        total_dropped = total,
                        "metrique background queue is shut down; dropping entries"
                    )
                );
                self.notify(BackgroundQueueEvent::DroppedAtShutdown { count });
            }
        }
    }

    /// Reports `event` to the observer, if any. A panicking observer is contained and logged
    /// (at most once a second): it must take down neither the writer thread nor a producer.
    pub(super) fn notify(&self, event: BackgroundQueueEvent) {
        let Some(observer) = &self.hot.observer else {
            return;
        };
        let queue = &*self.hot.name;
        if catch_unwind(AssertUnwindSafe(|| observer.on_event(queue, event))).is_err() {
            rate_limited!(
                Duration::from_secs(1),
                tracing::error!(
                    queue,
                    "metrique background queue: the observer panicked; event lost"
                )
            );
        }
    }

    #[cold]
    #[inline(never)]
    fn push_blocking(&self, mut entry: T, timeout: Duration) {
        if self.try_assist(&entry) {
            return;
        }
        let deadline = Instant::now().checked_add(timeout);
        self.ctl.waiting.fetch_add(1, Ordering::SeqCst);
        self.unpark_writer_always();
        let mut guard = self
            .ctl
            .space_lock
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        loop {
            if self.hot.closed.load(Ordering::Relaxed) {
                self.reject(entry, DropCause::Shutdown);
                break;
            }
            match self.queue.push(entry) {
                Ok(()) => break,
                Err(e) => entry = e,
            }
            let wait = match deadline {
                None => Duration::from_secs(3600),
                Some(d) => {
                    let now = Instant::now();
                    if now >= d {
                        self.reject(entry, DropCause::Overflow);
                        break;
                    }
                    d - now
                }
            };
            guard = self
                .ctl
                .space
                .wait_timeout(guard, wait)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
        drop(guard);
        self.ctl.waiting.fetch_sub(1, Ordering::SeqCst);
    }

    /// Wakes producers blocked by [`OverflowPolicy::Block`] after the writer freed slots, once
    /// the queue is at most half full: blocked producers then wake once per half-queue of
    /// entries (not once per batch), refill it in a burst and leave the writer's core alone
    /// meanwhile. No wake-up is lost: the writer only parks on an empty queue, and its last
    /// batch before that calls this with the queue empty. (A blocked producer also retries
    /// once at its deadline, so the threshold never causes a drop while there is room.)
    #[inline]
    pub(super) fn notify_space(&self) {
        fence(Ordering::SeqCst);
        if self.ctl.waiting.load(Ordering::Relaxed) > 0
            && self.queue.len() <= self.queue.capacity() / 2
        {
            self.notify_space_now();
        }
    }

    /// Wakes every blocked producer.
    #[cold]
    pub(super) fn notify_space_now(&self) {
        let _g = self
            .ctl
            .space_lock
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        self.ctl.space.notify_all();
    }

    pub(super) fn unpark_writer_always(&self) {
        self.hot.sleeping.store(false, Ordering::SeqCst);
        if let Some(t) = self.hot.writer.get() {
            t.unpark();
        }
    }

    pub(super) fn flush_async(&self) -> FlushWait {
        let signal = FlushSignal::new();
        {
            let mut reqs = self
                .ctl
                .flush_requests
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            if reqs.exited {
                return FlushWait::ready();
            }
            reqs.pending.push(signal.clone());
        }
        self.ctl.flush_requested.store(true, Ordering::SeqCst);
        self.wake_writer();
        signal.wait()
    }

    pub(super) fn has_exited(&self) -> bool {
        self.ctl
            .flush_requests
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .exited
    }

    pub(super) fn stats(&self) -> QueueStats {
        let exited = self.has_exited();
        let p = &self.progress;
        let popped = p.popped.load(Ordering::Relaxed);
        let queued = self.queue.len() as u64;
        let mut dropped = self.dropped.load(Ordering::Relaxed);
        let assisted = self.assist.as_ref().map_or(0, Assist::total);
        // Entries that raced past `closed` after the writer's last pop will never be written.
        let stranded = if exited { queued } else { 0 };
        dropped += stranded;
        QueueStats {
            appended: popped + assisted + dropped + queued - stranded,
            dropped,
            written: p.written.load(Ordering::Relaxed),
            io_errors: p.io_errors.load(Ordering::Relaxed),
            validation_errors: p.validation_errors.load(Ordering::Relaxed),
            queued: queued - stranded,
            formatted_by_producers: assisted,
        }
    }
}

/// The join handle's type-erased view of the queue.
pub(super) trait QueueControl: Send + Sync {
    fn begin_shutdown(&self);
}

impl<T: Send> QueueControl for Shared<T> {
    fn begin_shutdown(&self) {
        self.hot.closed.store(true, Ordering::SeqCst);
        self.ctl.shutdown.store(true, Ordering::SeqCst);
        self.unpark_writer_always();
        // Blocked producers re-check `closed`.
        self.notify_space_now();
    }
}
