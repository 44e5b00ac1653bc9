//! The fallback rendering of lists for formats without list support.

use super::{MetricFlags, Observation, Value, ValueWriter};
use crate::unit::Unit;
use crate::validate::ValidationError;

/// Writes `values` into `writer` as one string: the elements' string forms joined with `,`.
/// Elements that write nothing are skipped; an empty list writes `""`.
pub fn write_values_as_string<'a, V: Value + 'a>(
    writer: impl ValueWriter,
    values: impl IntoIterator<Item = &'a V>,
) {
    let mut out = String::new();
    let mut first = true;
    for v in values {
        let mut piece = String::new();
        let mut wrote = false;
        let mut error = None;
        v.write(StringCollector {
            out: &mut piece,
            wrote: &mut wrote,
            error: &mut error,
        });
        if let Some(e) = error {
            writer.error(e);
            return;
        }
        if wrote {
            if !first {
                out.push(',');
            }
            first = false;
            out.push_str(&piece);
        }
    }
    writer.string(&out);
}

struct StringCollector<'s> {
    out: &'s mut String,
    wrote: &'s mut bool,
    error: &'s mut Option<ValidationError>,
}

fn push_observation(out: &mut String, o: Observation) {
    match o {
        Observation::Unsigned(v) => out.push_str(itoa::Buffer::new().format(v)),
        Observation::Signed(v) => out.push_str(itoa::Buffer::new().format(v)),
        Observation::Floating(v) => push_f64(out, v),
        Observation::Repeated { total, occurrences } => {
            push_f64(out, Observation::Repeated { total, occurrences }.as_f64())
        }
    }
}

fn push_f64(out: &mut String, v: f64) {
    if v.is_finite() && v == v.trunc() && v.abs() < 1e15 {
        out.push_str(itoa::Buffer::new().format(v as i64));
    } else {
        out.push_str(ryu::Buffer::new().format(v));
    }
}

impl ValueWriter for StringCollector<'_> {
    fn string(self, value: &str) {
        self.out.push_str(value);
        *self.wrote = true;
    }

    fn metric<'a>(
        self,
        distribution: impl IntoIterator<Item = Observation>,
        _unit: Unit,
        _dimensions: impl IntoIterator<Item = (&'a str, &'a str)>,
        _flags: MetricFlags<'_>,
    ) {
        for (i, o) in distribution.into_iter().enumerate() {
            if i > 0 {
                self.out.push(' ');
            }
            push_observation(self.out, o);
            *self.wrote = true;
        }
    }

    fn error(self, error: ValidationError) {
        *self.error = Some(error);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Collect(Option<String>);
    impl ValueWriter for &mut Collect {
        fn string(self, value: &str) {
            self.0 = Some(value.to_owned());
        }
        fn metric<'a>(
            self,
            _: impl IntoIterator<Item = Observation>,
            _: Unit,
            _: impl IntoIterator<Item = (&'a str, &'a str)>,
            _: MetricFlags<'_>,
        ) {
            panic!("list must not write a metric")
        }
        fn error(self, e: ValidationError) {
            panic!("{e}")
        }
    }

    #[test]
    fn joins_elements_and_skips_absent_ones() {
        let mut c = Collect(None);
        write_values_as_string(&mut c, &[Some(1u64), None, Some(3)]);
        assert_eq!(c.0.as_deref(), Some("1,3"));
        let mut c = Collect(None);
        write_values_as_string::<u64>(&mut c, &[]);
        assert_eq!(c.0.as_deref(), Some(""));
    }
}
