use metrique::unit_of_work::metrics;

#[metrics(subfield)]
struct ChildMetrics {
    a: u64,
}

#[metrics]
struct Parent {
    child: ChildMetrics,
}

fn main() {}
