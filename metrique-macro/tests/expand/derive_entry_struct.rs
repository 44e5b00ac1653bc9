#[derive(Entry)]
#[entry(rename_all = "PascalCase")]
struct Request {
    #[entry(timestamp)]
    start: SystemTime,
    #[entry(sample_group)]
    operation: &'static str,
    #[entry(name = "HTTP-Status", format = ToString)]
    status: u16,
    #[entry(flatten)]
    host: Host,
    #[entry(ignore)]
    scratch: Vec<u8>,
}
