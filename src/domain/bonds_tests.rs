use super::*;
use jiff::civil::date;

fn bond(level: BondLevel, since: Date, until: Option<Date>) -> Bond {
    Bond {
        level,
        kind: "k".into(),
        since,
        until,
        note: String::new(),
    }
}

#[test]
fn level_is_the_highest_active_rung() {
    let as_of = date(2026, 6, 1);
    use BondLevel::*;
    // (bonds, expected level, expected structural count, expected note)
    let cases: Vec<(Vec<Bond>, Level, u32, Option<&str>)> = vec![
        (vec![], Level::None, 0, None),
        (
            vec![bond(Financial, date(2026, 1, 1), None)],
            Level::Financial,
            0,
            None,
        ),
        // Starts on as_of: active.
        (
            vec![
                bond(Social, as_of, None),
                bond(Financial, date(2025, 1, 1), None),
            ],
            Level::Social,
            0,
            None,
        ),
        // Starts the day after as_of: not yet active.
        (
            vec![bond(Structural, date(2026, 6, 2), None)],
            Level::None,
            0,
            None,
        ),
        // Ends on as_of: no longer active; ends the day after: still active.
        (
            vec![bond(Structural, date(2025, 1, 1), Some(as_of))],
            Level::None,
            0,
            None,
        ),
        (
            vec![
                bond(Social, date(2025, 1, 1), Some(date(2026, 6, 2))),
                bond(Financial, date(2025, 1, 1), None),
            ],
            Level::Social,
            0,
            None,
        ),
        // Fragile rungs.
        (
            vec![
                bond(Structural, date(2025, 1, 1), None),
                bond(Financial, date(2025, 1, 1), None),
            ],
            Level::Structural,
            1,
            Some("structural, social rung missing"),
        ),
        (
            vec![
                bond(Structural, date(2025, 1, 1), None),
                bond(Structural, date(2025, 2, 1), None),
            ],
            Level::Structural,
            2,
            Some("structural, financial and social rungs missing"),
        ),
        (
            vec![bond(Social, date(2025, 1, 1), None)],
            Level::Social,
            0,
            Some("social, financial rung missing"),
        ),
    ];
    for (i, (bonds, expected, count, note)) in cases.into_iter().enumerate() {
        let r = rungs(&bonds, as_of);
        assert_eq!(level(&r), expected, "case {i}");
        assert_eq!(r.structural_count, count, "case {i}");
        assert_eq!(fragile_note(&r).as_deref(), note, "case {i}");
    }
}
