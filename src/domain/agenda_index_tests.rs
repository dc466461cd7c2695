use super::*;
use crate::domain::actions::PRIORITY;
use crate::domain::agenda_keys::choose_where;
use crate::domain::card::ActionCode;
use crate::domain::days::add_days;
use crate::domain::model::TaskId;
use proptest::prelude::*;

const AS_OF: Date = jiff::civil::date(2026, 11, 22);
const OWNERS: [&str; 4] = ["alice", "bob", "li.na", "diego"];
/// Few distinct CRVs, so ties are broken by the customer and the task (and NaN and both
/// zeros are ranked as `total_cmp` ranks them).
const CRVS: [f64; 6] = [0.0, -0.0, 120.5, 120.5, 9_000.0, f64::NAN];

/// A customer's keys as a card of `as_of` gives them: follow-ups due by the day, this
/// week's after it, and distinct action codes.
#[derive(Debug, Clone)]
struct Drawn {
    owner: usize,
    crv: usize,
    follow_ups: Vec<i64>,
    upcoming: Vec<i64>,
    actions: Vec<(usize, i64)>,
}

fn drawn() -> impl Strategy<Value = Drawn> {
    (
        0..OWNERS.len(),
        0..CRVS.len(),
        proptest::collection::vec(-6i64..=0, 0..3),
        proptest::collection::vec(1i64..=7, 0..3),
        proptest::collection::vec((0..PRIORITY.len(), -3i64..4), 0..4),
    )
        .prop_map(|(owner, crv, follow_ups, upcoming, actions)| Drawn {
            owner,
            crv,
            follow_ups,
            upcoming,
            actions,
        })
}

fn keys_of(id: u32, d: &Drawn) -> AgendaKeys {
    let tasks = |days: &[i64], first: TaskId| {
        days.iter()
            .zip(first..)
            .map(|(&days, task)| (add_days(AS_OF, days), task))
            .collect()
    };
    let mut codes = BTreeSet::new();
    AgendaKeys {
        id: format!("c{id:05}"),
        owner: OWNERS[d.owner].to_string(),
        crv: CRVS[d.crv],
        follow_ups: tasks(&d.follow_ups, 1),
        upcoming: tasks(&d.upcoming, 10),
        actions: d
            .actions
            .iter()
            .filter(|(code, _)| codes.insert(*code))
            .map(|&(code, days)| (PRIORITY[code], add_days(AS_OF, days)))
            .collect(),
    }
}

#[derive(Debug, Clone)]
enum Write {
    /// The customer at this place (modulo the book's size) gets new keys.
    Set(usize, Drawn),
    /// A new customer with this id number (placed in id order).
    Insert(u32, Drawn),
    Remove(usize),
}

fn write() -> impl Strategy<Value = Write> {
    prop_oneof![
        5 => (any::<usize>(), drawn()).prop_map(|(at, d)| Write::Set(at, d)),
        2 => (0u32..2000, drawn()).prop_map(|(id, d)| Write::Insert(id, d)),
        2 => any::<usize>().prop_map(Write::Remove),
    ]
}

