use metrique::writer::Entry;

struct NotAValue;

#[derive(Entry)]
struct Types {
    value: NotAValue,
    #[entry(flatten)]
    child: u64,
    #[entry(timestamp)]
    at: String,
    #[entry(sample_group)]
    group: u64,
}

fn main() {}
