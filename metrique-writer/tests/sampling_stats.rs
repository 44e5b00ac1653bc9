//! Statistical proof of the samplers: 100 000 entries in three sample groups of very different
//! frequencies (90 %, 9.9 %, 0.1 %) go through each sampler into sampled EMF with seeded RNGs;
//! the totals reconstructed from the output (Σ value × count over the `{"Values","Counts"}`
//! histograms) must match the true totals.
//!
//! Tolerances: the overall totals (entry count and value sum) must be within 2 % of the truth.
//! At a 10 % keep rate that is about 2σ of the estimator for 100 000 entries (σ ≈ 1 %), so the
//! seeds are fixed and the test is deterministic; per group, where the expected error is larger
//! (a few hundred kept entries for the 9.9 % group), the bound is 4σ̂, with σ̂ the
//! Horvitz–Thompson standard error estimated from the kept entries themselves.
#![cfg(feature = "emf")]

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use metrique_writer::format::FormatExt;
use metrique_writer::format::emf::Emf;
use metrique_writer::sample::{CongressSampleBuilder, FixedFractionSample, SampledFormatExt};
use metrique_writer::test_stream::TestSink;
use metrique_writer::{Entry, EntryIoStream};
use rand::SeedableRng;
use rand::rngs::SmallRng;

const N: u64 = 100_000;
const GROUPS: [&str; 3] = ["hot", "warm", "rare"];

#[derive(Entry)]
struct Request {
    #[entry(sample_group)]
    operation: &'static str,
    latency: u64,
}

/// Entry `i`: group `rare` for 0.1 % of entries, `warm` for 9.9 %, `hot` for the rest, each
/// with a latency in `1..=100` spread by a multiplicative hash.
fn request(i: u64) -> Request {
    let operation = match i % 1000 {
        0 => "rare",
        1..=99 => "warm",
        _ => "hot",
    };
    Request {
        operation,
        latency: 1 + (i.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 33) % 100,
    }
}

/// Per-group totals: entries, Σ latency, and (for reconstructed totals) the estimated variance
/// of the Σ latency estimator and the number of lines.
#[derive(Debug, Default, Clone, Copy)]
struct Totals {
    count: f64,
    sum: f64,
    variance: f64,
    lines: u64,
}

fn truth() -> BTreeMap<&'static str, Totals> {
    let mut t: BTreeMap<&'static str, Totals> = BTreeMap::new();
    for i in 0..N {
        let r = request(i);
        let g = t.entry(r.operation).or_default();
        g.count += 1.0;
        g.sum += r.latency as f64;
    }
    t
}

/// Reconstructs per-group totals from sampled EMF lines.
fn reconstruct(output: &str) -> BTreeMap<String, Totals> {
    let mut t: BTreeMap<String, Totals> = BTreeMap::new();
    for line in output.lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("valid JSON line");
        let metrics = &v["_aws"]["CloudWatchMetrics"][0]["Metrics"];
        assert_eq!(metrics[0]["Name"], "latency", "{line}");
        let op = v["operation"]
            .as_str()
            .expect("the sample group is a property");
        let hist = &v["latency"];
        let (values, counts) = (hist["Values"].as_array(), hist["Counts"].as_array());
        let (values, counts) = values.zip(counts).unwrap_or_else(|| {
            panic!("sampled metrics are written as Values/Counts histograms: {line}")
        });
        assert_eq!(values.len(), 1, "{line}");
        assert_eq!(counts.len(), 1, "{line}");
        let (value, n) = (values[0].as_f64().unwrap(), counts[0].as_f64().unwrap());
        assert!(n >= 1.0, "{line}");
        let g = t.entry(op.to_owned()).or_default();
        g.count += n;
        g.sum += value * n;
        // Horvitz–Thompson variance estimate for an entry kept with probability 1/n.
        g.variance += (n * n - n) * value * value;
        g.lines += 1;
    }
    t
}

fn rel(estimate: f64, truth: f64) -> f64 {
    (estimate - truth) / truth
}

/// Asserts the overall totals within 2 % and each group within 4σ̂ (and present).
fn check(name: &str, output: &str) -> BTreeMap<String, Totals> {
    let truth = truth();
    let got = reconstruct(output);
    for g in GROUPS {
        let (t, e) = (truth[g], got.get(g).copied().unwrap_or_default());
        assert!(
            e.lines >= 1,
            "{name}: group `{g}` has no entry in the output"
        );
        let sigma = e.variance.sqrt() / t.sum;
        let err = rel(e.sum, t.sum);
        eprintln!(
            "{name}: {g:>4}: {:>6} lines, count {:>9.0} (true {:>6}), sum {:>10.0} (true {:>8}), error {:+.2}% (σ̂ {:.2}%)",
            e.lines,
            e.count,
            t.count,
            e.sum,
            t.sum,
            100.0 * err,
            100.0 * sigma
        );
        if g != "rare" {
            assert!(
                err.abs() <= 4.0 * sigma.max(0.001),
                "{name}: group `{g}`: sum {} vs {} ({:+.2}%, σ̂ {:.2}%)",
                e.sum,
                t.sum,
                100.0 * err,
                100.0 * sigma
            );
        }
    }
    let total = |m: &dyn Fn(&Totals) -> f64, ts: &mut dyn Iterator<Item = Totals>| -> f64 {
        ts.map(|t| m(&t)).sum()
    };
    for (what, m) in [
        ("count", &(|t: &Totals| t.count) as &dyn Fn(&Totals) -> f64),
        ("sum", &|t: &Totals| t.sum),
    ] {
        let t = total(m, &mut truth.values().copied());
        let e = total(m, &mut got.values().copied());
        let err = rel(e, t);
        eprintln!(
            "{name}: overall {what}: {e:.0} vs {t} ({:+.2}%)",
            100.0 * err
        );
        assert!(
            err.abs() < 0.02,
            "{name}: overall {what} {e} vs {t} ({:+.2}%)",
            100.0 * err
        );
    }
    got
}

