use super::*;

#[test]
fn quarter_hours() {
    assert_eq!(quarters_needed(0.25), 1);
    assert_eq!(quarters_needed(0.3), 2);
    assert_eq!(quarters_needed(4.0), 16);
    assert_eq!(quarters_needed(0.0), 0);
    assert_eq!(quarters_needed(f64::NAN), 0);
    assert_eq!(quarters_available(2.9), 11);
    assert_eq!(quarters_available(40.0), 160);
    assert_eq!(quarters_available(-1.0), 0);
}

#[test]
fn exact_where_greedy_fails() {
    // Greedy by value per weight takes item 0 (2.0 per quarter) and then nothing fits:
    // 10. The optimum is items 1 and 2: 14 in exactly 8 quarters.
    let choice = knapsack(&[10.0, 7.0, 7.0], &[5, 4, 4], 8, usize::MAX);
    assert_eq!(
        choice,
        Choice {
            chosen: vec![1, 2],
            exact: true
        }
    );
    // Textbook case: 60/1, 100/2, 120/3 in 5 -> 100 + 120.
    let choice = knapsack(&[60.0, 100.0, 120.0], &[1, 2, 3], 5, usize::MAX);
    assert_eq!(choice.chosen, [1, 2]);
    // Over the cell budget: greedy, and it says so.
    let greedy = knapsack(&[10.0, 7.0, 7.0], &[5, 4, 4], 8, 5);
    assert_eq!(
        greedy,
        Choice {
            chosen: vec![0],
            exact: false
        }
    );
}

#[test]
fn edge_cases() {
    // Non-positive values and items heavier than the capacity are never chosen.
    let choice = knapsack(&[5.0, 0.0, -3.0, 9.0], &[1, 1, 1, 9], 3, usize::MAX);
    assert_eq!(choice.chosen, [0]);
    // Everything fits: everything is chosen without a table.
    let choice = knapsack(&[1.0, 2.0], &[2, 2], 4, 0);
    assert_eq!(
        choice,
        Choice {
            chosen: vec![0, 1],
            exact: true
        }
    );
    assert_eq!(
        knapsack(&[], &[], 10, usize::MAX).chosen,
        Vec::<usize>::new()
    );
    assert_eq!(
        knapsack(&[1.0], &[1], 0, usize::MAX).chosen,
        Vec::<usize>::new()
    );
}

/// Exhaustive search over every subset, to check the table on many small cases.
fn brute_force(values: &[f64], weights: &[usize], capacity: usize) -> f64 {
    let n = values.len();
    (0..1u32 << n)
        .filter_map(|mask| {
            let items = (0..n).filter(|i| mask & (1 << i) != 0);
            let weight: usize = items.clone().map(|i| weights[i]).sum();
            (weight <= capacity).then(|| items.map(|i| values[i].max(0.0)).sum::<f64>())
        })
        .fold(0.0, f64::max)
}

#[test]
fn matches_exhaustive_search() {
    // A fixed linear congruential sequence: deterministic, no extra crate.
    let mut state: u64 = 42;
    let mut next = |bound: u64| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1);
        (state >> 33) % bound
    };
    for case in 0..300 {
        let n = 1 + next(10) as usize;
        let values: Vec<f64> = (0..n).map(|_| next(1000) as f64 - 100.0).collect();
        let weights: Vec<usize> = (0..n).map(|_| next(16) as usize).collect();
        let capacity = next(40) as usize;
        let choice = knapsack(&values, &weights, capacity, usize::MAX);
        let weight: usize = choice.chosen.iter().map(|&i| weights[i]).sum();
        let value: f64 = choice.chosen.iter().map(|&i| values[i]).sum();
        assert!(weight <= capacity, "case {case}: over capacity");
        assert_eq!(
            value,
            brute_force(&values, &weights, capacity),
            "case {case}"
        );
    }
}

#[test]
fn an_owner_plan() {
    use RelationshipType::*;
    let entry = |id: &str, crv: f64, hours: f64, kind| PlanEntry {
        id: id.into(),
        crv,
        hours,
        relationship_type: kind,
    };
    // 4.25 hours = 17 quarters: X + W = 1 010, Y + Z + W = 1 110 (best).
    let plan = plan(
        "alice",
        vec![
            entry("w", 10.0, 0.25, Basic),
            entry("x", 1000.0, 4.0, Partnership),
            entry("z", 500.0, 2.0, Proactive),
            entry("y", 600.0, 2.0, Proactive),
        ],
        4.25,
        usize::MAX,
    );
    let ids: Vec<&str> = plan.chosen.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["y", "z", "w"]);
    assert_eq!(plan.chosen_crv, 1110.0);
    assert_eq!(plan.used_hours, 4.25);
    assert_eq!(
        (plan.candidates, plan.left_out, plan.left_out_crv),
        (4, 1, 1000.0)
    );
    assert!(plan.exact);
}
