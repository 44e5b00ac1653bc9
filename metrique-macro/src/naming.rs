//! Case conversion and prefix rules, as pure functions on `&str`.
//!
//! Every metric name is computed at compile time in five spellings (see [`Spellings`]); the
//! runtime picks one through the entry's `NameStyle`. The rules reproduce metrique 0.1.33 (which
//! in turn reproduces the `Inflector` crate it used historically):
//!
//! - non-alphanumeric characters separate words and are dropped (leading and trailing ones too);
//! - in `PascalCase` a digit ends a word, so the next letter is capitalised (`status_5xx` →
//!   `Status5Xx`), a lower → upper transition starts a word, and runs of capitals are lowercased
//!   after their first letter (`XMLHttpRequest` → `XmlhttpRequest`) unless they follow a
//!   lowercase letter (`FooBARBaz` is unchanged);
//! - in the delimited styles (`snake_case`, `kebab-case`, `SCREAMING_SNAKE_CASE`) a capital starts
//!   a word when its neighbour on either side is lowercase (`HTTPSConnection` →
//!   `https_connection`); digits do not start words (`status_5xx` is already snake case).

/// A case style a container can ask for with `rename_all`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
    Pascal,
    Snake,
    Kebab,
    ScreamingSnake,
}

impl Style {
    /// Parses a `rename_all` literal. `Ok(None)` is "preserve" (inherit the parent's style).
    pub(crate) fn parse(lit: &str) -> Result<Option<Style>, ()> {
        Ok(Some(match lit {
            "PascalCase" => Style::Pascal,
            "snake_case" => Style::Snake,
            "kebab-case" => Style::Kebab,
            "SCREAMING_SNAKE_CASE" => Style::ScreamingSnake,
            "preserve" | "Preserve" => return Ok(None),
            _ => return Err(()),
        }))
    }

    #[cfg(test)]
    /// Index of this style's spelling in [`Spellings`] (0 is "as written").
    pub(crate) fn index(self) -> usize {
        match self {
            Style::Pascal => 1,
            Style::Snake => 2,
            Style::Kebab => 3,
            Style::ScreamingSnake => 4,
        }
    }

    /// `name` in this style.
    pub(crate) fn apply(self, name: &str) -> String {
        match self {
            Style::Pascal => pascal(name),
            Style::Snake => delimited(name, '_', false),
            Style::Kebab => delimited(name, '-', false),
            Style::ScreamingSnake => delimited(name, '_', true),
        }
    }

    /// `prefix` in this style, followed by the style's delimiter if it has one and the rendered
    /// prefix does not already end with it (metrique's `apply_prefix`).
    pub(crate) fn apply_prefix(self, prefix: &str) -> String {
        let mut out = self.apply(prefix);
        let delimiter = match self {
            Style::Pascal => return out,
            Style::Snake | Style::ScreamingSnake => '_',
            Style::Kebab => '-',
        };
        if !out.is_empty() && !out.ends_with(delimiter) {
            out.push(delimiter);
        }
        out
    }
}

/// A `#[derive(Entry)]` `rename_all` rule (serde's set). Unlike [`Style`], which produces five
/// spellings chosen at run time, an `Entry` derive resolves its one style at compile time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum EntryStyle {
    Lower,
    Upper,
    Pascal,
    Camel,
    Snake,
    ScreamingSnake,
    Kebab,
    ScreamingKebab,
}

impl EntryStyle {
    /// The accepted `rename_all` literals, for messages.
    pub(crate) const LITERALS: [&'static str; 8] = [
        "lowercase",
        "UPPERCASE",
        "PascalCase",
        "camelCase",
        "snake_case",
        "SCREAMING_SNAKE_CASE",
        "kebab-case",
        "SCREAMING-KEBAB-CASE",
    ];

    /// Parses a `rename_all` literal.
    pub(crate) fn parse(lit: &str) -> Option<EntryStyle> {
        Some(match lit {
            "lowercase" => EntryStyle::Lower,
            "UPPERCASE" => EntryStyle::Upper,
            "PascalCase" => EntryStyle::Pascal,
            "camelCase" => EntryStyle::Camel,
            "snake_case" => EntryStyle::Snake,
            "SCREAMING_SNAKE_CASE" => EntryStyle::ScreamingSnake,
            "kebab-case" => EntryStyle::Kebab,
            "SCREAMING-KEBAB-CASE" => EntryStyle::ScreamingKebab,
            _ => return None,
        })
    }

    /// `name` in this style. `lowercase`/`UPPERCASE` only change the case (no word splitting),
    /// as in serde.
    pub(crate) fn apply(self, name: &str) -> String {
        match self {
            EntryStyle::Lower => name.to_lowercase(),
            EntryStyle::Upper => name.to_uppercase(),
            EntryStyle::Pascal => pascal(name),
            EntryStyle::Camel => {
                let pascal = pascal(name);
                let mut chars = pascal.chars();
                match chars.next() {
                    Some(first) => first.to_lowercase().chain(chars).collect(),
                    None => pascal,
                }
            }
            EntryStyle::Snake => delimited(name, '_', false),
            EntryStyle::ScreamingSnake => delimited(name, '_', true),
            EntryStyle::Kebab => delimited(name, '-', false),
            EntryStyle::ScreamingKebab => delimited(name, '-', true),
        }
    }
}

