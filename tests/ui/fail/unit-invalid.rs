use metrique::unit::Second;
use metrique::unit_of_work::metrics;

#[metrics]
struct BadUnits {
    #[metrics(unit = NotAUnit)]
    a: u64,
    #[metrics(unit = Second)]
    b: String,
}

fn main() {}
