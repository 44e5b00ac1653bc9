use metrique::writer::Entry;

#[derive(Entry)]
#[entry(rename_all = "PascalCase")]
struct Duplicates {
    #[entry(name = "A", name = "B")]
    twice: u64,
    #[entry(ignore, ignore)]
    ignored: u64,
    foo_bar: u64,
    #[entry(name = "FooBar")]
    same_name: u64,
}

fn main() {}
