use metrique::writer::Entry;

#[derive(Entry)]
struct Names {
    #[entry(name = "")]
    empty: u64,
    #[entry(name = "with space")]
    spaced: u64,
    #[entry(name = 5)]
    number: u64,
    #[entry(ignore = true)]
    valued_flag: u64,
}

#[derive(Entry)]
struct Tuple(u64, #[entry(name = "B")] u64);

fn main() {}
