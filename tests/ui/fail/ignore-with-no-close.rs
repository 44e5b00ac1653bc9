use metrique::unit_of_work::metrics;

#[metrics]
struct IgnoreNoClose {
    #[metrics(ignore, no_close)]
    a: u64,
    #[metrics(ignore, sample_group)]
    b: &'static str,
}

fn main() {}
