//! The five name styles. Each carries its accumulated prefix `P` as a [`ConstStr`].

use std::marker::PhantomData;

use super::{NameSet, NameStyle, Sealed};
use crate::concat::{Concat, ConstStr, EmptyConstStr};

/// Spelling `I` of the name set `N`.
#[doc(hidden)]
#[derive(Debug)]
pub struct Pick<N, const I: usize>(PhantomData<N>);

impl<N: NameSet, const I: usize> ConstStr for Pick<N, I> {
    const VALUE: &'static str = N::NAMES[I];
}

macro_rules! style {
    ($(#[$m:meta])* $name:ident, $index:literal) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, Default)]
        pub struct $name<P = EmptyConstStr>(PhantomData<P>);

        impl<P: ConstStr + 'static> Sealed for $name<P> {}

        impl<P: ConstStr + 'static> NameStyle for $name<P> {
            type Identity = Identity<P>;
            type PascalCase = PascalCase<P>;
            type SnakeCase = SnakeCase<P>;
            type KebabCase = KebabCase<P>;
            type ScreamingSnakeCase = ScreamingSnakeCase<P>;
            type AppendPrefix<N: NameSet> = $name<Concat<P, Pick<N, $index>>>;

            #[inline(always)]
            fn name<N: NameSet>() -> &'static str {
                <Concat<P, Pick<N, $index>> as ConstStr>::VALUE
            }
        }
    };
}

style!(
    /// Names as written (the root style, and what `rename_all = "Preserve"` inherits).
    Identity, 0
);
style!(
    /// `PascalCase` names.
    PascalCase, 1
);
style!(
    /// `snake_case` names.
    SnakeCase, 2
);
style!(
    /// `kebab-case` names.
    KebabCase, 3
);
style!(
    /// `SCREAMING_SNAKE_CASE` names.
    ScreamingSnakeCase, 4
);

#[cfg(test)]
mod tests {
    use super::*;

    struct Field;
    impl NameSet for Field {
        const NAMES: [&'static str; 5] = ["foo_bar", "FooBar", "foo_bar", "foo-bar", "FOO_BAR"];
    }
    struct Prefix;
    impl NameSet for Prefix {
        const NAMES: [&'static str; 5] = ["his", "His", "his_", "his-", "HIS_"];
    }

    #[test]
    fn styles_pick_spellings_and_accumulate_prefixes() {
        assert_eq!(Identity::<EmptyConstStr>::name::<Field>(), "foo_bar");
        assert_eq!(<KebabCase as NameStyle>::name::<Field>(), "foo-bar");
        assert_eq!(
            <ScreamingSnakeCase as NameStyle>::name::<Field>(),
            "FOO_BAR"
        );
        // kebab parent prefix "his", PascalCase child: `his-FooBar`.
        type Child = <<KebabCase as NameStyle>::AppendPrefix<Prefix> as NameStyle>::PascalCase;
        assert_eq!(Child::name::<Field>(), "his-FooBar");
    }
}