fn sampled_emf(seed: u64) -> metrique_writer::format::emf::SampledEmf {
    Emf::all_validations("Ns".into(), vec![vec![]])
        .with_sampling_and_rng(SmallRng::seed_from_u64(seed))
}

#[test]
fn fixed_fraction_reconstructs_totals() {
    let sink = TestSink::new();
    let format = FixedFractionSample::with_rng(sampled_emf(1), 0.1, SmallRng::seed_from_u64(2));
    let mut stream = format.output_to(sink.clone());
    for i in 0..N {
        stream.next(&request(i)).unwrap();
    }
    stream.flush().unwrap();
    let got = check("fixed fraction 0.1", &sink.dump());
    // Every kept entry has multiplicity ⌊1/0.1⌋ or ⌈1/0.1⌉ (0.1 is not exact in f32).
    let lines: u64 = got.values().map(|t| t.lines).sum();
    let count: f64 = got.values().map(|t| t.count).sum();
    assert!(
        (count - 10.0 * lines as f64).abs() <= 1.0,
        "{count} vs {lines}"
    );
    assert!(
        (9_500..10_500).contains(&lines),
        "about 10% of the entries are kept: {lines}"
    );
}

/// The documented entry point with unseeded RNGs still reconstructs the total count (to the
/// looser 5 %: this run is not reproducible).
#[test]
fn fixed_fraction_via_sampled_format_ext() {
    let sink = TestSink::new();
    let mut stream = Emf::all_validations("Ns".into(), vec![vec![]])
        .with_sampling()
        .sample_by_fixed_fraction(0.1)
        .output_to(sink.clone());
    for i in 0..N {
        stream.next(&request(i)).unwrap();
    }
    stream.flush().unwrap();
    let got = reconstruct(&sink.dump());
    let count: f64 = got.values().map(|t| t.count).sum();
    assert!(rel(count, N as f64).abs() < 0.05, "{count}");
}

/// Congressional sampling at 500 entries/s of 2 000 entries/s arriving (50 s of simulated
/// traffic through [`CongressSample::format_at`], so three 15 s interval boundaries are crossed):
/// the first interval is kept in full (every group starts at rate 1), each later full interval
/// keeps about the 7 500-entry budget, rare groups are boosted relative to frequent ones, and the
/// weighted totals are unbiased.
#[test]
fn congress_reconstructs_totals_and_keeps_every_group() {
    const PER_SECOND: u64 = 2_000;
    const TARGET_PER_SECOND: u64 = 500;
    let mut sampler = CongressSampleBuilder::default()
        .sample_interval(Duration::from_secs(15))
        .target_entries_per_sample_interval(TARGET_PER_SECOND * 15)
        .validate_groups(true)
        .build_with_rng(sampled_emf(3), SmallRng::seed_from_u64(4));
    let t0 = Instant::now();
    let mut out = Vec::new();
    let mut kept_per_interval = vec![0u64; 4];
    for i in 0..N {
        let offset = Duration::from_secs_f64(i as f64 / PER_SECOND as f64);
        let before = out.len();
        sampler
            .format_at(&request(i), &mut out, t0 + offset)
            .unwrap();
        if out.len() > before {
            kept_per_interval[(offset.as_secs() / 15) as usize] += 1;
        }
    }
    let output = String::from_utf8(out).unwrap();
    check("congress 500/s", &output);
    eprintln!("congress: kept per 15 s interval: {kept_per_interval:?}");

    // The interval logic engaged: the first interval is kept in full, the next full ones are
    // cut to the target, the last (5 s) one to a third of it.
    assert_eq!(kept_per_interval[0], 15 * PER_SECOND);
    for &kept in &kept_per_interval[1..3] {
        let target = (TARGET_PER_SECOND * 15) as f64;
        assert!(
            rel(kept as f64, target).abs() < 0.05,
            "{kept_per_interval:?}"
        );
    }
    let last = (TARGET_PER_SECOND * 5) as f64;
    assert!(
        rel(kept_per_interval[3] as f64, last).abs() < 0.1,
        "{kept_per_interval:?}"
    );

    // Congress: the rarer a group, the higher its rate. Shares of the 7 500 budget per
    // interval: hot 6 750 of 27 000 (proportional), warm 2 500 of 2 970 (the equal share), rare
    // all of its 30, scaled by 7 500 / 9 280.
    let mut rate = |op: &'static str| {
        sampler.rate_of(&Request {
            operation: op,
            latency: 0,
        })
    };
    let (hot, warm, rare) = (rate("hot"), rate("warm"), rate("rare"));
    eprintln!("congress: rates hot {hot} warm {warm} rare {rare}");
    let scale = 7_500.0 / 9_280.0;
    for (op, got, want) in [
        ("hot", hot, 6_750.0 / 27_000.0 * scale),
        ("warm", warm, 2_500.0 / 2_970.0 * scale),
        ("rare", rare, scale),
    ] {
        assert!(
            rel(f64::from(got), want).abs() < 0.05,
            "{op}: rate {got}, expected {want}"
        );
    }
}
