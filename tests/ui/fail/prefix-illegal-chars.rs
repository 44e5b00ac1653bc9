use metrique::unit_of_work::metrics;

#[metrics(subfield)]
struct Child {
    a: u64,
}

#[metrics(prefix = "api:")]
struct Container {
    a: u64,
}

#[metrics]
struct Field {
    #[metrics(flatten, prefix = "foo@")]
    at: Child,
    #[metrics(flatten, prefix = "foo.")]
    dot: Child,
}

#[metrics(prefix = "api.")]
struct ContainerDot {
    a: u64,
}

fn main() {}
