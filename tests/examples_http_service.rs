//! The `http-service` example in load mode: N real HTTP requests over loopback produce exactly
//! N request records, whose statuses match what the client saw.

#[path = "common/example_bin.rs"]
mod example_bin;

use std::collections::BTreeMap;
use std::fs;
use std::process::Command;

use serde_json::Value;

/// `  status 404: 33` lines of the summary printed on stderr.
fn client_statuses(stderr: &str) -> BTreeMap<u64, u64> {
    stderr
        .lines()
        .filter_map(|line| line.trim().strip_prefix("status "))
        .map(|rest| {
            let (status, count) = rest.split_once(':').expect("`status N: C`");
            (
                status.trim().parse().unwrap(),
                count.trim().parse().unwrap(),
            )
        })
        .collect()
}

#[test]
fn every_request_has_one_record() {
    const REQUESTS: u64 = 200;
    let bin = example_bin::example_bin("http-service");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("requests.jsonl");
    let output = Command::new(&bin)
        .args(["--requests", &REQUESTS.to_string(), "--concurrency", "8"])
        .args(["--format", "json", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "http-service failed: {stderr}");

    // What the client saw. The route mix is cycled in a fixed order (period 6: hello, echo,
    // downstream, missing, fail, hello), so the counts are known in advance.
    let seen = client_statuses(&stderr);
    let expected: BTreeMap<u64, u64> = [(200, 134), (404, 33), (500, 33)].into();
    assert_eq!(seen, expected, "client summary: {stderr}");

    // What the service recorded.
    let text = fs::read_to_string(&out).unwrap();
    let events: Vec<Value> = text
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect();
    assert_eq!(events.len() as u64, REQUESTS, "one record per request");

    let mut recorded = BTreeMap::<u64, u64>::new();
    let mut operations = BTreeMap::<String, u64>::new();
    for event in &events {
        let metrics = &event["metrics"];
        let properties = &event["properties"];
        let status = metrics["Status"]["value"]
            .as_u64()
            .unwrap_or_else(|| panic!("{event}"));
        *recorded.entry(status).or_default() += 1;
        let operation = properties["Operation"]
            .as_str()
            .unwrap_or_else(|| panic!("{event}"));
        *operations.entry(operation.to_owned()).or_default() += 1;

        assert!(metrics["Latency"]["value"].as_f64().is_some(), "{event}");
        assert_eq!(metrics["Latency"]["unit"], "Milliseconds", "{event}");
        assert!(
            metrics["InFlight"]["value"].as_u64().unwrap() >= 1,
            "{event}"
        );
        assert!(
            metrics["ConfigVersion"]["value"].as_u64().unwrap() >= 1,
            "{event}"
        );
        assert!(properties["ConfigGreeting"].as_str().is_some(), "{event}");
        // The downstream slot is filled before the record is written (OnParentDrop::Wait),
        // and only for /downstream.
        let downstream = metrics.get("DownstreamAttempts").is_some();
        assert_eq!(downstream, operation == "Downstream", "{event}");
        if downstream {
            assert_eq!(metrics["DownstreamAttempts"]["value"], 1, "{event}");
            assert!(
                metrics["DownstreamLatency"]["value"].as_f64().is_some(),
                "{event}"
            );
        }
    }
    assert_eq!(
        recorded, seen,
        "statuses recorded by the service vs seen by the client"
    );
    let expected_operations: BTreeMap<String, u64> = [
        ("Hello", 67),
        ("Echo", 34),
        ("Downstream", 33),
        ("NotFound", 33),
        ("Fail", 33),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    assert_eq!(operations, expected_operations);
}
