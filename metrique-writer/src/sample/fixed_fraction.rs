//! [`FixedFractionSample`]: keep each entry with a fixed probability.

use std::io;

use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};

use super::SampledFormat;
use crate::entry::Entry;
use crate::format::Format;
use crate::stream::IoStreamError;

/// A [`Format`] that keeps each entry with probability `rate` and writes it weighted by
/// `1 / rate` (see [`SampledFormatExt::sample_by_fixed_fraction`](super::SampledFormatExt::sample_by_fixed_fraction)).
#[derive(Debug, Clone)]
pub struct FixedFractionSample<F> {
    format: F,
    rate: f32,
    rng: SmallRng,
}

impl<F> FixedFractionSample<F> {
    /// Samples `format` at `rate`.
    ///
    /// # Panics
    /// If `rate` is not in `(0, 1]`.
    pub fn new(format: F, rate: f32) -> Self {
        assert!(
            rate > 0.0 && rate <= 1.0,
            "sample rate must be in (0, 1], got {rate}"
        );
        Self {
            format,
            rate,
            rng: SmallRng::seed_from_u64(super::random_seed()),
        }
    }
}

impl<F: SampledFormat> Format for FixedFractionSample<F> {
    fn format(
        &mut self,
        entry: &impl Entry,
        output: &mut impl io::Write,
    ) -> Result<(), IoStreamError> {
        if self.rng.random::<f32>() < self.rate {
            self.format
                .format_with_sample_rate(entry, output, self.rate)
        } else {
            Ok(())
        }
    }
}
