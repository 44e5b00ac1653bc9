//! Every runtime path an expansion mentions, in one place.
//!
//! Expansions only name `::metrique::…`, so users need the facade under that name.

use proc_macro2::TokenStream;
use quote::quote;

pub(crate) fn close_value() -> TokenStream {
    quote!(::metrique::CloseValue)
}
pub(crate) fn close_value_ref() -> TokenStream {
    quote!(::metrique::CloseValueRef)
}
pub(crate) fn inflectable_entry() -> TokenStream {
    quote!(::metrique::InflectableEntry)
}
pub(crate) fn name_style() -> TokenStream {
    quote!(::metrique::NameStyle)
}
pub(crate) fn name_set() -> TokenStream {
    quote!(::metrique::__private::NameSet)
}
pub(crate) fn value_formatter() -> TokenStream {
    quote!(::metrique::writer::value::ValueFormatter)
}
pub(crate) fn entry() -> TokenStream {
    quote!(::metrique::writer::Entry)
}
pub(crate) fn entry_writer() -> TokenStream {
    quote!(::metrique::writer::EntryWriter)
}
pub(crate) fn entry_sink() -> TokenStream {
    quote!(::metrique::writer::EntrySink)
}
pub(crate) fn value() -> TokenStream {
    quote!(::metrique::writer::Value)
}
pub(crate) fn value_writer() -> TokenStream {
    quote!(::metrique::writer::ValueWriter)
}
pub(crate) fn sample_group() -> TokenStream {
    quote!(::metrique::writer::sample::SampleGroup)
}
pub(crate) fn sample_group_element() -> TokenStream {
    quote!(::metrique::writer::entry::SampleGroupElement)
}
pub(crate) fn with_unit() -> TokenStream {
    quote!(::metrique::writer::unit::WithUnit)
}
pub(crate) fn formatted_value() -> TokenStream {
    quote!(::metrique::writer::value::FormattedValue)
}
pub(crate) fn force_flag() -> TokenStream {
    quote!(::metrique::writer::value::ForceFlag)
}
pub(crate) fn force_flag_entry_writer() -> TokenStream {
    quote!(::metrique::writer::value::ForceFlagEntryWriter)
}
pub(crate) fn entry_dimensions() -> TokenStream {
    quote!(::metrique::writer::config::EntryDimensions)
}
pub(crate) fn root_entry() -> TokenStream {
    quote!(::metrique::RootEntry)
}
pub(crate) fn default_sink() -> TokenStream {
    quote!(::metrique::DefaultSink)
}
pub(crate) fn guard() -> TokenStream {
    quote!(::metrique::AppendAndCloseOnDrop)
}
pub(crate) fn handle() -> TokenStream {
    quote!(::metrique::AppendAndCloseOnDropHandle)
}
pub(crate) fn append_and_close() -> TokenStream {
    quote!(::metrique::append_and_close)
}
/// `name!(NS; "id", "Pascal", "snake", "kebab", "SCREAMING")`: a name resolved at compile time.
pub(crate) fn name_macro() -> TokenStream {
    quote!(::metrique::__private::name!)
}
/// `write_prefixed!(NS; [..5 spellings..]; child, writer)`.
pub(crate) fn write_prefixed_macro() -> TokenStream {
    quote!(::metrique::__private::write_prefixed!)
}
/// `sample_group_prefixed!(NS; [..5 spellings..]; child)`.
pub(crate) fn sample_group_prefixed_macro() -> TokenStream {
    quote!(::metrique::__private::sample_group_prefixed!)
}
/// By-reference closing wrapper that steers the diagnostic toward `subfield_owned`.
pub(crate) fn subfield_owned_hint() -> TokenStream {
    quote!(::metrique::__private::IfYouSeeThisUseSubfieldOwned)
}
/// `<IfYouSeeThisUseSubfieldOwned<F> as CloseByRef>::Closed`: a by-reference closed type.
pub(crate) fn close_by_ref() -> TokenStream {
    quote!(::metrique::__private::CloseByRef)
}
/// `timestamp(&closed) -> SystemTime` (requires `Copy + Into<SystemTime>`).
pub(crate) fn timestamp_fn() -> TokenStream {
    quote!(::metrique::__private::timestamp)
}
/// `sample_group_element(name, &closed) -> SampleGroupElement`.
pub(crate) fn sample_group_element_fn() -> TokenStream {
    quote!(::metrique::__private::sample_group_element)
}

/// Where a `#[derive(Entry)]` expansion finds the writer crate.
///
/// Two derives share one implementation: `metrique_writer::Entry` (for crates that depend on
/// `metrique-writer` only) names `::metrique_writer::…`, and `metrique::writer::Entry`
/// (`MetriqueEntry` in this crate) names `::metrique::writer::…`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WriterRoot {
    /// `::metrique_writer`.
    Writer,
    /// `::metrique::writer`.
    Metrique,
}

impl WriterRoot {
    fn root(self) -> TokenStream {
        match self {
            WriterRoot::Writer => quote!(::metrique_writer),
            WriterRoot::Metrique => quote!(::metrique::writer),
        }
    }
    pub(crate) fn entry(self) -> TokenStream {
        let r = self.root();
        quote!(#r::Entry)
    }
    pub(crate) fn entry_writer(self) -> TokenStream {
        let r = self.root();
        quote!(#r::EntryWriter)
    }
    pub(crate) fn value(self) -> TokenStream {
        let r = self.root();
        quote!(#r::Value)
    }
    pub(crate) fn sample_group_element(self) -> TokenStream {
        let r = self.root();
        quote!(#r::entry::SampleGroupElement)
    }
    pub(crate) fn formatted_value(self) -> TokenStream {
        let r = self.root();
        quote!(#r::value::FormattedValue)
    }
    pub(crate) fn value_formatter(self) -> TokenStream {
        let r = self.root();
        quote!(#r::value::ValueFormatter)
    }
    /// `timestamp(&field) -> SystemTime` (requires `Copy + Into<SystemTime>`).
    pub(crate) fn timestamp_fn(self) -> TokenStream {
        let r = self.root();
        quote!(#r::__private::timestamp)
    }
    /// The module holding `SampleGroupValue` and its two lookup traits.
    pub(crate) fn private(self) -> TokenStream {
        let r = self.root();
        quote!(#r::__private)
    }
}

/// `tokens` with every span set to `span`: a runtime path respanned at a user's field makes
/// rustc report a failed trait bound on that field rather than on the derive.
pub(crate) fn respan(tokens: TokenStream, span: proc_macro2::Span) -> TokenStream {
    tokens
        .into_iter()
        .map(|mut tt| {
            if let proc_macro2::TokenTree::Group(g) = &tt {
                let mut group = proc_macro2::Group::new(g.delimiter(), respan(g.stream(), span));
                group.set_span(span);
                tt = proc_macro2::TokenTree::Group(group);
            } else {
                tt.set_span(span);
            }
            tt
        })
        .collect()
}
