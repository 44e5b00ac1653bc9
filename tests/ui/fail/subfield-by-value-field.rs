use metrique::unit_of_work::metrics;

#[metrics(subfield)]
struct ByRef {
    owned: String,
}

fn main() {}
