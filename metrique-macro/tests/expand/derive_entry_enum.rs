#[derive(Entry)]
#[entry(rename_all = "kebab-case")]
enum Outcome {
    Success {
        #[entry(sample_group)]
        operation: &'static str,
        bytes_read: u64,
    },
    #[entry(rename_all = "PascalCase")]
    Failure(#[entry(name = "Code")] u16, #[entry(ignore)] String),
    Nothing,
}
