//! Exact decimals: reading them and computing with them without rounding.
//!
//! rung holds a decimal as `rust_decimal::Decimal`: a 96-bit whole number and
//! a scale of at most 28 (about 28 significant digits). The library itself
//! rounds what does not fit (`1.99999999999999999999999999999` reads as `2`),
//! which would make a threshold fire on a value the facts never held. Every
//! decimal rung reads (facts, table cells, policy literals) goes through
//! [`parse`], which keeps the written scale (`2.0` stays `2.0`) and refuses,
//! in rung's words, what it cannot hold exactly; every decimal operation goes
//! through [`arith`], which refuses a result that would be rounded.

use rust_decimal::Decimal;

/// The most digits after the point a decimal holds.
pub const MAX_SCALE: u32 = 28;

/// Why a text is not an exact decimal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Inexact {
    /// Not a number at all (`1.2.3`, `abc`).
    NotANumber,
    /// More digits after the point than a decimal holds (`1e-30`, 30
    /// significant digits).
    TooPrecise,
    /// A whole part too large for 96 bits (about 7.9e28).
    TooLarge,
}

impl Inexact {
    /// What is wrong, as a label under the value.
    pub fn reason(self) -> &'static str {
        match self {
            Inexact::NotANumber => "not a decimal number",
            Inexact::TooPrecise => "more digits than a decimal holds exactly (28)",
            Inexact::TooLarge => "larger than a decimal holds exactly",
        }
    }

    /// What is wrong, after "`TEXT`, which": a clause for facts reports.
    pub fn reason_clause(self) -> &'static str {
        match self {
            Inexact::NotANumber => "is not a decimal number",
            Inexact::TooPrecise => {
                "cannot be held exactly (a decimal keeps at most 28 significant digits)"
            }
            Inexact::TooLarge => "cannot be held exactly (a decimal is at most about 7.9e28)",
        }
    }

    /// How to fix it.
    pub fn help(self) -> &'static str {
        match self {
            Inexact::NotANumber => "write a decimal number with a decimal point: `0.25`",
            Inexact::TooPrecise => {
                "rung never rounds a decimal silently: round the value yourself to at most 28 significant digits (the smallest decimal above zero is 1e-28), e.g. `2.0` or `0.0000001`"
            }
            Inexact::TooLarge => {
                "rung never rounds a decimal silently: give a smaller value, or a unit that makes it smaller"
            }
        }
    }
}

/// Reads `[-+]digits[.digits][e[-+]digits]` exactly, keeping the written
/// scale (`2.0` has scale 1), or says why it cannot.
///
/// Trailing zeros after the point are dropped only when the scale would not
/// fit otherwise (`1.000…0` with 30 zeros is `1.` with 28): that loses no
/// value.
pub fn parse(text: &str) -> Result<Decimal, Inexact> {
    let (negative, body) = match text.as_bytes().first() {
        Some(b'-') => (true, text.get(1..).unwrap_or("")),
        Some(b'+') => (false, text.get(1..).unwrap_or("")),
        _ => (false, text),
    };
    let (number, exponent) = match body.find(['e', 'E']) {
        Some(i) => {
            let exp = body.get(i + 1..).unwrap_or("");
            let digits = exp.strip_prefix(['-', '+']).unwrap_or(exp);
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return Err(Inexact::NotANumber);
            }
            // An exponent beyond any decimal's reach: refuse without parsing a huge number.
            let value: i64 = digits.parse().unwrap_or(i64::MAX);
            let value = if exp.starts_with('-') { -value } else { value };
            (body.get(..i).unwrap_or(""), value)
        }
        None => (body, 0),
    };
    let (whole, fraction) = match number.split_once('.') {
        Some((w, f)) => (w, f),
        None => (number, ""),
    };
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    // `.5` is read as a spreadsheet may write it; `.` alone is no number.
    if (whole.is_empty() && fraction.is_empty()) || !all_digits(whole) || !all_digits(fraction) {
        return Err(Inexact::NotANumber);
    }
    if number.contains('.') && fraction.is_empty() {
        return Err(Inexact::NotANumber);
    }
    let mut digits: String = whole.chars().chain(fraction.chars()).collect();
    // scale = digits after the point once the exponent applies.
    let mut scale = i64::try_from(fraction.len())
        .unwrap_or(i64::MAX)
        .saturating_sub(exponent);
    if scale < 0 {
        if digits.trim_start_matches('0').is_empty() {
            scale = 0;
        } else if scale < -40 {
            return Err(Inexact::TooLarge);
        } else {
            digits.extend(std::iter::repeat_n(
                '0',
                usize::try_from(-scale).unwrap_or(0),
            ));
            scale = 0;
        }
    }
    while scale > i64::from(MAX_SCALE) && digits.ends_with('0') {
        digits.pop();
        scale -= 1;
    }
    if scale > i64::from(MAX_SCALE) {
        return Err(Inexact::TooPrecise);
    }
    let significant = digits.trim_start_matches('0');
    if significant.len() > 29 {
        return Err(too_many(significant, scale));
    }
    let mantissa: i128 = if significant.is_empty() {
        0
    } else {
        significant.parse().map_err(|_| Inexact::NotANumber)?
    };
    let mantissa = if negative { -mantissa } else { mantissa };
    let scale = u32::try_from(scale).map_err(|_| Inexact::TooPrecise)?;
    Decimal::try_from_i128_with_scale(mantissa, scale)
        .map_err(|_| too_many(significant, i64::from(scale)))
}

