use super::*;

#[test]
fn own_gap_needs_three_purchase_days() {
    let cfg = Config::default();
    // 1 and 2 purchase days (0 and 1 gap): no own gap.
    assert_eq!(own_gap(&[], &cfg), None);
    assert_eq!(own_gap(&[40], &cfg), None);
    // 3 purchase days: the median of 2 gaps is their mean.
    assert_eq!(own_gap(&[20, 40], &cfg), Some(30.0));
    // 4 purchase days: the middle one.
    assert_eq!(own_gap(&[10, 20, 400], &cfg), Some(20.0));
    let mut two = Config::default();
    two.lifecycle.own_gap_min_purchase_days = 2;
    assert_eq!(own_gap(&[40], &two), Some(40.0));
}

/// n customers with an own gap of 10, 20, ... days, and one without.
fn gaps(n: usize) -> Vec<Option<f64>> {
    (1..=n)
        .map(|i| Some(10.0 * i as f64))
        .chain([None])
        .collect()
}

#[test]
fn book_rhythm_is_measured_from_thirty_customers_with_an_own_gap() {
    let cfg = Config::default();
    // 29 own gaps: the default 90 days, not the median 150.
    assert_eq!(
        book_rhythm(gaps(29).into_iter(), &cfg),
        BookRhythm {
            days: 90.0,
            measured: false,
            customers: 29
        }
    );
    // 30 own gaps 10..300: the median of 150 and 160.
    assert_eq!(
        book_rhythm(gaps(30).into_iter(), &cfg),
        BookRhythm {
            days: 155.0,
            measured: true,
            customers: 30
        }
    );
    // 31: the 16th, 160.
    assert_eq!(book_rhythm(gaps(31).into_iter(), &cfg).days, 160.0);
    assert_eq!(
        book_rhythm(std::iter::empty(), &cfg),
        BookRhythm::default_for(&cfg)
    );
    let mut few = Config::default();
    few.lifecycle.book_rhythm_min_customers = 1;
    few.lifecycle.book_rhythm_days = 45.0;
    assert_eq!(book_rhythm(gaps(3).into_iter(), &few).days, 20.0);
    assert_eq!(book_rhythm(gaps(0).into_iter(), &few).days, 45.0);
}

#[test]
fn churn_threshold_is_three_expected_gaps_at_least_a_year() {
    let cfg = Config::default();
    // 3 × 90 = 270 < 365; 3 × 121.6 = 364.8 < 365; 3 × 150 = 450.
    assert_eq!(churn_threshold_days(90.0, &cfg), 365.0);
    assert_eq!(churn_threshold_days(121.6, &cfg), 365.0);
    assert_eq!(churn_threshold_days(150.0, &cfg), 450.0);
}
