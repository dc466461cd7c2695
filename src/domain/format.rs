//! Numbers as people read them in evidence lines and cards: "4 200", "−57 %".

/// Whole units with a thin space every three digits ("12 345"); "−" for negatives.
pub fn money(value: f64) -> String {
    if !value.is_finite() {
        return "-".to_string();
    }
    let rounded = value.round();
    let digits = format!("{:.0}", rounded.abs());
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if rounded < 0.0 {
        out.push('−');
    }
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(' ');
        }
        out.push(ch);
    }
    out
}

/// A ratio as a signed whole percentage change: 0.43 -> "−57 %", 1.25 -> "+25 %".
pub fn change_percent(ratio: f64) -> String {
    // `+ 0.0` turns the −0 of a change that rounds to nothing from below into 0: a
    // margin of 5 886 after 5 892 is "+0 %", not "+-0 %".
    let percent = ((ratio - 1.0) * 100.0).round() + 0.0;
    if percent < 0.0 {
        format!("−{:.0} %", -percent)
    } else {
        format!("+{percent:.0} %")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_thousands() {
        assert_eq!(money(0.0), "0");
        assert_eq!(money(999.4), "999");
        assert_eq!(money(4200.0), "4 200");
        assert_eq!(money(1234567.0), "1 234 567");
        assert_eq!(money(-9800.0), "−9 800");
        assert_eq!(money(f64::NAN), "-");
    }

    #[test]
    fn percent_change() {
        assert_eq!(change_percent(4200.0 / 9800.0), "−57 %");
        assert_eq!(change_percent(1.25), "+25 %");
        assert_eq!(change_percent(1.0), "+0 %");
        // Less than half a per cent down rounds to no change, not a negative zero.
        assert_eq!(change_percent(5886.0 / 5892.0), "+0 %");
    }
}
