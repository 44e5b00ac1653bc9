use metrique::unit_of_work::metrics;

#[metrics(tag(name = "Op"))]
struct NotAnEnum {
    a: u64,
}

#[metrics(tag)]
enum NoName {
    A,
}

#[metrics(tag(name = "a", name_exact = "b"))]
enum BothNames {
    A,
}

#[metrics(tag(name = "has space"))]
enum Spaced {
    A,
}

fn main() {}
