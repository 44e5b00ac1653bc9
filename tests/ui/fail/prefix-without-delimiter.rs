use metrique::unit_of_work::metrics;

#[metrics(prefix = "foo")]
struct Plain {
    a: u64,
}

#[metrics(prefix = "foo-bar")]
struct Kebab {
    a: u64,
}

fn main() {}
