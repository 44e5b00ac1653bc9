//! `status-aggregation`: worker threads tally HTTP statuses, two ways, side by side.
//!
//! ```text
//! cargo run --release --example status-aggregation -- [--statuses N] [--workers W]
//! ```
//!
//! 1. **The mutex way** ([`aggregate_responses`]): the classic pattern of one
//!    `Arc<Mutex<Metrics>>` shared by every worker, locked once per status, then reclaimed
//!    with `Arc::try_unwrap` after the threads join.
//! 2. **The metrique way** ([`aggregate_with_metrique`]): the tally *is* a wide event. Its
//!    fields are [`Counter`]s (atomics), the guard is turned into a cloneable
//!    [`handle()`](metrique::AppendAndCloseOnDrop::handle), every worker increments through its
//!    own clone without locking, and the record is written (as one CloudWatch EMF line on
//!    stdout) when the last clone drops.
//!
//! Both see the same deterministic list of statuses. The program checks that every count is
//! equal (exit code 1 otherwise) and prints both tallies and timings on stderr.
// Examples talk to the user on stdout/stderr by design.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::collections::{BTreeMap, HashMap};
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use metrique::emf::Emf;
use metrique::timers::Timer;
use metrique::unit_of_work::metrics;
use metrique::writer::{AttachGlobalEntrySinkExt, Entry, EntryWriter, FormatExt, GlobalEntrySink};
use metrique::{CloseValue, Counter, ServiceMetrics};

// ---------------------------------------------------------------------------------------------
// 1. The mutex way (as commonly written)
// ---------------------------------------------------------------------------------------------

#[derive(Default)]
struct Metrics {
    requests: u64,
    errors: u64,
    status_counts: HashMap<u16, u64>,
}

fn aggregate_responses(statuses: Vec<u16>, workers: usize) -> Metrics {
    let metrics = Arc::new(Mutex::new(Metrics::default()));
    let chunk_size = statuses.len().div_ceil(workers).max(1);

    let mut handles = Vec::with_capacity(workers);
    for chunk in statuses.chunks(chunk_size) {
        let metrics = Arc::clone(&metrics);
        let chunk = chunk.to_vec();

        handles.push(thread::spawn(move || {
            for status in chunk {
                let mut m = metrics.lock().unwrap();
                m.requests += 1;
                if status >= 400 {
                    m.errors += 1;
                }
                *m.status_counts.entry(status).or_insert(0) += 1;
            }
        }));
    }

    for handle in handles {
        handle.join().unwrap();
    }

    Arc::try_unwrap(metrics)
        .ok()
        .expect("all worker threads have finished")
        .into_inner()
        .unwrap()
}

// ---------------------------------------------------------------------------------------------
// 2. The metrique way
// ---------------------------------------------------------------------------------------------

/// The tally as one wide event. Every field can be updated through `&self`, so the record can
/// be shared by all workers through `handle()`.
#[metrics(rename_all = "PascalCase")]
struct StatusTally {
    requests: Counter,
    /// Statuses >= 400.
    errors: Counter,
    #[metrics(name = "Status1xx")]
    status_1xx: Counter,
    #[metrics(name = "Status2xx")]
    status_2xx: Counter,
    #[metrics(name = "Status3xx")]
    status_3xx: Counter,
    #[metrics(name = "Status4xx")]
    status_4xx: Counter,
    #[metrics(name = "Status5xx")]
    status_5xx: Counter,
    /// One counter per code, written as `Status200`, `Status404`, … (codes seen only).
    #[metrics(flatten_entry)]
    codes: StatusCodeCounters,
    workers: u64,
    /// From the first spawn to the last join.
    aggregation_time: Timer,
}

/// The per-code counters: an array of atomics indexed by `code - 100` (codes 100..=599).
///
/// This is how a metrics field type is written by hand: it implements [`CloseValue`] (by
/// reference, which the by-value impl reuses) and closes into [`StatusCodeCounts`], an
/// [`Entry`] that the parent record writes inline (`#[metrics(flatten_entry)]`).
struct StatusCodeCounters(Box<[Counter]>);

const FIRST_CODE: u16 = 100;
const LAST_CODE: u16 = 599;

impl StatusCodeCounters {
    fn new() -> Self {
        Self((FIRST_CODE..=LAST_CODE).map(|_| Counter::new(0)).collect())
    }

    fn increment(&self, code: u16) {
        self.0[usize::from(code - FIRST_CODE)].increment();
    }

