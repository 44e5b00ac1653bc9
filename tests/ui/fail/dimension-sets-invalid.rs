use metrique::unit_of_work::metrics;

#[metrics(emf::dimension_sets = "Operation")]
struct NotArray {
    a: u64,
}

#[metrics(emf::dimension_sets = ["Operation"])]
struct NotNested {
    a: u64,
}

fn main() {}