/// The board's choice equals the whole selection's, for everyone, each owner, and a reach
/// of two owners.
fn same_choice(board: &mut AgendaBoard, limit: usize) -> Result<(), TestCaseError> {
    let everyone = |_: &str| true;
    let east = |owner: &str| owner == "alice" || owner == "bob";
    let keys = board.keys().to_vec();
    for owner in [None, Some("alice"), Some("bob"), Some("nobody")] {
        let want = choose_where(&keys, owner, &|_| true, AS_OF, limit);
        prop_assert_eq!(board.choose(owner, &everyone, AS_OF, limit), want);
        let want = choose_where(&keys, owner, &|k| east(&k.owner), AS_OF, limit);
        prop_assert_eq!(board.choose(owner, &east, AS_OF, limit), want);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// After any writes (keys changed, customers added between others and removed) the
    /// index kept current is the index made afresh, and it chooses what the selection
    /// over every key chooses: the same customers and the same honest totals.
    #[test]
    fn the_index_kept_current_chooses_what_a_whole_selection_chooses(
        start in proptest::collection::vec(drawn(), 0..120),
        writes in proptest::collection::vec(write(), 0..60),
        limit in 0usize..6,
    ) {
        // Ids with gaps (every 10th number) so inserts land between customers.
        let keys: Vec<AgendaKeys> =
            start.iter().enumerate().map(|(i, d)| keys_of(10 * i as u32, d)).collect();
        let mut board = AgendaBoard::new(keys);
        same_choice(&mut board, limit)?;
        prop_assert!(board.is_indexed());
        for write in writes {
            match write {
                Write::Set(at, d) if !board.is_empty() => {
                    let at = at % board.len();
                    let id = board.keys()[at].id.clone();
                    let mut key = keys_of(0, &d);
                    key.id = id;
                    board.set(at, key);
                }
                Write::Insert(n, d) => {
                    let key = keys_of(n, &d);
                    match board.keys().binary_search_by(|k| k.id.cmp(&key.id)) {
                        Ok(at) => board.set(at, key),
                        Err(at) => board.insert(at, key),
                    }
                }
                Write::Remove(at) if !board.is_empty() => board.remove(at % board.len()),
                _ => {}
            }
            prop_assert_eq!(board.index.as_ref(), Some(&AgendaIndex::of(board.keys())));
            same_choice(&mut board, limit)?;
        }
    }
}

/// Hand-made: bob's two customers and alice's one; the limit of 1 keeps each list's best
/// and the totals count everything.
#[test]
fn the_first_item_of_each_list_and_honest_totals() {
    let today = AS_OF;
    let key = |id: &str, owner: &str, crv: f64, follow_ups: Vec<(Date, TaskId)>| AgendaKeys {
        id: id.into(),
        owner: owner.into(),
        crv,
        follow_ups,
        upcoming: vec![(add_days(today, 2), 9)],
        actions: vec![(ActionCode::WinBack, today)],
    };
    let keys = vec![
        key("a", "bob", 10.0, vec![(today, 1), (add_days(today, -3), 2)]),
        key("b", "alice", 50.0, vec![(add_days(today, -5), 1)]),
        key("c", "bob", 20.0, vec![(today, 1)]),
    ];
    let mut board = AgendaBoard::new(keys);
    let bob = board.choose(Some("bob"), &|_| true, today, 1);
    // Overdue: a's (3 days); today: c (CRV 20 before a's 10); this week and actions: c
    // (same due, higher CRV).
    assert_eq!(bob.positions, BTreeSet::from([0, 2]));
    assert_eq!(
        (bob.follow_ups_total, bob.overdue_total, bob.today_total),
        (3, 1, 2)
    );
    assert_eq!((bob.this_week_total, bob.actions_total), (2, 2));
    let everyone = board.choose(None, &|_| true, today, 1);
    // b's follow-up is 5 days overdue, b has the highest CRV: it tops three lists.
    assert_eq!(everyone.positions, BTreeSet::from([1, 2]));
    assert_eq!((everyone.follow_ups_total, everyone.overdue_total), (4, 2));
    // a leaves bob's book: its items go with it, positions after it move back.
    board.remove(0);
    let bob = board.choose(Some("bob"), &|_| true, today, 5);
    assert_eq!(bob.positions, BTreeSet::from([1]));
    assert_eq!((bob.follow_ups_total, bob.today_total), (1, 1));
}

/// The packed ranks order as the tuples they stand for: the earliest and latest dates a
/// date can be keep their order and their bits, and a position never spills into the CRV.
#[test]
fn packed_ranks_keep_the_order_of_dates_crvs_and_positions() {
    let dates = [Date::MIN, jiff::civil::date(1969, 12, 31), AS_OF, Date::MAX];
    let bits: Vec<u128> = dates.iter().map(|&d| day_bits(d)).collect();
    assert!(bits.windows(2).all(|w| w[0] < w[1]), "{bits:?}");
    assert!(bits.iter().all(|&b| b < 1 << 24));
    let higher = crv_rank(500.0);
    let lower = crv_rank(20.0);
    assert!(higher < lower);
    let rank = follow_up_rank(AS_OF, higher, u32::MAX);
    assert!(rank < follow_up_rank(AS_OF, lower, 0));
    assert_eq!(position_of(rank), u32::MAX as usize);
    assert_eq!(position_of(at_position(rank, 7)), 7);
    assert!(at_position(rank, 7) < rank);
}