    /// `(code, count)` for every code seen so far.
    fn counts(&self) -> BTreeMap<u16, u64> {
        (FIRST_CODE..=LAST_CODE)
            .zip(self.0.iter())
            .map(|(code, counter)| (code, counter.close()))
            .filter(|&(_, count)| count > 0)
            .collect()
    }
}

/// The closed form of [`StatusCodeCounters`]: field names are built once, at close.
struct StatusCodeCounts(Vec<(String, u64)>);

impl CloseValue for &StatusCodeCounters {
    type Closed = StatusCodeCounts;

    fn close(self) -> StatusCodeCounts {
        StatusCodeCounts(
            self.counts()
                .into_iter()
                .map(|(code, count)| (format!("Status{code}"), count))
                .collect(),
        )
    }
}

impl CloseValue for StatusCodeCounters {
    type Closed = StatusCodeCounts;

    fn close(self) -> StatusCodeCounts {
        (&self).close()
    }
}

impl Entry for StatusCodeCounts {
    fn write<'a>(&'a self, writer: &mut impl EntryWriter<'a>) {
        for (name, count) in &self.0 {
            writer.value(name.as_str(), count);
        }
    }
}

/// A `Counter` closes (by reference) to its current value.
fn read(counter: &Counter) -> u64 {
    counter.close()
}

/// The counts read back from the shared record, for the comparison.
struct Observed {
    requests: u64,
    errors: u64,
    by_class: [u64; 5],
    by_code: BTreeMap<u16, u64>,
}

fn aggregate_with_metrique(statuses: &Arc<[u16]>, workers: usize) -> Observed {
    let tally = StatusTally {
        requests: Counter::new(0),
        errors: Counter::new(0),
        status_1xx: Counter::new(0),
        status_2xx: Counter::new(0),
        status_3xx: Counter::new(0),
        status_4xx: Counter::new(0),
        status_5xx: Counter::new(0),
        codes: StatusCodeCounters::new(),
        workers: workers as u64,
        aggregation_time: Timer::start_now(),
    }
    .append_on_drop(ServiceMetrics::sink())
    // An `Arc` around the guard: cloneable, shared (`&`) access only, emitted on last drop.
    .handle();

    let chunk_size = statuses.len().div_ceil(workers).max(1);
    let mut threads = Vec::with_capacity(workers);
    for start in (0..statuses.len()).step_by(chunk_size) {
        let tally = tally.clone();
        let statuses = Arc::clone(statuses);
        threads.push(thread::spawn(move || {
            for &status in &statuses[start..(start + chunk_size).min(statuses.len())] {
                tally.requests.increment();
                if status >= 400 {
                    tally.errors.increment();
                }
                match status / 100 {
                    1 => tally.status_1xx.increment(),
                    2 => tally.status_2xx.increment(),
                    3 => tally.status_3xx.increment(),
                    4 => tally.status_4xx.increment(),
                    _ => tally.status_5xx.increment(),
                }
                tally.codes.increment(status);
            }
            // `tally` (this worker's clone) drops here.
        }));
    }
    for thread in threads {
        thread.join().expect("worker panicked");
    }

    // Counters close by reference to their current value: read them back for the comparison.
    let observed = Observed {
        requests: read(&tally.requests),
        errors: read(&tally.errors),
        by_class: [
            read(&tally.status_1xx),
            read(&tally.status_2xx),
            read(&tally.status_3xx),
            read(&tally.status_4xx),
            read(&tally.status_5xx),
        ],
        by_code: tally.codes.counts(),
    };
    // The last handle: the record is closed (timer stopped, atomics read) and appended.
    drop(tally);
    observed
}

// ---------------------------------------------------------------------------------------------
// The input: a deterministic, plausible mix of statuses
// ---------------------------------------------------------------------------------------------

/// `(status, weight in ‰)`.
const MIX: &[(u16, u64)] = &[
    (100, 1),
    (200, 700),
    (201, 40),
    (204, 30),
    (301, 20),
    (304, 30),
    (400, 20),
    (401, 15),
    (403, 10),
    (404, 60),
    (429, 14),
    (500, 35),
    (502, 10),
    (503, 10),
    (504, 5),
];

