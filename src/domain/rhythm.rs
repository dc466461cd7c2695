//! The customer's rhythm (DOMAIN.md §4, second revision): how many days a customer is
//! expected to leave between orders, so silence is measured against it instead of fixed
//! windows.
//!
//! A customer's *own gap* is a per-customer fact (the median gap between its purchase days,
//! from enough of them); the *book rhythm* is a median over those own gaps, a book-level
//! figure. A change to one customer moves one value of that median, so the book rhythm can
//! be kept current per customer.

use serde::{Deserialize, Serialize};

use super::config::Config;
use super::stats::median;

/// The book's rhythm: the median own gap over the customers that have one, or the
/// configured default when too few have one.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BookRhythm {
    /// Days expected between orders of a customer without an own gap.
    pub days: f64,
    /// Measured from the book (else the configured default).
    pub measured: bool,
    /// Customers with an own gap.
    pub customers: usize,
}

impl BookRhythm {
    /// The configured default: what a book with too few own gaps uses.
    pub fn default_for(cfg: &Config) -> BookRhythm {
        BookRhythm {
            days: cfg.lifecycle.book_rhythm_days,
            measured: false,
            customers: 0,
        }
    }
}

/// The median of the gaps between consecutive purchase days (`gaps` sorted ascending),
/// when there are at least `lifecycle.own_gap_min_purchase_days` purchase days (one more
/// than gaps).
pub fn own_gap(sorted_gaps: &[i64], cfg: &Config) -> Option<f64> {
    if sorted_gaps.len() + 1 < cfg.lifecycle.own_gap_min_purchase_days {
        return None;
    }
    let n = sorted_gaps.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted_gaps[n / 2] as f64),
        _ => Some((sorted_gaps[n / 2 - 1] + sorted_gaps[n / 2]) as f64 / 2.0),
    }
}

/// The book rhythm from every own gap in the book (`None` for customers without one).
pub fn book_rhythm(own_gaps: impl Iterator<Item = Option<f64>>, cfg: &Config) -> BookRhythm {
    let mut gaps: Vec<f64> = own_gaps.flatten().collect();
    let customers = gaps.len();
    if customers < cfg.lifecycle.book_rhythm_min_customers || customers == 0 {
        return BookRhythm {
            customers,
            ..BookRhythm::default_for(cfg)
        };
    }
    BookRhythm {
        days: median(&mut gaps),
        measured: true,
        customers,
    }
}

/// The churn threshold for an expected gap g: max(churn_min_days, churn_gap_multiple × g).
pub fn churn_threshold_days(expected_gap: f64, cfg: &Config) -> f64 {
    let l = &cfg.lifecycle;
    (l.churn_min_days as f64).max(l.churn_gap_multiple * expected_gap)
}

#[cfg(test)]
#[path = "rhythm_tests.rs"]
mod tests;
