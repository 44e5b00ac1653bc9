use metrique::unit_of_work::metrics;

struct ChildMetrics {
    a: u64,
}

#[metrics]
struct Parent {
    #[metrics(flatten)]
    child: ChildMetrics,
}

fn main() {}