/// The five spellings of a name: `[as written, PascalCase, snake_case, kebab-case,
/// SCREAMING_SNAKE_CASE]`, the order of the runtime's `NameSet::NAMES`.
pub(crate) type Spellings = [String; 5];

/// The same literal in every style (`name = "X"`, `exact_prefix`, `name_exact`).
pub(crate) fn exact(s: &str) -> Spellings {
    std::array::from_fn(|_| s.to_owned())
}

/// `name` as written and inflected into each style.
pub(crate) fn inflect(name: &str) -> Spellings {
    [
        name.to_owned(),
        Style::Pascal.apply(name),
        Style::Snake.apply(name),
        Style::Kebab.apply(name),
        Style::ScreamingSnake.apply(name),
    ]
}

/// A flatten-site prefix in each style, with delimiters added where the style has one.
pub(crate) fn inflect_prefix(prefix: &str) -> Spellings {
    [
        prefix.to_owned(),
        Style::Pascal.apply_prefix(prefix),
        Style::Snake.apply_prefix(prefix),
        Style::Kebab.apply_prefix(prefix),
        Style::ScreamingSnake.apply_prefix(prefix),
    ]
}

/// `exact` (verbatim) followed by `name` inflected into each style.
pub(crate) fn exact_then_inflect(exact: &str, name: &str) -> Spellings {
    inflect(name).map(|s| format!("{exact}{s}"))
}

fn pascal(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut new_word = true;
    // The last character pushed as a "continuing" letter (Inflector's `last_char`): capitals that
    // open a word do not update it, which is why `FooBARBaz` keeps its capitals.
    let mut last = ' ';
    for c in name.chars() {
        if !c.is_alphanumeric() {
            new_word = true;
        } else if c.is_numeric() {
            new_word = true;
            out.push(c);
        } else if new_word || (last.is_lowercase() && c.is_uppercase()) {
            new_word = false;
            out.extend(c.to_uppercase());
        } else {
            last = c;
            out.extend(c.to_lowercase());
        }
    }
    out
}

