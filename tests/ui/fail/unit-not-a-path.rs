use metrique::unit_of_work::metrics;

#[metrics]
struct BadUnits {
    #[metrics(unit = "Second")]
    c: u64,
}

fn main() {}
