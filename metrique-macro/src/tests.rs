//! Expansion snapshots: every fixture in `tests/expand/*.rs` (one `#[metrics]` or
//! `#[derive(Entry)]` item each) is expanded and pretty-printed into `src/snapshots/`. Review
//! snapshot diffs like code.

use proc_macro2::TokenStream;

fn expand_fixture(source: &str) -> String {
    let mut item: syn::DeriveInput = syn::parse_str(source).expect("fixture parses");
    if item.attrs.iter().any(|a| a.path().is_ident("derive")) {
        // A `#[derive(Entry)]` fixture: the derive sees the item with its attributes.
        item.attrs.retain(|a| !a.path().is_ident("derive"));
        let out =
            crate::entry_derive::derive(quote::quote!(#item), crate::paths::WriterRoot::Metrique);
        let file: syn::File = syn::parse2(out).expect("expansion parses as a file");
        return prettyplease::unparse(&file);
    }
    let attr = item
        .attrs
        .iter()
        .position(|a| a.path().is_ident("metrics"))
        .expect("fixture has #[metrics]");
    let attr = item.attrs.remove(attr);
    let args = match attr.meta {
        syn::Meta::List(list) => list.tokens,
        _ => TokenStream::new(),
    };
    let out = crate::expand::metrics(args, quote::quote!(#item));
    let file: syn::File = syn::parse2(out).expect("expansion parses as a file");
    prettyplease::unparse(&file)
}

#[test]
fn expansions() {
    insta::glob!("../tests/expand", "*.rs", |path| {
        let source = std::fs::read_to_string(path).unwrap();
        insta::assert_snapshot!(expand_fixture(&source));
    });
}

#[test]
fn three_field_struct_expansion_stays_thin() {
    let source = include_str!("../tests/expand/root_three_fields.rs");
    let lines = expand_fixture(source).lines().count();
    assert!(
        lines <= 110,
        "expansion of a 3-field struct has {lines} lines"
    );
}
