//! `checksum-tree`: checksum every file under a directory, one wide event per file.
//!
//! ```text
//! cargo run --release --example checksum-tree -- [DIR] [--format emf|json|local] [--out FILE] [--namespace NS]
//! ```
//!
//! The main thread walks the tree and sends every non-directory entry into a bounded
//! [`crossbeam_channel`]; one worker per core pulls entries from it, hashes regular files with
//! BLAKE3 (streaming reads into a reused 256 KiB buffer) and emits one [`FileMetrics`] record per
//! entry. One [`RunMetrics`] record per run collects the totals: every worker holds a clone of its
//! [`handle()`](metrique::AppendAndCloseOnDrop::handle) and bumps shared [`Counter`]s, and reports
//! its own busy time and file count through a [`Slot`] of its own.
//!
//! Records go through the global [`ServiceMetrics`] sink, i.e. a background queue that formats
//! them as CloudWatch EMF (default), JSON lines, or the human-readable local format, to stdout or
//! to `--out FILE`. Dropping the [`AttachHandle`](metrique::writer::sink::AttachHandle) at the end
//! drains the queue, so every record is written before the process exits.
//!
//! What is reported, and how (`Outcome` in each file record):
//!
//! | entry | outcome | counted as |
//! |---|---|---|
//! | regular file, hashed | `Ok` | hashed |
//! | regular file whose name is not UTF-8 (the path is printed lossily, U+FFFD) | `NotUtf8Name` | hashed |
//! | file that can't be opened or read (the `Error` property says why) | `Unreadable` | error |
//! | directory that can't be listed | `UnreadableDir` | error |
//! | symlink whose target is missing, or a symlink loop | `BrokenSymlink` | error |
//! | symlink to an existing target | `Symlink` | skipped |
//! | FIFO, socket or device | `SpecialFile` | skipped |
//!
//! Symlinks are **never followed** (neither to files nor to directories): that keeps the walk
//! free of loops and counts every file once. They get an event of their own, with the link
//! target as the `LinkTarget` property. FIFOs are never opened (opening one would block).
//!
//! The exit code is 0 whatever the outcomes were (they are data, not failures); it is 1 for an
//! unusable command line or if the output file can't be created, 2 if the root can't be read.
// Examples talk to the user on stdout/stderr by design.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::fs::{self, File};
use std::io::{self, BufWriter, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, Sender};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use metrique::emf::Emf;
use metrique::json::Json;
use metrique::timers::Timer;
use metrique::unit::{Byte, Microsecond};
use metrique::unit_of_work::metrics;
use metrique::writer::format::Format;
use metrique::writer::sink::AttachHandle;
use metrique::writer::{AttachGlobalEntrySinkExt, FormatExt, GlobalEntrySink};
use metrique::{Counter, OnParentDrop, ServiceMetrics, Slot, SlotGuard};

/// Size of the read buffer each worker reuses for every file.
const READ_BUFFER: usize = 256 * 1024;

/// How many walked entries may wait in the channel before the walker blocks.
const QUEUE_DEPTH: usize = 4096;

// ---------------------------------------------------------------------------------------------
// The records
// ---------------------------------------------------------------------------------------------

/// What happened to one walked entry. Written as a string property (`"Outcome":"Ok"`).
#[metrics(value(string))]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    /// A regular file, hashed.
    Ok,
    /// A regular file whose name is not valid UTF-8, hashed; `Path` is the lossy form.
    NotUtf8Name,
    /// A file that could not be opened or read.
    Unreadable,
    /// A directory that could not be listed; its contents are missing from the run.
    UnreadableDir,
    /// A symlink whose target does not exist (or a symlink loop).
    BrokenSymlink,
    /// A symlink to an existing target: reported, not followed.
    Symlink,
    /// A FIFO, socket or device: reported, never opened.
    SpecialFile,
}

impl Outcome {
    fn is_error(&self) -> bool {
        matches!(
            self,
            Outcome::Unreadable | Outcome::UnreadableDir | Outcome::BrokenSymlink
        )
    }

    fn is_hashed(&self) -> bool {
        matches!(self, Outcome::Ok | Outcome::NotUtf8Name)
    }
}

