use metrique::unit_of_work::metrics;

// `String` is not a `SampleGroup`: sample groups must be low-cardinality keys, so use
// `&'static str` or a `#[metrics(value(string))]` enum.
#[metrics]
struct Request {
    #[metrics(sample_group)]
    operation: String,
    latency: u64,
}

#[metrics]
enum Event {
    Started {
        #[metrics(sample_group)]
        operation: Option<String>,
    },
}

fn main() {}