/// Too many digits: too large when the whole part alone does not fit, else
/// too precise.
fn too_many(significant: &str, scale: i64) -> Inexact {
    let whole_len =
        usize::try_from(i64::try_from(significant.len()).unwrap_or(0) - scale).unwrap_or(0);
    let whole = significant.get(..whole_len).unwrap_or(significant);
    let fits = whole.len() <= 29 && whole.parse::<i128>().is_ok_and(|w| w <= MAX_MANTISSA);
    if whole.is_empty() || fits {
        Inexact::TooPrecise
    } else {
        Inexact::TooLarge
    }
}

/// The largest mantissa: 2^96 - 1.
const MAX_MANTISSA: i128 = 79_228_162_514_264_337_593_543_950_335;

/// A decimal operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/` (the divisor is not zero: the caller reports that first).
    Div,
}

/// Why a decimal operation has no exact result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArithError {
    /// The result is beyond the largest decimal.
    Overflow,
    /// The exact result has more digits than a decimal holds (`1 / 3`).
    Inexact,
}

/// `x op y`, exactly, or the reason there is no exact result.
///
/// `rust_decimal` rounds a result that does not fit; rung checks the scale
/// of each result against the exact one instead, and checks a quotient by
/// multiplying it back. A sum keeps the larger scale (`0.10 + 0.2 = 0.30`),
/// a product the sum of the scales when it fits, a quotient the fewest digits
/// that hold it exactly (`1 / 4 = 0.25`).
pub fn arith(op: Op, x: Decimal, y: Decimal) -> Result<Decimal, ArithError> {
    match op {
        Op::Add | Op::Sub => {
            let r = if op == Op::Add {
                x.checked_add(y)
            } else {
                x.checked_sub(y)
            }
            .ok_or(ArithError::Overflow)?;
            if r.scale() < x.scale().max(y.scale()) && !holds(r, x, y, op) {
                return Err(ArithError::Inexact);
            }
            Ok(r)
        }
        Op::Mul => mul(x, y),
        Op::Div => {
            let q = x.checked_div(y).ok_or(ArithError::Overflow)?.normalize();
            match mul(q, y) {
                Ok(back) if back == x => Ok(q),
                _ => Err(ArithError::Inexact),
            }
        }
    }
}

/// An exact product: the scales of the operands without their trailing
/// zeros must add up to at most 28, and the library must keep them.
fn mul(x: Decimal, y: Decimal) -> Result<Decimal, ArithError> {
    let want = x.scale() + y.scale();
    let (nx, ny) = (x.normalize(), y.normalize());
    let exact = nx.scale() + ny.scale();
    if exact > MAX_SCALE {
        return Err(ArithError::Inexact);
    }
    let r = nx.checked_mul(ny).ok_or(ArithError::Overflow)?;
    if r.scale() < exact {
        return Err(ArithError::Inexact);
    }
    // Give back the written scale when it fits (`0.10 * 2 = 0.20`).
    let mut shown = r;
    shown.rescale(want.min(MAX_SCALE));
    Ok(if shown == r { shown } else { r })
}