/// One wide event per walked entry.
#[metrics(rename_all = "PascalCase")]
struct FileMetrics {
    /// The path as walked (root joined with the relative path), lossily converted to UTF-8.
    path: String,
    outcome: Outcome,
    /// Bytes hashed (regular files), or the length from the directory entry otherwise.
    #[metrics(unit = Byte)]
    size: Option<u64>,
    /// BLAKE3 of the contents, lowercase hex (only when hashed).
    checksum: Option<String>,
    /// Time spent opening, reading and hashing (stopped before the record is emitted).
    hash_time: Timer,
    /// The worker that handled the entry (`"1"`..`"N"`).
    worker_id: Arc<str>,
    /// Why the entry couldn't be handled.
    error: Option<String>,
    /// Where a symlink points.
    link_target: Option<String>,
}

/// One wide event per run: totals fanned in from every worker.
#[metrics(rename_all = "PascalCase")]
struct RunMetrics {
    /// The directory given on the command line.
    root: String,
    /// Number of worker threads.
    workers: u64,
    /// Entries reported (one file record each).
    files: Counter,
    /// Regular files hashed (`Ok` + `NotUtf8Name`).
    hashed: Counter,
    /// Bytes hashed.
    #[metrics(unit = Byte)]
    bytes: Counter,
    /// `Unreadable` + `UnreadableDir` + `BrokenSymlink`.
    errors: Counter,
    /// `Symlink` + `SpecialFile`.
    skipped: Counter,
    /// Sum over workers of the time spent handling entries.
    #[metrics(unit = Microsecond)]
    busy_time: Counter,
    /// Per worker, in worker order: files handled (a list property).
    worker_files: Vec<Slot<u64>>,
    /// Per worker, in worker order: busy time in milliseconds (a list property).
    worker_busy_time: Vec<Slot<Duration>>,
    /// From start of the walk to the end of the last worker.
    wall_time: Timer,
}

// ---------------------------------------------------------------------------------------------
// Command line
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum OutputFormat {
    Emf,
    Json,
    Local,
}

#[derive(Debug)]
struct Args {
    root: PathBuf,
    format: OutputFormat,
    out: Option<PathBuf>,
    namespace: String,
}

const USAGE: &str = "\
usage: checksum-tree [DIR] [--format emf|json|local] [--out FILE] [--namespace NS]

Checksums (BLAKE3) every file under DIR (default: .) with one worker per core, and writes one
metrics record per file plus one per run.

  --format FMT      emf (CloudWatch Embedded Metric Format, default), json (JSON lines), or
                    local (human readable; needs the `local-format` feature)
  --out FILE        write records to FILE instead of stdout
  --namespace NS    EMF namespace (default: ChecksumTree)
  -h, --help        show this help

Symlinks are reported, never followed. A progress bar is drawn on stderr when it is a terminal;
a one-line summary is always printed on stderr.";

fn parse_args() -> Result<Option<Args>, lexopt::Error> {
    use lexopt::prelude::*;
    let mut root: Option<PathBuf> = None;
    let mut format = OutputFormat::Emf;
    let mut out = None;
    let mut namespace = "ChecksumTree".to_owned();
    let mut parser = lexopt::Parser::from_env();
    while let Some(arg) = parser.next()? {
        match arg {
            Short('h') | Long("help") => return Ok(None),
            Long("format") => {
                let value = parser.value()?;
                format = match value.to_str() {
                    Some("emf") => OutputFormat::Emf,
                    Some("json") => OutputFormat::Json,
                    Some("local") => OutputFormat::Local,
                    _ => {
                        return Err(lexopt::Error::UnexpectedValue {
                            option: "--format".into(),
                            value,
                        });
                    }
                };
            }
            Long("out") => out = Some(PathBuf::from(parser.value()?)),
            Long("namespace") => namespace = parser.value()?.string()?,
            Value(dir) if root.is_none() => root = Some(PathBuf::from(dir)),
            _ => return Err(arg.unexpected()),
        }
    }
    Ok(Some(Args {
        root: root.unwrap_or_else(|| PathBuf::from(".")),
        format,
        out,
        namespace,
    }))
}

// ---------------------------------------------------------------------------------------------
// Output: attach the global sink to a background queue writing the chosen format
// ---------------------------------------------------------------------------------------------