fn generate_statuses(n: usize) -> Vec<u16> {
    let total: u64 = MIX.iter().map(|&(_, w)| w).sum();
    // splitmix64: small, fast and good enough for a fixed workload.
    let mut state: u64 = 0x005E_ED0F_57A7_05E5;
    (0..n)
        .map(|_| {
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^= z >> 31;
            let mut pick = z % total;
            for &(status, weight) in MIX {
                if pick < weight {
                    return status;
                }
                pick -= weight;
            }
            unreachable!("pick < total")
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// main
// ---------------------------------------------------------------------------------------------

const USAGE: &str = "\
usage: status-aggregation [--statuses N] [--workers W]

Tallies N generated HTTP statuses (default 1000000) on W worker threads (default: one per core)
with an Arc<Mutex<..>> and with metrique Counters, checks that the counts are equal, prints both
on stderr and writes the metrique tally as one EMF record on stdout.";

fn parse_args() -> Result<Option<(usize, usize)>, lexopt::Error> {
    use lexopt::prelude::*;
    let mut statuses = 1_000_000;
    let mut workers = thread::available_parallelism().map_or(1, |n| n.get());
    let mut parser = lexopt::Parser::from_env();
    while let Some(arg) = parser.next()? {
        match arg {
            Short('h') | Long("help") => return Ok(None),
            Long("statuses") => statuses = parser.value()?.parse()?,
            Long("workers") => workers = parser.value()?.parse()?,
            _ => return Err(arg.unexpected()),
        }
    }
    if workers == 0 {
        return Err("--workers must be at least 1".into());
    }
    Ok(Some((statuses, workers)))
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}

fn main() -> ExitCode {
    let (n, workers) = match parse_args() {
        Ok(Some(args)) => args,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("status-aggregation: {e}\n\n{USAGE}");
            return ExitCode::FAILURE;
        }
    };
    let attach_handle = ServiceMetrics::attach_to_stream(
        Emf::all_validations("StatusAggregation".to_owned(), vec![vec![]])
            .output_to(std::io::stdout()),
    );

    let statuses = generate_statuses(n);
    let shared: Arc<[u16]> = statuses.clone().into();

    let t0 = Instant::now();
    let mutexed = aggregate_responses(statuses, workers);
    let mutex_time = t0.elapsed();

    let t0 = Instant::now();
    let observed = aggregate_with_metrique(&shared, workers);
    let metrique_time = t0.elapsed();

    // Wait until the record is written.
    drop(attach_handle);

    // Compare everything, and print both columns.
    let mut mutex_by_code: BTreeMap<u16, u64> = mutexed.status_counts.into_iter().collect();
    mutex_by_code.retain(|_, count| *count > 0);
    let mut mutex_by_class = [0u64; 5];
    for (&code, &count) in &mutex_by_code {
        mutex_by_class[usize::from(code / 100 - 1).min(4)] += count;
    }

    let mut rows: Vec<(String, u64, u64)> = vec![
        ("requests".into(), mutexed.requests, observed.requests),
        ("errors (>= 400)".into(), mutexed.errors, observed.errors),
    ];
    for (i, class) in ["1xx", "2xx", "3xx", "4xx", "5xx"].iter().enumerate() {
        rows.push((
            format!("status {class}"),
            mutex_by_class[i],
            observed.by_class[i],
        ));
    }
    let codes: std::collections::BTreeSet<u16> = mutex_by_code
        .keys()
        .chain(observed.by_code.keys())
        .copied()
        .collect();
    for code in codes {
        rows.push((
            format!("status {code}"),
            mutex_by_code.get(&code).copied().unwrap_or(0),
            observed.by_code.get(&code).copied().unwrap_or(0),
        ));
    }

    eprintln!("status-aggregation: {n} statuses, {workers} workers");
    eprintln!(
        "  {:<18} {:>20} {:>20}",
        "", "Arc<Mutex<Metrics>>", "metrique Counters"
    );
    eprintln!(
        "  {:<18} {:>20} {:>20}",
        "time",
        ms(mutex_time),
        ms(metrique_time)
    );
    for (label, a, b) in &rows {
        let mark = if a == b { "" } else { "   <-- differs" };
        eprintln!("  {label:<18} {a:>20} {b:>20}{mark}");
    }
    // Any difference is a bug: fail loudly (non-zero exit).
    assert_eq!(mutexed.requests, observed.requests, "requests differ");
    assert_eq!(mutexed.errors, observed.errors, "errors differ");
    assert_eq!(mutex_by_class, observed.by_class, "per-class counts differ");
    assert_eq!(mutex_by_code, observed.by_code, "per-code counts differ");
    eprintln!("counts equal: yes");
    ExitCode::SUCCESS
}
