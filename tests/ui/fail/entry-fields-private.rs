use metrique::unit_of_work::metrics;
use metrique::CloseValue;

mod inner {
    use super::*;
    #[metrics]
    pub struct MyMetrics {
        pub a: u64,
    }
}

fn main() {
    let closed = inner::MyMetrics { a: 1 }.close();
    let _ = closed.a;
}
