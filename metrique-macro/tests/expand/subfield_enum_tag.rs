#[metrics(subfield, tag(name = "Operation", sample_group))]
enum Operation {
    Get,
    Put { bytes: u64 },
}
