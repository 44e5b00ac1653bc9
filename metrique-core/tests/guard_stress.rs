//! Stress: 10,000 entries, each fanned out to 8 worker threads through handles, a flush guard
//! and a slot; every entry is emitted exactly once, with every increment and its slot data.

#[path = "guard_support/recorder.rs"]
mod support;

use std::sync::mpsc;
use std::thread;

use metrique_core::{AppendAndCloseOnDropHandle, OnParentDrop, SlotGuard, append_and_close};
use support::{Child, Recorder, Req, ReqEntry};

const ENTRIES: u64 = 10_000;
const FANOUT: usize = 8;

type Handle = AppendAndCloseOnDropHandle<Req, Recorder<ReqEntry>>;

struct Job {
    handle: Handle,
    slot: Option<SlotGuard<Child>>,
}

#[test]
fn every_entry_emitted_exactly_once_with_all_writes() {
    let sink = Recorder::<ReqEntry>::default();
    let (senders, workers): (Vec<_>, Vec<_>) = (0..FANOUT)
        .map(|_| {
            let (tx, rx) = mpsc::channel::<Job>();
            let worker = thread::spawn(move || {
                for job in rx {
                    job.handle.add(1);
                    if let Some(mut slot) = job.slot {
                        slot.n = job.handle.ducks;
                    }
                    // The handle and (for one job) the slot guard drop here; whichever thread
                    // releases last emits the entry.
                }
            });
            (tx, worker)
        })
        .unzip();

    for id in 0..ENTRIES {
        let mut guard = append_and_close(
            Req {
                ducks: id,
                ..Req::default()
            },
            sink.clone(),
        );
        let flush = guard.flush_guard();
        let mut slot = guard.child.open(OnParentDrop::Wait(flush));
        let handle = guard.handle();
        for tx in &senders {
            tx.send(Job {
                handle: handle.clone(),
                slot: slot.take(),
            })
            .unwrap();
        }
        // The owner's handle drops now, usually before the workers are done.
    }
    drop(senders);
    for w in workers {
        w.join().unwrap();
    }

    let mut got = sink.take();
    assert_eq!(got.len(), ENTRIES as usize);
    got.sort_by_key(|e| e.ducks);
    for (id, e) in got.iter().enumerate() {
        assert_eq!(e.ducks, id as u64, "each entry exactly once");
        assert_eq!(e.count, FANOUT as u64, "entry {id}: all increments");
        assert_eq!(
            e.child.as_ref().map(|c| c.n),
            Some(id as u64),
            "entry {id}: slot data delivered before emission"
        );
    }
}
