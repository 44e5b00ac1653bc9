use metrique::unit_of_work::metrics;

#[metrics(subfield)]
struct Child {
    a: u64,
}

#[metrics(prefix = "a_", exact_prefix = "A:")]
struct Container {
    #[metrics(flatten, prefix = "b_", exact_prefix = "B:")]
    child: Child,
}

fn main() {}
