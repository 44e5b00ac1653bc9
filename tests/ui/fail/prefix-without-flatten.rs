use metrique::unit_of_work::metrics;

#[metrics]
struct NoFlatten {
    #[metrics(prefix = "foo_")]
    a: u64,
    #[metrics(exact_prefix = "Foo:")]
    b: u64,
}

fn main() {}
