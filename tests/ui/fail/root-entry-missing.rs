use metrique::unit_of_work::metrics;
use metrique::writer::EntrySink;
use metrique::CloseValue;

#[metrics]
struct MyMetrics {
    a: u64,
}

fn append<S: EntrySink<MyMetricsEntry>>(sink: S) {
    sink.append(MyMetrics { a: 1 }.close());
}

fn main() {}
