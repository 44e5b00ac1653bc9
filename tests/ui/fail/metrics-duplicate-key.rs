use metrique::unit::{Millisecond, Second};
use metrique::unit_of_work::metrics;

#[metrics(rename_all = "PascalCase", rename_all = "snake_case")]
struct Duplicates {
    #[metrics(name = "A", name = "B")]
    a: u64,
    #[metrics(unit = Millisecond)]
    #[metrics(unit = Second)]
    b: u64,
}

fn main() {}
