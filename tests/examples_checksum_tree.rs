//! The `checksum-tree` example on a generated tree: one JSON record per walked entry, with the
//! right sizes, checksums and outcomes, and one run record whose counters add up.
#![cfg(unix)]
// The test explains on stderr which checks the environment lets it make.
#![allow(clippy::print_stderr)]

#[path = "common/example_bin.rs"]
mod example_bin;

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::fs;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// What the test expects for one walked entry.
#[derive(Debug)]
struct Expected {
    outcome: &'static str,
    /// `(size, blake3 hex)` for hashed files.
    contents: Option<(u64, String)>,
}

fn pseudo_random_bytes(len: usize) -> Vec<u8> {
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state as u8
        })
        .collect()
}

fn write_file(expected: &mut BTreeMap<String, Expected>, path: PathBuf, data: &[u8]) {
    fs::write(&path, data).unwrap();
    let outcome = if path.file_name().unwrap().to_str().is_some() {
        "Ok"
    } else {
        "NotUtf8Name"
    };
    expected.insert(
        path.to_string_lossy().into_owned(),
        Expected {
            outcome,
            contents: Some((data.len() as u64, blake3::hash(data).to_hex().to_string())),
        },
    );
}

/// Builds the tree; returns what every entry should be reported as.
fn build_tree(root: &Path) -> BTreeMap<String, Expected> {
    let mut expected = BTreeMap::new();
    let deep = root.join("nested").join("deeper").join("deepest");
    fs::create_dir_all(&deep).unwrap();
    fs::create_dir_all(root.join("empty-dir")).unwrap();

    write_file(&mut expected, root.join("hello.txt"), b"hello, world\n");
    write_file(&mut expected, root.join("empty"), b"");
    write_file(
        &mut expected,
        root.join("nested").join("notes.md"),
        b"# notes\n",
    );
    write_file(
        &mut expected,
        deep.join("big.bin"),
        &pseudo_random_bytes(5 << 20),
    );
    // 300 KiB: more than one read buffer.
    write_file(
        &mut expected,
        root.join("nested").join("medium.bin"),
        &pseudo_random_bytes(300 << 10),
    );
    write_file(
        &mut expected,
        root.join(OsStr::from_bytes(b"bad-\xff-name.txt")),
        b"a file whose name is not UTF-8\n",
    );

    // Symlinks are reported, never followed.
    symlink("does-not-exist", root.join("broken-link")).unwrap();
    expected.insert(
        root.join("broken-link").to_string_lossy().into_owned(),
        Expected {
            outcome: "BrokenSymlink",
            contents: None,
        },
    );
    symlink("hello.txt", root.join("good-link")).unwrap();
    expected.insert(
        root.join("good-link").to_string_lossy().into_owned(),
        Expected {
            outcome: "Symlink",
            contents: None,
        },
    );
    // A loop: a -> b -> a.
    symlink("loop-b", root.join("nested").join("loop-a")).unwrap();
    symlink("loop-a", root.join("nested").join("loop-b")).unwrap();
    for name in ["loop-a", "loop-b"] {
        expected.insert(
            root.join("nested")
                .join(name)
                .to_string_lossy()
                .into_owned(),
            Expected {
                outcome: "BrokenSymlink",
                contents: None,
            },
        );
    }
    // A symlink to a directory must not be descended into.
    symlink("nested", root.join("dir-link")).unwrap();
    expected.insert(
        root.join("dir-link").to_string_lossy().into_owned(),
        Expected {
            outcome: "Symlink",
            contents: None,
        },
    );

    // An unreadable file. Root (and CAP_DAC_OVERRIDE) reads it anyway: then it is just a file.
    let unreadable = root.join("nested").join("secret.txt");
    fs::write(&unreadable, b"top secret\n").unwrap();
    fs::set_permissions(&unreadable, fs::Permissions::from_mode(0o000)).unwrap();
    if fs::File::open(&unreadable).is_ok() {
        eprintln!(
            "note: running with privileges that ignore file modes (root?); the \
             `Unreadable` outcome can't be produced here and is not checked"
        );
        expected.insert(
            unreadable.to_string_lossy().into_owned(),
            Expected {
                outcome: "Ok",
                contents: Some((11, blake3::hash(b"top secret\n").to_hex().to_string())),
            },
        );
    } else {
        expected.insert(
            unreadable.to_string_lossy().into_owned(),
            Expected {
                outcome: "Unreadable",
                contents: None,
            },
        );
    }

    // A FIFO: reported, never opened (opening it would block the worker forever).
    let fifo = root.join("fifo");
    match Command::new("mkfifo").arg(&fifo).status() {
        Ok(status) if status.success() => {
            expected.insert(
                fifo.to_string_lossy().into_owned(),
                Expected {
                    outcome: "SpecialFile",
                    contents: None,
                },
            );
        }
        _ => eprintln!("note: mkfifo unavailable; the `SpecialFile` outcome is not checked"),
    }
    expected
}

fn metric(event: &Value, name: &str) -> Option<f64> {
    event["metrics"][name]["value"].as_f64()
}

fn property<'a>(event: &'a Value, name: &str) -> Option<&'a str> {
    event["properties"][name].as_str()
}

