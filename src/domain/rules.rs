//! The rules of the fields: what a value must be to enter the book. One place, so the
//! console's forms, `crm log`, `crm import` (every format) and `crm serve` refuse alike.
//! Each rule says what is wrong as a `Problem`; each front end words it (the console
//! through its message files, the book and the import in English naming the field).

use std::fmt;

use jiff::civil::Date;

use super::text::Text;

/// What is wrong with a value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Problem {
    /// Required and blank.
    Empty,
    /// A login (or an owner, which is a login) has white space in it.
    Spaces,
    /// Outside `min..=max`.
    OutOfRange { min: u8, max: u8, got: u8 },
    /// An amount that must be more than 0 (an order).
    NotPositive(f64),
    /// A figure that must be 0 or more (a customer's spend on the category).
    Negative(f64),
    /// Not a finite number.
    NotFinite,
    /// An order's margin above its amount.
    AboveAmount { margin: f64, amount: f64 },
    /// A period that ends before it starts.
    EndsBeforeStart { since: Date },
}

impl Problem {
    /// The problem as a message (the same words as its `Display` in English).
    pub fn said(self) -> Text {
        match self {
            Problem::Empty => Text::new("problem-empty"),
            Problem::Spaces => Text::new("problem-spaces"),
            Problem::OutOfRange { min, max, got } => Text::new("problem-out-of-range")
                .arg("min", min)
                .arg("max", max)
                .arg("got", got),
            Problem::NotPositive(got) => Text::new("problem-not-positive").arg("got", got),
            Problem::Negative(got) => Text::new("problem-negative").arg("got", got),
            Problem::NotFinite => Text::new("problem-not-finite"),
            Problem::AboveAmount { margin, amount } => Text::new("problem-above-amount")
                .arg("margin", margin)
                .arg("amount", amount),
            Problem::EndsBeforeStart { since } => {
                Text::new("problem-ends-before-start").arg("since", since)
            }
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Empty => write!(f, "must not be empty"),
            Problem::Spaces => write!(f, "must not contain spaces (a login)"),
            Problem::OutOfRange { min, max, got } => write!(f, "must be {min} to {max}, got {got}"),
            Problem::NotPositive(got) => write!(f, "must be a number > 0, got {got}"),
            Problem::Negative(got) => write!(f, "must be a number >= 0, got {got}"),
            Problem::NotFinite => write!(f, "must be a finite number"),
            Problem::AboveAmount { margin, amount } => {
                write!(f, "must not exceed the amount ({margin} > {amount})")
            }
            Problem::EndsBeforeStart { since } => write!(f, "ends before it starts ({since})"),
        }
    }
}

/// A user's login: not blank, no white space (it is typed on command lines: `--owner`).
pub fn login(text: &str) -> Result<(), Problem> {
    if text.trim().is_empty() {
        Err(Problem::Empty)
    } else if text.contains(char::is_whitespace) {
        Err(Problem::Spaces)
    } else {
        Ok(())
    }
}

/// A customer's owner: a login, or blank for nobody yet.
pub fn owner(text: &str) -> Result<(), Problem> {
    if text.trim().is_empty() {
        Ok(())
    } else {
        login(text)
    }
}

/// A contact's satisfaction: 1 (poor) to 5 (very good).
pub fn satisfaction(value: u8) -> Result<(), Problem> {
    if (1..=5).contains(&value) {
        Ok(())
    } else {
        Err(Problem::OutOfRange {
            min: 1,
            max: 5,
            got: value,
        })
    }
}

/// An order's amount: more than 0.
pub fn order_amount(amount: f64) -> Result<(), Problem> {
    if amount.is_finite() && amount > 0.0 {
        Ok(())
    } else {
        Err(Problem::NotPositive(amount))
    }
}

/// An order's margin: a finite number no larger than the amount (it may be negative: a
/// loss-making order).
pub fn order_margin(margin: f64, amount: f64) -> Result<(), Problem> {
    if !margin.is_finite() {
        Err(Problem::NotFinite)
    } else if margin > amount {
        Err(Problem::AboveAmount { margin, amount })
    } else {
        Ok(())
    }
}

/// What a customer spends a year on the category: 0 or more.
pub fn category_spend(value: f64) -> Result<(), Problem> {
    if value.is_finite() && value >= 0.0 {
        Ok(())
    } else {
        Err(Problem::Negative(value))
    }
}

/// A bond's period: it may be open, but cannot end before it starts.
pub fn period(since: Date, until: Option<Date>) -> Result<(), Problem> {
    match until {
        Some(until) if until < since => Err(Problem::EndsBeforeStart { since }),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::testkit::d;

    #[test]
    fn logins_and_owners() {
        assert_eq!(login("alice"), Ok(()));
        assert_eq!(login(""), Err(Problem::Empty));
        assert_eq!(login("  "), Err(Problem::Empty));
        assert_eq!(login("alice chen"), Err(Problem::Spaces));
        assert_eq!(login("alice\t"), Err(Problem::Spaces));
        assert_eq!(owner(""), Ok(()), "nobody owns the customer yet");
        assert_eq!(owner(" "), Ok(()), "nobody, too");
        assert_eq!(owner("bob"), Ok(()));
        assert_eq!(owner("bob smith"), Err(Problem::Spaces));
    }

    #[test]
    fn satisfaction_is_one_to_five() {
        assert_eq!(satisfaction(1), Ok(()));
        assert_eq!(satisfaction(5), Ok(()));
        assert_eq!(
            satisfaction(0),
            Err(Problem::OutOfRange {
                min: 1,
                max: 5,
                got: 0
            })
        );
        assert_eq!(
            satisfaction(7).unwrap_err().to_string(),
            "must be 1 to 5, got 7"
        );
    }

    #[test]
    fn amounts_margins_and_spend() {
        assert_eq!(order_amount(0.01), Ok(()));
        assert_eq!(order_amount(0.0), Err(Problem::NotPositive(0.0)));
        assert_eq!(
            order_amount(-5.0).unwrap_err().to_string(),
            "must be a number > 0, got -5"
        );
        assert!(order_amount(f64::NAN).is_err());
        assert!(order_amount(f64::INFINITY).is_err());
        assert_eq!(order_margin(40.0, 100.0), Ok(()));
        assert_eq!(order_margin(100.0, 100.0), Ok(()));
        assert_eq!(order_margin(-10.0, 100.0), Ok(()), "a loss is a margin");
        assert_eq!(
            order_margin(120.0, 100.0),
            Err(Problem::AboveAmount {
                margin: 120.0,
                amount: 100.0
            })
        );
        assert_eq!(order_margin(f64::NAN, 100.0), Err(Problem::NotFinite));
        assert_eq!(category_spend(0.0), Ok(()));
        assert_eq!(category_spend(-1.0), Err(Problem::Negative(-1.0)));
    }

    #[test]
    fn a_period_cannot_end_before_it_starts() {
        assert_eq!(period(d("2024-05-01"), None), Ok(()));
        assert_eq!(period(d("2024-05-01"), Some(d("2024-05-01"))), Ok(()));
        assert_eq!(
            period(d("2024-05-01"), Some(d("2024-04-01")))
                .unwrap_err()
                .to_string(),
            "ends before it starts (2024-05-01)"
        );
    }
}
