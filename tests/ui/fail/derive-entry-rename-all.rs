use metrique::writer::Entry;

#[derive(Entry)]
#[entry(rename_all = "Kebab")]
struct Container {
    a: u64,
}

#[derive(Entry)]
enum Variants {
    #[entry(rename_all = "preserve")]
    A { a: u64 },
}

fn main() {}
