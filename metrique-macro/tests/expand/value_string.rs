#[metrics(value(string), rename_all = "SCREAMING_SNAKE_CASE")]
enum Status {
    Ok,
    #[metrics(name = "error")]
    NotOk,
}
