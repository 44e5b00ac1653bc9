#![deny(unused_must_use)]
use metrique::unit_of_work::metrics;
use metrique::writer::GlobalEntrySink;
use metrique::ServiceMetrics;

#[metrics]
struct MyMetrics {
    a: u64,
}

fn main() {
    MyMetrics { a: 1 }.append_on_drop(ServiceMetrics::sink());
}