fn attach_output(args: &Args) -> io::Result<AttachHandle> {
    let out: Box<dyn Write + Send> = match &args.out {
        Some(path) => Box::new(BufWriter::with_capacity(1 << 20, File::create(path)?)),
        None => Box::new(io::stdout()),
    };
    Ok(match args.format {
        OutputFormat::Emf => attach(
            Emf::all_validations(args.namespace.clone(), vec![vec![]]),
            out,
        ),
        OutputFormat::Json => attach(Json::new(), out),
        OutputFormat::Local => attach_local(out)?,
    })
}

fn attach(format: impl Format + Send + 'static, out: Box<dyn Write + Send>) -> AttachHandle {
    ServiceMetrics::attach_to_stream(format.output_to(out))
}

#[cfg(feature = "local-format")]
fn attach_local(out: Box<dyn Write + Send>) -> io::Result<AttachHandle> {
    Ok(attach(
        metrique::local::LocalFormat::new(metrique::local::OutputStyle::pretty()),
        out,
    ))
}

#[cfg(not(feature = "local-format"))]
fn attach_local(_out: Box<dyn Write + Send>) -> io::Result<AttachHandle> {
    Err(io::Error::other(
        "--format local needs the `local-format` feature: \
         cargo run --release --features local-format --example checksum-tree -- …",
    ))
}

// ---------------------------------------------------------------------------------------------
// Walking
// ---------------------------------------------------------------------------------------------

/// One unit of work for a worker: a walked entry that is not a directory we descend into.
#[derive(Debug)]
struct WorkItem {
    path: PathBuf,
    kind: Kind,
}

#[derive(Debug)]
enum Kind {
    /// A regular file, with the length seen while walking.
    File {
        len: u64,
    },
    Symlink,
    Special {
        len: u64,
    },
    /// Listing the directory (or reading the entry's type) failed.
    WalkError {
        error: io::Error,
        dir: bool,
    },
}

/// Depth-first walk from `root` (iterative, so deep trees don't grow the stack). Sends every
/// non-directory entry to the workers; directories are descended into, symlinks never are.
fn walk(root: &Path, tx: &Sender<WorkItem>, progress: &ProgressBar) {
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let entries = match fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(error) => {
                send(tx, dir, Kind::WalkError { error, dir: true });
                continue;
            }
        };
        let mut subdirs = Vec::new();
        for entry in entries {
            let entry = match entry {
                Ok(entry) => entry,
                Err(error) => {
                    send(tx, dir.clone(), Kind::WalkError { error, dir: true });
                    break;
                }
            };
            let path = entry.path();
            // `file_type` does not follow symlinks (and is free on most platforms).
            let kind = match entry.file_type() {
                Ok(t) if t.is_dir() => {
                    subdirs.push(path);
                    continue;
                }
                Ok(t) if t.is_symlink() => Kind::Symlink,
                Ok(t) => {
                    let len = entry.metadata().map(|m| m.len()).unwrap_or(0);
                    progress.inc_length(len);
                    if t.is_file() {
                        Kind::File { len }
                    } else {
                        Kind::Special { len }
                    }
                }
                Err(error) => Kind::WalkError { error, dir: false },
            };
            send(tx, path, kind);
        }
        // Visit subdirectories in name order (reversed onto the stack) for a stable order.
        subdirs.sort_unstable_by(|a, b| b.cmp(a));
        stack.extend(subdirs);
    }
}

fn send(tx: &Sender<WorkItem>, path: PathBuf, kind: Kind) {
    // The receivers live until every sender is gone, so this cannot fail.
    tx.send(WorkItem { path, kind })
        .expect("workers outlive the walk");
}

// ---------------------------------------------------------------------------------------------
// Workers
// ---------------------------------------------------------------------------------------------

/// What a worker tells the main thread when it exits (for the human summary).
#[derive(Debug, Default, Clone, Copy)]
struct Tally {
    files: u64,
    hashed: u64,
    bytes: u64,
    errors: u64,
    skipped: u64,
}

impl std::ops::AddAssign for Tally {
    fn add_assign(&mut self, other: Tally) {
        self.files += other.files;
        self.hashed += other.hashed;
        self.bytes += other.bytes;
        self.errors += other.errors;
        self.skipped += other.skipped;
    }
}

