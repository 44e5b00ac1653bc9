use metrique::unit_of_work::metrics;

#[metrics(subfield)]
struct Child {
    a: u64,
}

#[metrics]
struct Parent {
    #[metrics(flatten, name = "Child")]
    child: Child,
    #[metrics(flatten, unit = metrique::unit::Second)]
    other: Child,
    #[metrics(flatten, ignore)]
    both: Child,
}

fn main() {}
