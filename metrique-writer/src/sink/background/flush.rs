//! A one-shot completion signal behind [`FlushWait`]: no runtime needed.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll, Waker};

use crate::sink::FlushWait;

/// Set once by the writer thread; wakes the task waiting on it.
#[derive(Debug, Default)]
pub(crate) struct FlushSignal {
    done: AtomicBool,
    waker: Mutex<Option<Waker>>,
}

impl FlushSignal {
    pub(crate) fn new() -> Arc<Self> {
        Arc::new(Self::default())
    }

    /// Marks the signal complete and wakes the waiter, if any.
    pub(crate) fn complete(&self) {
        self.done.store(true, Ordering::Release);
        let waker = self
            .waker
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        if let Some(w) = waker {
            w.wake();
        }
    }

    /// A [`FlushWait`] completing with this signal.
    pub(crate) fn wait(self: Arc<Self>) -> FlushWait {
        FlushWait::from_future(SignalFuture(self))
    }
}

struct SignalFuture(Arc<FlushSignal>);

impl Future for SignalFuture {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let signal = &self.0;
        if signal.done.load(Ordering::Acquire) {
            return Poll::Ready(());
        }
        let mut slot = signal.waker.lock().unwrap_or_else(PoisonError::into_inner);
        // Re-check under the lock: `complete` sets `done` before taking the lock.
        if signal.done.load(Ordering::Acquire) {
            return Poll::Ready(());
        }
        match slot.as_mut() {
            Some(w) if w.will_wake(cx.waker()) => {}
            _ => *slot = Some(cx.waker().clone()),
        }
        Poll::Pending
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn completes_from_another_thread() {
        let s = FlushSignal::new();
        let wait = s.clone().wait();
        let t = std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(10));
            s.complete();
        });
        futures::executor::block_on(wait);
        t.join().unwrap();
    }
}
