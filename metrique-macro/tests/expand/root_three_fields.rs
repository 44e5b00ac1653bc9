#[metrics(rename_all = "PascalCase")]
pub struct RequestMetrics {
    operation: &'static str,
    #[metrics(unit = Millisecond)]
    latency: Duration,
    #[metrics(flatten, prefix = "downstream")]
    downstream: DownstreamMetrics,
}