fn delimited(name: &str, delimiter: char, upper: bool) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::with_capacity(name.len() + 4);
    let mut at_word_start = true;
    let mut pending_delimiter = false;
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            pending_delimiter = !out.is_empty();
            at_word_start = true;
            continue;
        }
        let neighbour_lower = |j: Option<usize>| {
            j.and_then(|j| chars.get(j))
                .is_some_and(|n| n.is_lowercase())
        };
        if !at_word_start
            && c.is_uppercase()
            && (neighbour_lower(Some(i + 1)) || neighbour_lower(i.checked_sub(1)))
        {
            pending_delimiter = true;
        }
        if pending_delimiter {
            out.push(delimiter);
            pending_delimiter = false;
        }
        at_word_start = false;
        if upper {
            out.extend(c.to_uppercase());
        } else {
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// Why a prefix literal is rejected, if it is (container and field `prefix`).
pub(crate) fn invalid_prefix_char(prefix: &str) -> Option<char> {
    prefix
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '_' || *c == '-'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pascal_rules() {
        assert_eq!(pascal("foo_bar"), "FooBar");
        assert_eq!(pascal("status_5xx"), "Status5Xx");
        assert_eq!(pascal("XMLHttpRequest"), "XmlhttpRequest");
        assert_eq!(pascal("FooBARBaz"), "FooBARBaz");
        assert_eq!(pascal("fooBar"), "FooBar");
        assert_eq!(pascal("__leading__trailing__"), "LeadingTrailing");
        assert_eq!(pascal("prefix_this_is_b_field"), "PrefixThisIsBField");
        assert_eq!(pascal("HTTPSConnection"), "Httpsconnection");
    }

    #[test]
    fn delimited_rules() {
        assert_eq!(Style::Snake.apply("HTTPSConnection"), "https_connection");
        assert_eq!(Style::Snake.apply("XMLHttpRequest"), "xml_http_request");
        assert_eq!(Style::Snake.apply("FooBARBaz"), "foo_bar_baz");
        assert_eq!(Style::Snake.apply("status_5xx"), "status_5xx");
        assert_eq!(Style::Snake.apply("ApiLatency"), "api_latency");
        assert_eq!(Style::Snake.apply("__a__b__"), "a_b");
        assert_eq!(Style::Kebab.apply("foo_bar"), "foo-bar");
        assert_eq!(Style::Kebab.apply("FooBar"), "foo-bar");
        assert_eq!(Style::ScreamingSnake.apply("fooBar_baz"), "FOO_BAR_BAZ");
    }

    #[test]
    fn inflection_is_idempotent_on_its_own_output() {
        for name in [
            "foo_bar",
            "status_5xx",
            "HTTPSConnection",
            "a",
            "request_latency",
        ] {
            for style in [
                Style::Pascal,
                Style::Snake,
                Style::Kebab,
                Style::ScreamingSnake,
            ] {
                let once = style.apply(name);
                assert_eq!(style.apply(&once), once, "{style:?} of {name}");
            }
        }
    }

    #[test]
    fn prefixes_get_delimiters() {
        assert_eq!(
            inflect_prefix("Downstream"),
            [
                "Downstream",
                "Downstream",
                "downstream_",
                "downstream-",
                "DOWNSTREAM_"
            ]
            .map(String::from)
        );
        assert_eq!(Style::Snake.apply_prefix("Waterfowl_"), "waterfowl_");
        assert_eq!(Style::Kebab.apply_prefix("his"), "his-");
        assert_eq!(Style::Pascal.apply_prefix("prefix_"), "Prefix");
    }

    // The worked examples of reference §3.5, one test each. The final name is
    // `prefix chain (in the parent's style) + spelling (in the child's style)`.

    #[test]
    fn example_kebab_root_field() {
        assert_eq!(inflect("foo_bar")[Style::Kebab.index()], "foo-bar");
    }

    #[test]
    fn example_snake_child_with_container_prefix() {
        assert_eq!(inflect("prefix_a")[Style::Snake.index()], "prefix_a");
    }

    #[test]
    fn example_exact_container_prefix_pascal() {
        assert_eq!(
            exact_then_inflect("prefix@", "a")[Style::Pascal.index()],
            "prefix@A"
        );
    }

    #[test]
    fn example_pascal_root_subfield_child_with_prefix() {
        // The child has no own rename_all, so it inherits PascalCase.
        assert_eq!(
            inflect("prefix_this_is_b_field")[Style::Pascal.index()],
            "PrefixThisIsBField"
        );
    }

    #[test]
    fn example_snake_root_flatten_prefix_and_named_child_field() {
        let prefix = &inflect_prefix("Waterfowl_")[Style::Snake.index()];
        let name = &exact("NDucks")[Style::Snake.index()];
        assert_eq!(format!("{prefix}{name}"), "waterfowl_NDucks");
    }

    #[test]
    fn example_kebab_root_exact_flatten_prefix() {
        let prefix = &exact("API:")[Style::Kebab.index()];
        let name = &inflect("request_latency")[Style::Kebab.index()];
        assert_eq!(format!("{prefix}{name}"), "API:request-latency");
    }

    #[test]
    fn example_kebab_prefix_pascal_child() {
        let prefix = &inflect_prefix("his")[Style::Kebab.index()];
        let name = &inflect("api_latency")[Style::Pascal.index()];
        assert_eq!(format!("{prefix}{name}"), "his-ApiLatency");
    }

    #[test]
    fn rename_all_literals() {
        assert_eq!(Style::parse("PascalCase"), Ok(Some(Style::Pascal)));
        assert_eq!(Style::parse("snake_case"), Ok(Some(Style::Snake)));
        assert_eq!(Style::parse("kebab-case"), Ok(Some(Style::Kebab)));
        assert_eq!(
            Style::parse("SCREAMING_SNAKE_CASE"),
            Ok(Some(Style::ScreamingSnake))
        );
        assert_eq!(Style::parse("preserve"), Ok(None));
        assert_eq!(Style::parse("Preserve"), Ok(None));
        assert_eq!(Style::parse("camelCase"), Err(()));
    }

    #[test]
    fn entry_styles() {
        let apply = |lit: &str, name: &str| EntryStyle::parse(lit).unwrap().apply(name);
        assert_eq!(apply("lowercase", "fooBar_baz"), "foobar_baz");
        assert_eq!(apply("UPPERCASE", "foo_bar"), "FOO_BAR");
        assert_eq!(apply("PascalCase", "foo_bar"), "FooBar");
        assert_eq!(apply("camelCase", "foo_bar"), "fooBar");
        assert_eq!(apply("camelCase", "FooBar"), "fooBar");
        assert_eq!(apply("snake_case", "FooBar"), "foo_bar");
        assert_eq!(apply("SCREAMING_SNAKE_CASE", "foo_bar"), "FOO_BAR");
        assert_eq!(apply("kebab-case", "foo_bar"), "foo-bar");
        assert_eq!(apply("SCREAMING-KEBAB-CASE", "foo_bar"), "FOO-BAR");
        assert_eq!(EntryStyle::parse("Kebab"), None);
        for lit in EntryStyle::LITERALS {
            assert!(EntryStyle::parse(lit).is_some(), "{lit}");
        }
    }

    #[test]
    fn prefix_characters() {
        assert_eq!(invalid_prefix_char("api_v2-"), None);
        assert_eq!(invalid_prefix_char("api."), Some('.'));
        assert_eq!(invalid_prefix_char("a:b"), Some(':'));
    }
}
