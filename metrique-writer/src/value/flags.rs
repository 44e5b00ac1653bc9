//! [`MetricFlags`]: format-specific options attached to one metric write.

use std::any::Any;
use std::fmt::Debug;

/// A format-specific option attached to a metric (EMF's `StorageResolution`, "no metric", the
/// [`Distribution`] marker…). Formats find the options they know with [`MetricFlags::downcast`].
pub trait MetricOptions: Any + Debug + Send + Sync {
    /// Merges `self` with `other`, an option of the **same** type, when both apply to one metric.
    /// Returns `None` when `other` should simply replace `self` (the default).
    fn try_merge(&self, other: &dyn MetricOptions) -> Option<&'static dyn MetricOptions> {
        let _ = other;
        None
    }
}

impl dyn MetricOptions {
    /// Returns this option as `T` if it is one.
    pub fn downcast_ref<T: MetricOptions>(&self) -> Option<&T> {
        (self as &dyn Any).downcast_ref()
    }
}

const SLOTS: usize = 3;

/// The options attached to one metric write: up to three options of distinct types.
///
/// Combining flags never panics (unlike metrique 0.1.33, which panics on options of different
/// types): options of the same type are merged by [`MetricOptions::try_merge`], options of
/// different types sit side by side, and a fourth distinct type is ignored.
#[derive(Clone, Copy, Default)]
pub struct MetricFlags<'a> {
    options: [Option<&'a dyn MetricOptions>; SLOTS],
}

impl Debug for MetricFlags<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(self.options.iter().flatten())
            .finish()
    }
}

impl<'a> MetricFlags<'a> {
    /// No options.
    pub const fn empty() -> Self {
        Self {
            options: [None; SLOTS],
        }
    }

    /// Flags holding one option.
    pub const fn upcast(option: &'a dyn MetricOptions) -> Self {
        Self {
            options: [Some(option), None, None],
        }
    }

    /// True if no option is set.
    pub fn is_empty(&self) -> bool {
        // Slots fill from the front (`upcast`, `add`), so the first one decides.
        self.options[0].is_none()
    }

    /// The option of type `T`, if present.
    pub fn downcast<T: MetricOptions>(&self) -> Option<&'a T> {
        self.options
            .iter()
            .flatten()
            .find_map(|o| (*o as &dyn Any).downcast_ref::<T>())
    }

    /// True if an option of type `T` is present.
    pub fn has<T: MetricOptions>(&self) -> bool {
        self.downcast::<T>().is_some()
    }

    /// Iterates over the options.
    pub fn iter(&self) -> impl Iterator<Item = &'a dyn MetricOptions> + '_ {
        self.options.iter().flatten().copied()
    }

    /// Combines two sets of flags (see the type docs for the rules).
    pub fn try_merge(self, other: MetricFlags<'a>) -> MetricFlags<'a> {
        let mut out = self;
        for opt in other.options.into_iter().flatten() {
            out.add(opt);
        }
        out
    }

    fn add(&mut self, opt: &'a dyn MetricOptions) {
        let ty = (opt as &dyn Any).type_id();
        for slot in self.options.iter_mut() {
            match slot {
                Some(existing) if (*existing as &dyn Any).type_id() == ty => {
                    *slot = Some(existing.try_merge(opt).unwrap_or(opt));
                    return;
                }
                Some(_) => {}
                None => {
                    *slot = Some(opt);
                    return;
                }
            }
        }
    }
}

/// Builds the [`MetricFlags`] of a flag type; used by `#[metrics(flags(..))]` and [`ForceFlag`](super::ForceFlag).
pub trait FlagConstructor {
    /// The flags this type stands for.
    fn construct() -> MetricFlags<'static>;
}

/// Marks a metric as a distribution even when it has a single observation, so formats write it
/// in distribution form.
///
/// Exported as [`value::DistributionFlag`](crate::value::DistributionFlag) (metrique 0.1.33's
/// `metrique_writer_core::value::Distribution`); `value::Distribution` is the
/// [container](crate::value::Distribution) of many observations.
#[derive(Debug, Clone, Copy, Default)]
pub struct Distribution;

impl MetricOptions for Distribution {}

impl FlagConstructor for Distribution {
    fn construct() -> MetricFlags<'static> {
        MetricFlags::upcast(&Distribution)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct A(u8);
    impl MetricOptions for A {
        fn try_merge(&self, other: &dyn MetricOptions) -> Option<&'static dyn MetricOptions> {
            static BOTH: A = A(3);
            let o = other.downcast_ref::<A>()?;
            (o.0 != self.0).then_some(&BOTH as &dyn MetricOptions)
        }
    }

    #[test]
    fn merge_same_type_uses_try_merge_and_distinct_types_coexist() {
        static A1: A = A(1);
        static A2: A = A(2);
        let f = MetricFlags::upcast(&A1).try_merge(MetricFlags::upcast(&A2));
        assert_eq!(f.downcast::<A>().unwrap().0, 3);
        let f = f.try_merge(Distribution::construct());
        assert!(f.has::<Distribution>());
        assert_eq!(f.downcast::<A>().unwrap().0, 3);
        assert!(MetricFlags::empty().is_empty());
    }
}
