//! Build one of this package's examples and return the path of its binary.
//!
//! `env!("CARGO_BIN_EXE_…")` exists only for `[[bin]]` targets, so the integration tests that
//! run examples ask cargo itself: `cargo build --example NAME --message-format=json` with the
//! same profile and features as the running test, and take the executable path from cargo's
//! `compiler-artifact` message. When `cargo test` has already built the example (it builds all
//! examples unless filtered), this is a no-op that only checks freshness; otherwise it builds
//! just that example. Either way the binary matches the current source.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The package's features that are enabled in this test build, so the nested build reuses
/// the already-compiled library instead of building another feature combination.
fn enabled_features() -> Vec<&'static str> {
    let mut features = Vec::new();
    if cfg!(feature = "service-metrics") {
        features.push("service-metrics");
    }
    if cfg!(feature = "emf") {
        features.push("emf");
    }
    if cfg!(feature = "json") {
        features.push("json");
    }
    if cfg!(feature = "local-format") {
        features.push("local-format");
    }
    if cfg!(feature = "test-util") {
        features.push("test-util");
    }
    features
}

/// `target/<profile>/deps/<test binary>` → the cargo profile that built it.
fn current_profile() -> String {
    let exe = std::env::current_exe().expect("current_exe");
    let profile_dir = exe
        .parent()
        .and_then(Path::parent)
        .and_then(Path::file_name)
        .and_then(|name| name.to_str())
        .unwrap_or("debug");
    match profile_dir {
        "debug" => "dev".to_owned(),
        other => other.to_owned(),
    }
}

/// Build the example `name` (if needed) and return its executable.
///
/// # Panics
/// If cargo fails or reports no executable for the example.
pub fn example_bin(name: &str) -> PathBuf {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut command = Command::new(cargo);
    command
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "build",
            "--quiet",
            "--message-format=json",
            "--example",
            name,
        ])
        .args(["--profile", &current_profile()])
        .arg("--no-default-features");
    let features = enabled_features();
    if !features.is_empty() {
        command.args(["--features", &features.join(",")]);
    }
    let output = command
        .stderr(Stdio::inherit())
        .output()
        .expect("run cargo build");
    assert!(
        output.status.success(),
        "cargo build --example {name} failed ({})",
        output.status
    );
    let stdout = String::from_utf8(output.stdout).expect("cargo prints UTF-8 JSON");
    for line in stdout.lines() {
        let Ok(message) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let is_example = message["reason"] == "compiler-artifact"
            && message["target"]["name"] == name
            && message["target"]["kind"]
                .as_array()
                .is_some_and(|kinds| kinds.iter().any(|kind| kind == "example"));
        if let (true, Some(executable)) = (is_example, message["executable"].as_str()) {
            return PathBuf::from(executable);
        }
    }
    panic!("cargo reported no executable for example {name}");
}
