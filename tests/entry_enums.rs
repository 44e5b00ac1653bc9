//! Entry enums: unit/tuple/struct variants, tags, sample groups.

mod util;

use metrique::unit_of_work::metrics;
use util::{record_metric, sample_group};

#[metrics(subfield)]
struct Child {
    child_count: u64,
}

#[metrics(rename_all = "PascalCase", tag(name = "operation_kind", sample_group))]
enum Request {
    Ping,
    #[metrics(name = "get")]
    Get(#[metrics(flatten)] Child, #[metrics(ignore)] ()),
    Put {
        bytes_written: u64,
        #[metrics(ignore)]
        _scratch: String,
        #[metrics(flatten, prefix = "inner")]
        inner: Child,
    },
}

#[test]
fn variants_write_the_tag_then_their_fields() {
    let r = record_metric(Request::Ping);
    assert_eq!(r.values, [("OperationKind".to_owned(), "Ping".to_owned())]);

    let r = record_metric(Request::Get(Child { child_count: 2 }, ()));
    assert_eq!(r.names(), ["OperationKind", "ChildCount"]);
    assert_eq!(r.get("OperationKind"), "get");

    let r = record_metric(Request::Put {
        bytes_written: 5,
        _scratch: String::new(),
        inner: Child { child_count: 1 },
    });
    assert_eq!(
        r.names(),
        ["OperationKind", "BytesWritten", "InnerChildCount"]
    );
    assert_eq!(r.get("OperationKind"), "Put");
}

#[test]
fn tag_sample_group() {
    assert_eq!(
        sample_group(Request::Ping),
        [("OperationKind".to_owned(), "Ping".to_owned())]
    );
}

#[metrics(tag(name_exact = "op"), rename_all = "kebab-case")]
enum Exact {
    SomeThing,
}

#[test]
fn exact_tag_names_are_verbatim() {
    let r = record_metric(Exact::SomeThing);
    assert_eq!(r.values, [("op".to_owned(), "some-thing".to_owned())]);
}

#[metrics]
struct Holder {
    #[metrics(flatten)]
    request: Request,
    total: u64,
}

#[test]
fn entry_enums_flatten_into_structs() {
    let r = record_metric(Holder {
        request: Request::Ping,
        total: 1,
    });
    assert_eq!(r.names(), ["OperationKind", "total"]);
}
