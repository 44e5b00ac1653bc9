use metrique::writer::Entry;

#[derive(Entry)]
struct Child {
    a: u64,
}

#[derive(Entry)]
struct Parent {
    #[entry(flatten, ignore)]
    both: Child,
    #[entry(flatten, name = "Child")]
    named: Child,
    #[entry(timestamp, format = metrique::writer::value::ToString)]
    at: std::time::SystemTime,
    #[entry(ignore, sample_group)]
    group: &'static str,
}

fn main() {}