/// Whether a sum whose scale shrank (the library rounds a result that does
/// not fit) is still the exact one: undoing it gives back each operand.
/// Both ways are checked, since one undoing may round back onto its operand.
fn holds(r: Decimal, x: Decimal, y: Decimal, op: Op) -> bool {
    let (back_x, back_y) = if op == Op::Add {
        (r.checked_sub(y), r.checked_sub(x))
    } else {
        (r.checked_add(y), x.checked_sub(r))
    };
    back_x == Some(x) && back_y == Some(y)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn ok(text: &str) -> String {
        parse(text).unwrap().to_string()
    }

    #[test]
    fn keeps_the_written_scale() {
        assert_eq!(ok("2.0"), "2.0");
        assert_eq!(ok("0.25"), "0.25");
        assert_eq!(ok("-1.50"), "-1.50");
        assert_eq!(ok("7"), "7");
        assert_eq!(ok(".5"), "0.5");
        assert_eq!(ok("1.5e1"), "15");
        assert_eq!(ok("1e-28"), "0.0000000000000000000000000001");
        assert_eq!(ok("25e-2"), "0.25");
        assert_eq!(
            ok("1.0000000000000000000000000000000"),
            "1.0000000000000000000000000000"
        );
        assert_eq!(
            ok("79228162514264337593543950335"),
            "79228162514264337593543950335"
        );
    }

    #[test]
    fn refuses_what_it_cannot_hold() {
        assert_eq!(
            parse("1.99999999999999999999999999999"),
            Err(Inexact::TooPrecise)
        );
        assert_eq!(
            parse("0.00000000000000000000000000001"),
            Err(Inexact::TooPrecise)
        );
        assert_eq!(parse("1e-30"), Err(Inexact::TooPrecise));
        assert_eq!(
            parse("79228162514264337593543950336"),
            Err(Inexact::TooLarge)
        );
        assert_eq!(parse("1e40"), Err(Inexact::TooLarge));
        assert_eq!(parse("1e999999999999999999999"), Err(Inexact::TooLarge));
        assert_eq!(
            parse("99999999999999999999999999999.5"),
            Err(Inexact::TooLarge)
        );
        assert_eq!(
            parse("7922816251426433759354395033.55"),
            Err(Inexact::TooPrecise)
        );
        assert_eq!(parse("1.2.3"), Err(Inexact::NotANumber));
        assert_eq!(parse("1."), Err(Inexact::NotANumber));
        assert_eq!(parse(""), Err(Inexact::NotANumber));
        assert_eq!(parse("."), Err(Inexact::NotANumber));
        assert_eq!(parse("-"), Err(Inexact::NotANumber));
        assert_eq!(parse("1e"), Err(Inexact::NotANumber));
        assert_eq!(parse("1e+"), Err(Inexact::NotANumber));
        assert_eq!(parse("e5"), Err(Inexact::NotANumber));
    }

    proptest::proptest! {
        /// Every decimal written with at most 28 digits after the point
        /// reads back as itself, scale included; any text reads or is
        /// refused, never panics.
        #[test]
        fn written_decimals_read_back_exactly(m in proptest::num::i64::ANY, scale in 0u32..=28) {
            let d = Decimal::new(m, scale);
            proptest::prop_assert_eq!(parse(&d.to_string()), Ok(d));
            proptest::prop_assert_eq!(parse(&d.to_string()).map(|p| p.scale()), Ok(scale));
        }

        #[test]
        fn any_text_reads_or_is_refused(text in "[-+0-9.eE]{0,40}") {
            if let Ok(d) = parse(&text) {
                // What is read is what is written, to the last digit.
                let back = parse(&d.to_string());
                proptest::prop_assert_eq!(back, Ok(d));
            }
        }
    }

    #[test]
    fn arithmetic_is_exact_or_refused() {
        let d = |s| parse(s).unwrap();
        assert_eq!(arith(Op::Add, d("0.1"), d("0.2")), Ok(d("0.3")));
        assert_eq!(arith(Op::Div, d("1"), d("4")), Ok(d("0.25")));
        assert_eq!(arith(Op::Div, d("1"), d("3")), Err(ArithError::Inexact));
        assert_eq!(arith(Op::Div, d("2"), d("3")), Err(ArithError::Inexact));
        assert_eq!(
            arith(Op::Mul, d("0.10"), d("2")).unwrap().to_string(),
            "0.20"
        );
        assert_eq!(
            arith(Op::Mul, d("0.00000000000001"), d("0.0000000000000001")),
            Err(ArithError::Inexact)
        );
        assert!(arith(Op::Add, d("79228162514264337593543950335"), d("0.1")).is_err());
        assert_eq!(
            arith(Op::Add, d("7922816251426433759354395033.5"), d("0.01")),
            Err(ArithError::Inexact)
        );
        assert_eq!(
            arith(
                Op::Add,
                d("1000000000000000000000000000"),
                d("0.0000000000000000000000000001")
            ),
            Err(ArithError::Inexact)
        );
        assert_eq!(
            arith(Op::Add, d("7922816251426433759354395033.5"), d("0.5"))
                .unwrap()
                .to_string(),
            "7922816251426433759354395034"
        );
    }
}
