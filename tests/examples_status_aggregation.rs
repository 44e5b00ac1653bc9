//! The `status-aggregation` example: the mutex tally and the metrique tally agree, and the
//! metrique one is written as one EMF record on stdout.

#[path = "common/example_bin.rs"]
mod example_bin;

use std::process::Command;

use serde_json::Value;

#[test]
fn both_tallies_agree() {
    const STATUSES: u64 = 200_000;
    let bin = example_bin::example_bin("status-aggregation");
    let output = Command::new(&bin)
        .args(["--statuses", &STATUSES.to_string(), "--workers", "4"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "status-aggregation failed: {stderr}"
    );
    assert!(stderr.contains("counts equal: yes"), "{stderr}");

    // Every row of the side-by-side table has two equal numbers.
    let mut rows = 0;
    for line in stderr.lines() {
        let fields: Vec<&str> = line.split_whitespace().collect();
        let [.., a, b] = fields[..] else { continue };
        if let (Ok(a), Ok(b)) = (a.parse::<u64>(), b.parse::<u64>()) {
            assert_eq!(a, b, "row differs: {line}");
            rows += 1;
        }
    }
    assert!(
        rows >= 8,
        "requests, errors, 5 classes and the codes: {stderr}"
    );

    // One EMF record with the same counts.
    let stdout = String::from_utf8(output.stdout).unwrap();
    let records: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(records.len(), 1, "{stdout}");
    let record = &records[0];
    assert_eq!(
        record["_aws"]["CloudWatchMetrics"][0]["Namespace"],
        "StatusAggregation"
    );
    assert_eq!(record["Requests"], STATUSES, "{record}");
    assert_eq!(record["Workers"], 4);
    let classes: u64 = [
        "Status1xx",
        "Status2xx",
        "Status3xx",
        "Status4xx",
        "Status5xx",
    ]
    .iter()
    .map(|k| record[k].as_u64().unwrap())
    .sum();
    assert_eq!(classes, STATUSES);
    let codes: u64 = record
        .as_object()
        .unwrap()
        .iter()
        .filter(|(k, _)| k.len() == 9 && k.starts_with("Status") && k[6..].parse::<u16>().is_ok())
        .map(|(_, v)| v.as_u64().unwrap())
        .sum();
    assert_eq!(codes, STATUSES);
    let errors: u64 = ["Status4xx", "Status5xx"]
        .iter()
        .map(|k| record[k].as_u64().unwrap())
        .sum();
    assert_eq!(record["Errors"], errors);
}