#[test]
fn one_json_record_per_entry_and_one_per_run() {
    let bin = example_bin::example_bin("checksum-tree");
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("tree");
    fs::create_dir(&root).unwrap();
    let expected = build_tree(&root);
    let out = dir.path().join("records.jsonl");

    let output = Command::new(&bin)
        .arg(&root)
        .args(["--format", "json", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "checksum-tree failed: {stderr}");
    assert!(output.stdout.is_empty(), "records go to --out, not stdout");
    assert!(
        stderr.contains("checksum-tree: "),
        "summary line on stderr: {stderr}"
    );

    let text = fs::read_to_string(&out).unwrap();
    let events: Vec<Value> = text
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect();
    let (runs, files): (Vec<&Value>, Vec<&Value>) =
        events.iter().partition(|e| property(e, "Root").is_some());
    assert_eq!(runs.len(), 1, "exactly one run record");

    // One file record per entry, none for directories, nothing reported twice.
    let mut by_path = BTreeMap::new();
    for event in &files {
        let path = property(event, "Path").expect("every file record has a Path");
        assert!(
            by_path.insert(path, *event).is_none(),
            "reported twice: {path}"
        );
        assert!(property(event, "WorkerId").is_some(), "{event}");
        assert!(metric(event, "HashTime").is_some(), "{event}");
    }
    let reported: Vec<&str> = by_path.keys().copied().collect();
    let wanted: Vec<&str> = expected.keys().map(String::as_str).collect();
    assert_eq!(reported, wanted);

    let mut tally = BTreeMap::<&str, u64>::new();
    let mut hashed_bytes = 0;
    for (path, want) in &expected {
        let event = by_path[path.as_str()];
        let outcome = property(event, "Outcome").unwrap();
        assert_eq!(outcome, want.outcome, "outcome of {path}: {event}");
        *tally.entry(outcome).or_default() += 1;
        match &want.contents {
            Some((size, checksum)) => {
                assert_eq!(metric(event, "Size"), Some(*size as f64), "size of {path}");
                assert_eq!(event["metrics"]["Size"]["unit"], "Bytes");
                assert_eq!(
                    property(event, "Checksum"),
                    Some(checksum.as_str()),
                    "{path}"
                );
                hashed_bytes += size;
            }
            None => {
                assert_eq!(property(event, "Checksum"), None, "{path}: {event}");
                if want.outcome != "Symlink" && want.outcome != "SpecialFile" {
                    assert!(property(event, "Error").is_some(), "{path}: {event}");
                }
            }
        }
    }
    assert!(
        by_path.keys().any(|path| path.contains('\u{FFFD}')),
        "the non-UTF-8 name is printed lossily"
    );

    // The run record adds up.
    let run = runs[0];
    let count = |outcomes: &[&str]| -> f64 {
        outcomes
            .iter()
            .map(|o| tally.get(o).copied().unwrap_or(0))
            .sum::<u64>() as f64
    };
    assert_eq!(metric(run, "Files"), Some(files.len() as f64), "{run}");
    assert_eq!(
        metric(run, "Hashed"),
        Some(count(&["Ok", "NotUtf8Name"])),
        "{run}"
    );
    assert_eq!(metric(run, "Bytes"), Some(hashed_bytes as f64), "{run}");
    assert_eq!(
        metric(run, "Errors"),
        Some(count(&["Unreadable", "UnreadableDir", "BrokenSymlink"])),
        "{run}"
    );
    assert_eq!(
        metric(run, "Skipped"),
        Some(count(&["Symlink", "SpecialFile"])),
        "{run}"
    );
    let workers = metric(run, "Workers").expect("Workers");
    assert!(workers >= 1.0);
    assert!(metric(run, "WallTime").is_some(), "{run}");
    assert!(metric(run, "BusyTime").is_some(), "{run}");
    // Per-worker lists: one element per worker, the file counts add up to Files.
    let worker_files = run["properties"]["WorkerFiles"]
        .as_array()
        .unwrap_or_else(|| panic!("WorkerFiles list: {run}"));
    assert_eq!(worker_files.len() as f64, workers);
    let sum: f64 = worker_files.iter().map(|v| v.as_f64().unwrap()).sum();
    assert_eq!(sum, files.len() as f64);
    let busy = run["properties"]["WorkerBusyTime"]
        .as_array()
        .unwrap_or_else(|| panic!("WorkerBusyTime list: {run}"));
    assert_eq!(busy.len() as f64, workers);
}

#[test]
fn emf_on_stdout_by_default() {
    let bin = example_bin::example_bin("checksum-tree");
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a"), b"a").unwrap();
    fs::create_dir(dir.path().join("sub")).unwrap();
    fs::write(dir.path().join("sub").join("b"), b"bb").unwrap();

    let output = Command::new(&bin)
        .arg(dir.path())
        .args(["--namespace", "TestNs"])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3, "two files and the run: {stdout}");
    for line in &lines {
        let directive = &line["_aws"]["CloudWatchMetrics"][0];
        assert_eq!(directive["Namespace"], "TestNs", "{line}");
        // Every declared metric has a value at the top level.
        for definition in directive["Metrics"].as_array().unwrap() {
            let name = definition["Name"].as_str().unwrap();
            assert!(
                line.get(name).is_some(),
                "metric {name} declared without a value: {line}"
            );
        }
    }
    let sizes: Vec<f64> = lines.iter().filter_map(|l| l["Size"].as_f64()).collect();
    assert_eq!(sizes.iter().sum::<f64>(), 3.0);
}

#[test]
fn help_and_bad_arguments() {
    let bin = example_bin::example_bin("checksum-tree");
    let help = Command::new(&bin).arg("--help").output().unwrap();
    assert!(help.status.success());
    assert!(String::from_utf8_lossy(&help.stdout).contains("--format"));

    let bad = Command::new(&bin)
        .args(["--format", "xml"])
        .output()
        .unwrap();
    assert!(!bad.status.success());
    let missing = Command::new(&bin)
        .arg("/definitely/not/here")
        .output()
        .unwrap();
    assert!(!missing.status.success());
    assert!(missing.stdout.is_empty());
}
