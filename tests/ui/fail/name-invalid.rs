use metrique::unit_of_work::metrics;

#[metrics]
struct Names {
    #[metrics(name = "")]
    empty: u64,
    #[metrics(name = "has space")]
    spaced: u64,
    #[metrics(name = 5)]
    number: u64,
}

fn main() {}