struct Worker {
    id: Arc<str>,
    rx: Receiver<WorkItem>,
    run: RunMetricsHandle,
    files_slot: SlotGuard<u64>,
    busy_slot: SlotGuard<Duration>,
    progress: ProgressBar,
    buffer: Vec<u8>,
}

impl Worker {
    /// Pull work items until the channel is closed and drained, as in a classic
    /// single-producer/multi-consumer work queue.
    fn run(mut self) -> Tally {
        let mut tally = Tally::default();
        let mut busy = Duration::ZERO;
        while let Ok(item) = self.rx.recv() {
            let started = Instant::now();
            let (outcome, hashed_bytes) = self.handle(item);
            let elapsed = started.elapsed();
            busy += elapsed;

            // Fan in: every worker bumps the same counters through its handle clone.
            let run = &self.run;
            run.files.increment();
            run.busy_time.add(micros(elapsed));
            tally.files += 1;
            if outcome.is_hashed() {
                run.hashed.increment();
                run.bytes.add(hashed_bytes);
                tally.hashed += 1;
                tally.bytes += hashed_bytes;
            } else if outcome.is_error() {
                run.errors.increment();
                tally.errors += 1;
            } else {
                run.skipped.increment();
                tally.skipped += 1;
            }
        }
        // Report this worker's share into its own slots of the run record. Dropping the slot
        // guards (with `self`) sends the values to the parent.
        *self.files_slot = tally.files;
        *self.busy_slot = busy;
        tally
    }

    /// Handle one entry: emits its file record (when `metrics` drops at the end) and returns
    /// the outcome and the number of bytes hashed.
    fn handle(&mut self, item: WorkItem) -> (Outcome, u64) {
        let mut metrics = FileMetrics {
            path: item.path.to_string_lossy().into_owned(),
            outcome: Outcome::Ok,
            size: None,
            checksum: None,
            hash_time: Timer::start_now(),
            worker_id: self.id.clone(),
            error: None,
            link_target: None,
        }
        .append_on_drop(ServiceMetrics::sink());

        let name_is_utf8 = item
            .path
            .file_name()
            .is_none_or(|name| name.to_str().is_some());
        let mut hashed = 0;
        metrics.outcome = match item.kind {
            Kind::File { len } => match self.hash_file(&item.path) {
                Ok((checksum, bytes)) => {
                    metrics.size = Some(bytes);
                    metrics.checksum = Some(checksum);
                    hashed = bytes;
                    if name_is_utf8 {
                        Outcome::Ok
                    } else {
                        Outcome::NotUtf8Name
                    }
                }
                Err(error) => {
                    metrics.size = Some(len);
                    metrics.error = Some(error.to_string());
                    // The walker counted these bytes into the progress total; don't wait for them.
                    self.progress.inc(len);
                    Outcome::Unreadable
                }
            },
            Kind::Symlink => {
                metrics.link_target = fs::read_link(&item.path)
                    .ok()
                    .map(|target| target.to_string_lossy().into_owned());
                // `metadata` follows the link: missing target or loop => broken.
                match fs::metadata(&item.path) {
                    Ok(_) => Outcome::Symlink,
                    Err(error) => {
                        metrics.error = Some(error.to_string());
                        Outcome::BrokenSymlink
                    }
                }
            }
            Kind::Special { len } => {
                metrics.size = Some(len);
                self.progress.inc(len);
                Outcome::SpecialFile
            }
            Kind::WalkError { error, dir } => {
                metrics.error = Some(error.to_string());
                if dir {
                    Outcome::UnreadableDir
                } else {
                    Outcome::Unreadable
                }
            }
        };
        metrics.hash_time.stop();
        (metrics.outcome, hashed)
    }

    /// Stream the file through BLAKE3. Returns the hex digest and the number of bytes read.
    fn hash_file(&mut self, path: &Path) -> io::Result<(String, u64)> {
        let mut file = File::open(path)?;
        let mut hasher = blake3::Hasher::new();
        let mut total = 0u64;
        loop {
            let n = match file.read(&mut self.buffer) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            hasher.update(&self.buffer[..n]);
            total += n as u64;
            self.progress.inc(n as u64);
        }
        Ok((hasher.finalize().to_hex().to_string(), total))
    }
}

