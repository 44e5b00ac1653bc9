//! `#[derive(metrique_writer::Entry)]` in a crate that depends on `metrique-writer` only: the
//! expansion names `::metrique_writer::…` paths.
#![cfg(feature = "test-util")]

use std::time::{Duration, SystemTime};

use metrique_writer::Entry;
use metrique_writer::test_util::to_test_entry;

#[derive(Entry)]
struct Host {
    #[entry(sample_group)]
    region: &'static str,
}

#[derive(Entry)]
#[entry(rename_all = "PascalCase")]
struct Request {
    #[entry(timestamp)]
    start: SystemTime,
    #[entry(sample_group)]
    operation: String,
    latency: Duration,
    #[entry(name = "status_code", format = metrique_writer::value::ToString)]
    status: u16,
    #[entry(flatten)]
    host: Host,
    #[entry(ignore)]
    _scratch: Vec<u8>,
}

#[derive(metrique_writer::Entry)]
#[entry(rename_all = "kebab-case")]
enum Event {
    Started { job_id: u64 },
    Stopped,
}

#[test]
fn derive_through_metrique_writer() {
    let r = Request {
        start: SystemTime::UNIX_EPOCH,
        operation: "Get".into(),
        latency: Duration::from_millis(3),
        status: 404,
        host: Host { region: "eu" },
        _scratch: Vec::new(),
    };
    let t = to_test_entry(&r);
    assert_eq!(t.timestamp, Some(SystemTime::UNIX_EPOCH));
    assert_eq!(t.values["Operation"], "Get");
    assert_eq!(t.values["status_code"], "404");
    assert_eq!(t.values["region"], "eu");
    assert_eq!(t.metrics["Latency"], 3u64);
    let group: Vec<_> = r.sample_group().collect();
    assert_eq!(
        group,
        [
            ("Operation".into(), "Get".into()),
            ("region".into(), "eu".into())
        ]
    );

    let t = to_test_entry(&Event::Started { job_id: 7 });
    assert_eq!(t.metrics["job-id"], 7u64);
    assert_eq!(to_test_entry(&Event::Stopped), Default::default());
}
