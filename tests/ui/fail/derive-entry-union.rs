use metrique::writer::Entry;

#[derive(Entry)]
union Bits {
    a: u32,
    b: f32,
}

fn main() {}
