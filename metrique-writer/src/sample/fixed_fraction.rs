//! [`FixedFractionSample`]: keep each entry with a fixed probability.

use std::io;

use rand::rngs::SmallRng;
use rand::{Rng, RngCore, SeedableRng};

use super::SampledFormat;
use crate::entry::Entry;
use crate::format::Format;
use crate::stream::IoStreamError;

/// A [`Format`] that keeps each entry with probability `rate` and writes it weighted by
/// `1 / rate` (see [`SampledFormatExt::sample_by_fixed_fraction`](super::SampledFormatExt::sample_by_fixed_fraction)).
///
/// The keep/drop decisions come from `R` (a randomly seeded [`SmallRng`] by default; pass a
/// seeded one to [`with_rng`](Self::with_rng) for reproducible sampling).
#[derive(Debug, Clone)]
pub struct FixedFractionSample<F, R = SmallRng> {
    format: F,
    rate: f32,
    rng: R,
}

impl<F> FixedFractionSample<F> {
    /// Samples `format` at `rate`.
    ///
    /// # Panics
    /// If `rate` is not in `(0, 1]`.
    pub fn new(format: F, rate: f32) -> Self {
        Self::with_rng(format, rate, SmallRng::seed_from_u64(super::random_seed()))
    }
}

impl<F, R> FixedFractionSample<F, R> {
    /// Samples `format` at `rate`, drawing the keep/drop decisions from `rng`.
    ///
    /// ```
    /// use metrique_writer::format::emf::Emf;
    /// use metrique_writer::sample::FixedFractionSample;
    /// use rand::{SeedableRng, rngs::SmallRng};
    ///
    /// let emf = Emf::all_validations("Ns".into(), vec![vec![]]).with_sampling();
    /// let _sampled = FixedFractionSample::with_rng(emf, 0.1, SmallRng::seed_from_u64(7));
    /// ```
    ///
    /// # Panics
    /// If `rate` is not in `(0, 1]`.
    pub fn with_rng(format: F, rate: f32, rng: R) -> Self {
        assert!(
            rate > 0.0 && rate <= 1.0,
            "sample rate must be in (0, 1], got {rate}"
        );
        Self { format, rate, rng }
    }

    /// The wrapped format.
    pub fn format_mut(&mut self) -> &mut F {
        &mut self.format
    }
}

impl<F: SampledFormat, R: RngCore> Format for FixedFractionSample<F, R> {
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
