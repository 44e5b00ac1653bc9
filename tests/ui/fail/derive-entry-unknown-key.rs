use metrique::writer::Entry;

#[derive(Entry)]
#[entry(prefix = "api_")]
struct Unknown {
    #[entry(nme = "Foo")]
    a: u64,
    #[entry(unit = Millisecond)]
    b: u64,
}

#[derive(Entry)]
enum Variants {
    #[entry(name = "A")]
    A,
}

fn main() {}