fn micros(d: Duration) -> u64 {
    u64::try_from(d.as_micros()).unwrap_or(u64::MAX)
}

// ---------------------------------------------------------------------------------------------
// main
// ---------------------------------------------------------------------------------------------

fn progress_bar() -> ProgressBar {
    if !io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} ({bytes_per_sec})",
        )
        .expect("valid template"),
    );
    bar.enable_steady_tick(Duration::from_millis(100));
    bar
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(Some(args)) => args,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("checksum-tree: {e}\n\n{USAGE}");
            return ExitCode::FAILURE;
        }
    };
    if let Err(e) = fs::read_dir(&args.root) {
        eprintln!("checksum-tree: can't read {}: {e}", args.root.display());
        return ExitCode::from(2);
    }
    let attach_handle = match attach_output(&args) {
        Ok(handle) => handle,
        Err(e) => {
            eprintln!("checksum-tree: {e}");
            return ExitCode::FAILURE;
        }
    };

    let workers = thread::available_parallelism().map_or(1, |n| n.get());
    let started = Instant::now();
    let progress = progress_bar();

    // The run record: open one pair of slots per worker while we still own the record
    // (opening needs `&mut`), then turn it into a shareable handle for the fan-in.
    let mut run = RunMetrics {
        root: args.root.to_string_lossy().into_owned(),
        workers: workers as u64,
        files: Counter::new(0),
        hashed: Counter::new(0),
        bytes: Counter::new(0),
        errors: Counter::new(0),
        skipped: Counter::new(0),
        busy_time: Counter::new(0),
        worker_files: (0..workers).map(|_| Slot::default()).collect(),
        worker_busy_time: (0..workers).map(|_| Slot::default()).collect(),
        wall_time: Timer::start_now(),
    }
    .append_on_drop(ServiceMetrics::sink());
    let mut slots = Vec::with_capacity(workers);
    for i in 0..workers {
        // `Wait` keeps the run record open until the worker has reported (it also holds a
        // flush guard; we join the workers anyway, so `Discard` would work as well here).
        let flush_guard = run.flush_guard();
        let files = run.worker_files[i]
            .open(OnParentDrop::Wait(flush_guard))
            .expect("fresh slot");
        let flush_guard = run.flush_guard();
        let busy = run.worker_busy_time[i]
            .open(OnParentDrop::Wait(flush_guard))
            .expect("fresh slot");
        slots.push((files, busy));
    }
    let run = run.handle();

    let (tx, rx) = crossbeam_channel::bounded::<WorkItem>(QUEUE_DEPTH);
    let threads: Vec<_> = slots
        .into_iter()
        .enumerate()
        .map(|(i, (files_slot, busy_slot))| {
            let worker = Worker {
                id: Arc::from((i + 1).to_string()),
                rx: rx.clone(),
                run: run.clone(),
                files_slot,
                busy_slot,
                progress: progress.clone(),
                buffer: vec![0; READ_BUFFER],
            };
            thread::Builder::new()
                .name(format!("checksum-worker-{}", i + 1))
                .spawn(move || worker.run())
                .expect("spawn worker thread")
        })
        .collect();
    drop(rx);

    walk(&args.root, &tx, &progress);
    // Close the sending side: workers exit once the channel is drained.
    drop(tx);

    let mut total = Tally::default();
    for thread in threads {
        total += thread.join().expect("worker panicked");
    }
    let wall = started.elapsed();
    // Last handle: the run record is closed (timer stopped, counters read, slots collected)
    // and appended now.
    drop(run);
    progress.finish_and_clear();
    // Drain the background queue and flush the output before exiting.
    drop(attach_handle);

    let mb = total.bytes as f64 / 1e6;
    let secs = wall.as_secs_f64().max(1e-9);
    eprintln!(
        "checksum-tree: {} files ({} hashed, {} errors, {} skipped), {:.1} MB in {:.2} s = {:.1} MB/s, {} workers",
        total.files,
        total.hashed,
        total.errors,
        total.skipped,
        mb,
        secs,
        mb / secs,
        workers,
    );
    ExitCode::SUCCESS
}
