use metrique::unit_of_work::metrics;
use metrique::writer::value::Distribution;

#[metrics(subfield)]
struct Child {
    a: u64,
}

#[metrics(default_flags(skip(Distribution)))]
struct Flags {
    #[metrics(flatten, flags(Distribution))]
    child: Child,
    #[metrics(flags(Distribution, skip(Distribution)))]
    both: u64,
    #[metrics(default_flags(Distribution))]
    not_flatten: u64,
}

fn main() {}
