//! Name resolution (reference §3.5): `rename_all`, container and flatten-site prefixes.
#![allow(non_snake_case)] // fields named like the case-conversion examples

mod util;

use metrique::unit_of_work::metrics;
use util::record_metric;

macro_rules! styled {
    ($name:ident, $style:literal) => {
        #[metrics(rename_all = $style)]
        struct $name {
            foo_bar: u64,
            status_5xx: u64,
            #[metrics(name = "Verbatim")]
            named: u64,
        }
        impl Default for $name {
            fn default() -> Self {
                Self {
                    foo_bar: 1,
                    status_5xx: 2,
                    named: 3,
                }
            }
        }
    };
}
styled!(Pascal, "PascalCase");
styled!(Snake, "snake_case");
styled!(Kebab, "kebab-case");
styled!(Screaming, "SCREAMING_SNAKE_CASE");
styled!(Preserved, "preserve");
styled!(PreservedUpper, "Preserve");

#[test]
fn each_rename_all_style() {
    assert_eq!(
        record_metric(Pascal::default()).names(),
        ["FooBar", "Status5Xx", "Verbatim"]
    );
    assert_eq!(
        record_metric(Snake::default()).names(),
        ["foo_bar", "status_5xx", "Verbatim"]
    );
    assert_eq!(
        record_metric(Kebab::default()).names(),
        ["foo-bar", "status-5xx", "Verbatim"]
    );
    // Deliberately better than metrique 0.1.33, which degrades SCREAMING to snake_case.
    assert_eq!(
        record_metric(Screaming::default()).names(),
        ["FOO_BAR", "STATUS_5XX", "Verbatim"]
    );
    assert_eq!(
        record_metric(Preserved::default()).names(),
        ["foo_bar", "status_5xx", "Verbatim"]
    );
    assert_eq!(
        record_metric(PreservedUpper::default()).names(),
        ["foo_bar", "status_5xx", "Verbatim"]
    );
}

#[metrics(rename_all = "PascalCase")]
struct Acronyms {
    #[allow(non_snake_case)]
    XMLHttpRequest: u64,
    #[allow(non_snake_case)]
    FooBARBaz: u64,
}

#[metrics(rename_all = "snake_case")]
struct AcronymsSnake {
    #[allow(non_snake_case)]
    HTTPSConnection: u64,
}

#[test]
fn digits_and_acronyms() {
    let r = record_metric(Acronyms {
        XMLHttpRequest: 1,
        FooBARBaz: 2,
    });
    assert_eq!(r.names(), ["XmlhttpRequest", "FooBARBaz"]);
    let r = record_metric(AcronymsSnake { HTTPSConnection: 1 });
    assert_eq!(r.names(), ["https_connection"]);
}

// Example: kebab root with `foo_bar` → `foo-bar` (covered above) and the rest of §3.5.

#[metrics(rename_all = "snake_case", prefix = "prefix_", subfield)]
struct SnakePrefixed {
    a: u64,
}

#[metrics(rename_all = "PascalCase")]
struct PascalRootWithSnakeChild {
    #[metrics(flatten)]
    child: SnakePrefixed,
}

#[test]
fn example_flattened_snake_child_with_container_prefix() {
    let r = record_metric(PascalRootWithSnakeChild {
        child: SnakePrefixed { a: 1 },
    });
    assert_eq!(r.names(), ["prefix_a"]);
}

#[metrics(rename_all = "PascalCase", exact_prefix = "prefix@")]
struct ExactPascal {
    a: u64,
}

#[test]
fn example_exact_container_prefix() {
    assert_eq!(record_metric(ExactPascal { a: 1 }).names(), ["prefix@A"]);
}

#[metrics(subfield, prefix = "prefix_")]
struct InheritingChild {
    this_is_b_field: u64,
}

#[metrics(rename_all = "PascalCase")]
struct PascalRoot {
    #[metrics(flatten)]
    child: InheritingChild,
}

#[test]
fn example_child_inherits_parent_style() {
    let r = record_metric(PascalRoot {
        child: InheritingChild { this_is_b_field: 1 },
    });
    assert_eq!(r.names(), ["PrefixThisIsBField"]);
}

#[metrics(subfield)]
struct Ducks {
    #[metrics(name = "NDucks")]
    n: u64,
}

#[metrics(rename_all = "snake_case")]
struct SnakeRoot {
    #[metrics(flatten, prefix = "Waterfowl_")]
    ducks: Ducks,
}

#[test]
fn example_flatten_prefix_applies_to_named_fields() {
    let r = record_metric(SnakeRoot {
        ducks: Ducks { n: 1 },
    });
    assert_eq!(r.names(), ["waterfowl_NDucks"]);
}

#[metrics(subfield)]
struct Latency {
    request_latency: u64,
}

#[metrics(rename_all = "kebab-case")]
struct KebabRoot {
    #[metrics(flatten, exact_prefix = "API:")]
    latency: Latency,
}

#[test]
fn example_exact_flatten_prefix() {
    let r = record_metric(KebabRoot {
        latency: Latency { request_latency: 1 },
    });
    assert_eq!(r.names(), ["API:request-latency"]);
}

#[metrics(subfield, rename_all = "PascalCase")]
struct PascalChild {
    api_latency: u64,
}

#[metrics(rename_all = "kebab-case")]
struct KebabParent {
    #[metrics(flatten, prefix = "his")]
    child: PascalChild,
    own_field: u64,
}

#[test]
fn example_prefix_in_parent_style_child_in_its_own() {
    let r = record_metric(KebabParent {
        child: PascalChild { api_latency: 1 },
        own_field: 2,
    });
    assert_eq!(r.names(), ["his-ApiLatency", "own-field"]);
}

#[metrics(subfield)]
struct Downstream {
    call_count: u64,
}

#[metrics(rename_all = "PascalCase")]
struct Nested {
    #[metrics(flatten, prefix = "Downstream")]
    pascal: NestedSnake,
}

#[metrics(subfield, rename_all = "snake_case")]
struct NestedSnake {
    #[metrics(flatten, prefix = "Inner")]
    inner: Downstream,
}

#[test]
fn prefix_chains_accumulate_across_levels() {
    let r = record_metric(Nested {
        pascal: NestedSnake {
            inner: Downstream { call_count: 1 },
        },
    });
    assert_eq!(r.names(), ["Downstreaminner_call_count"]);
}

#[metrics(prefix = "api_", rename_all = "PascalCase")]
struct ContainerPrefix {
    latency: u64,
    #[metrics(name = "Exact")]
    other: u64,
}

#[test]
fn container_prefix_is_inflected_with_the_field_but_not_names() {
    assert_eq!(
        record_metric(ContainerPrefix {
            latency: 1,
            other: 2
        })
        .names(),
        ["ApiLatency", "Exact"]
    );
}
