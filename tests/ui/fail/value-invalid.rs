use metrique::unit_of_work::metrics;

#[metrics(value)]
enum ValueEnum {
    A,
}

#[metrics(value(string))]
struct StringStruct {
    a: u64,
}

#[metrics(value)]
struct TwoFields {
    a: u64,
    b: u64,
}

#[metrics(value, prefix = "a_")]
struct Prefixed(u64);

#[metrics(value(string), subfield)]
enum Both {
    A,
}

#[metrics(value(string))]
enum WithData {
    A(u64),
}

#[metrics(value(string))]
enum Generic<T> {
    A,
    B(std::marker::PhantomData<T>),
}

#[metrics(sample_group)]
struct NotValue {
    a: u64,
}

fn main() {}
