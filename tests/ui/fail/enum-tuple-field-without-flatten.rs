use metrique::unit_of_work::metrics;

#[metrics(subfield)]
struct Child {
    a: u64,
}

// Tuple variant fields have no name, so they can only be flattened (or ignored).
#[metrics]
enum TupleFields {
    A(u64),
    B(#[metrics(flatten)] Child, &'static str),
    C(#[metrics(ignore)] u64, #[metrics(flatten)] Child),
}

fn main() {}
