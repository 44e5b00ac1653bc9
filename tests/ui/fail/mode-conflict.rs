use metrique::unit_of_work::metrics;

#[metrics(subfield, subfield_owned)]
struct Both {
    a: u64,
}

#[metrics(rename_all = "camelCase")]
struct BadStyle {
    a: u64,
}

#[metrics]
union NotSupported {
    a: u64,
}

fn main() {}
