//! [`SampledEmf`]: EMF that weights sampled entries by the inverse of their sample rate.

use std::io;

use rand::rngs::SmallRng;
use rand::{Rng, RngCore, SeedableRng};

use super::Emf;
use crate::entry::Entry;
use crate::format::Format;
use crate::sample::SampledFormat;
use crate::stream::IoStreamError;
use crate::validate::ValidationError;

/// [`Emf`] for sampled streams (see [`crate::sample`]).
///
/// [`Format::format`] behaves exactly like [`Emf`]. [`SampledFormat::format_with_sample_rate`]
/// writes every metric in `{"Values":[…],"Counts":[…]}` form with each count multiplied by an
/// integer multiplicity `n`: ⌊1/rate⌋ or ⌈1/rate⌉, drawn so that E\[n\] = 1/rate (rate 0.3 → 3
/// with probability 2/3, 4 with probability 1/3). CloudWatch statistics computed from the
/// sampled stream are then unbiased estimates of the full stream's.
///
/// ```
/// use metrique_writer::format::emf::Emf;
/// use metrique_writer::sample::SampledFormat;
///
/// let mut emf = Emf::all_validations("Ns".into(), vec![vec![]]).with_sampling();
/// let mut out = Vec::new();
/// emf.format_with_sample_rate(&vec![("Latency", 5u64)], &mut out, 0.5).unwrap();
/// let line = String::from_utf8(out).unwrap();
/// assert!(line.contains(r#""Latency":{"Values":[5],"Counts":[2]}"#));
/// ```
#[derive(Debug, Clone)]
pub struct SampledEmf<R = SmallRng> {
    emf: Emf,
    rng: R,
}

impl SampledEmf {
    pub(super) fn new(emf: Emf) -> Self {
        use std::hash::{BuildHasher, Hasher};
        // A seed from the OS-randomized std hasher keys (no extra rand feature needed).
        let seed = std::collections::hash_map::RandomState::new()
            .build_hasher()
            .finish();
        Self {
            emf,
            rng: SmallRng::seed_from_u64(seed),
        }
    }
}

impl Emf {
    /// Like [`Emf::with_sampling`], drawing multiplicities from `rng`.
    pub fn with_sampling_and_rng<R: RngCore>(self, rng: R) -> SampledEmf<R> {
        SampledEmf { emf: self, rng }
    }
}

/// The multiplicity for one entry kept with probability `rate`.
pub(crate) fn multiplicity(rate: f32, rng: &mut impl RngCore) -> Result<u64, ValidationError> {
    if rate.is_nan() || rate <= 0.0 {
        return Err(ValidationError::invalid(
            "format with non-positive sample rate",
        ));
    }
    let inverse = 1.0 / f64::from(rate.min(1.0));
    #[allow(clippy::cast_precision_loss)] // comparing against the largest representable count
    if inverse >= u64::MAX as f64 {
        return Ok(u64::MAX);
    }
    let floor = inverse.floor();
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // 1 <= floor < 2^64
    let n = floor as u64;
    Ok(if rng.random::<f64>() < inverse - floor {
        n + 1
    } else {
        n
    })
}

impl<R> Format for SampledEmf<R> {
    fn format(
        &mut self,
        entry: &impl Entry,
        output: &mut impl io::Write,
    ) -> Result<(), IoStreamError> {
        self.emf.format(entry, output)
    }
}

impl<R: RngCore> SampledFormat for SampledEmf<R> {
    fn format_with_sample_rate(
        &mut self,
        entry: &impl Entry,
        output: &mut impl io::Write,
        rate: f32,
    ) -> Result<(), IoStreamError> {
        let n = multiplicity(rate, &mut self.rng)?;
        self.emf.format_with_multiplicity(entry, output, Some(n))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multiplicity_is_unbiased_and_rejects_bad_rates() {
        let mut rng = SmallRng::seed_from_u64(7);
        assert!(multiplicity(0.0, &mut rng).is_err());
        assert!(multiplicity(-1.0, &mut rng).is_err());
        assert!(multiplicity(f32::NAN, &mut rng).is_err());
        assert_eq!(multiplicity(1.0, &mut rng).unwrap(), 1);
        assert_eq!(multiplicity(0.5, &mut rng).unwrap(), 2);
        assert_eq!(multiplicity(f32::MIN_POSITIVE, &mut rng).unwrap(), u64::MAX);
        let draws: Vec<u64> = (0..30_000)
            .map(|_| multiplicity(0.3, &mut rng).unwrap())
            .collect();
        assert!(draws.iter().all(|&n| n == 3 || n == 4));
        let mean = draws.iter().sum::<u64>() as f64 / draws.len() as f64;
        assert!((mean - 1.0 / 0.3).abs() < 0.02, "{mean}");
    }
}
