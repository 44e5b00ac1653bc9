use metrique::unit_of_work::metrics;

#[metrics(bad_root_attr)]
struct Unknown {
    #[metrics(nme = "Foo")]
    a: u64,
    #[metrics(p)]
    b: u64,
}

fn main() {}
