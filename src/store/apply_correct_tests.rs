//! The sync rule for corrections (docs/sync.md): every replica that holds the same events
//! holds the same histories, whatever order a correction and another device's edit of the
//! same contact arrive in.

use jiff::civil::date;

use super::*;
use crate::domain::correction::tests::contact;
use crate::domain::model::{Outcome, TaskOrigin};

fn follow_up(id: TaskId, due: jiff::civil::Date) -> Task {
    Task {
        id,
        due,
        text: format!("task {id}"),
        origin: TaskOrigin::FollowUp,
        done: None,
    }
}

fn stamp(ms: u64, book: u8) -> Stamp {
    Stamp {
        hlc: Hlc { ms, logical: 0 },
        id: EventId {
            origin: BookId([book; 16]),
            counter: 1,
        },
    }
}

/// One device's edit of the contact (a test value: its size does not matter).
#[allow(clippy::large_enum_variant)]
#[derive(Clone)]
enum Edit {
    Correct {
        stamp: Stamp,
        by: &'static str,
        previous: Interaction,
        corrected: Interaction,
        task: Option<Task>,
        drop_task: Option<TaskId>,
    },
    Retract {
        interaction: Interaction,
        drop_task: Option<TaskId>,
    },
}

fn run(start: &Histories, edits: &[&Edit]) -> Histories {
    let mut h = start.clone();
    for edit in edits {
        match edit {
            Edit::Correct {
                stamp,
                by,
                previous,
                corrected,
                task,
                drop_task,
            } => {
                let on = jiff::Timestamp::from_millisecond(stamp.hlc.ms as i64).unwrap();
                let c = Correction::of(*stamp, by, on, previous, corrected, task.as_ref());
                h.correct_contact(c, task.as_ref(), *drop_task);
            }
            Edit::Retract {
                interaction,
                drop_task,
            } => h.retract_contact(interaction, *drop_task, &[]),
        }
    }
    h
}

/// The contact as logged, with its follow-up (task 1, due the 10th).
fn logged() -> Histories {
    Histories {
        interactions: vec![contact("prices", Some(date(2026, 12, 10)))],
        tasks: vec![follow_up(1, date(2026, 12, 10))],
        ..Histories::default()
    }
}

/// Two devices correct the same version without seeing each other: the later stamp is in
/// force in either order, and both corrections are kept (the old version with them).
#[test]
fn two_corrections_of_one_contact_the_later_is_in_force_in_either_order() {
    let start = logged();
    let x = start.interactions[0].clone();
    // Device A (earlier): a new follow-up date. Device B (later): no follow-up, new note.
    let a = Edit::Correct {
        stamp: stamp(100, 1),
        by: "alice",
        previous: x.clone(),
        corrected: contact("prices sent", Some(date(2026, 12, 12))),
        task: Some(follow_up(1, date(2026, 12, 12))),
        drop_task: None,
    };
    let b = Edit::Correct {
        stamp: stamp(200, 2),
        by: "bob",
        previous: x.clone(),
        corrected: contact("wrong customer's prices", None),
        task: None,
        drop_task: Some(1),
    };
    let ab = run(&start, &[&a, &b]);
    let ba = run(&start, &[&b, &a]);
    assert_eq!(ab, ba);
    assert_eq!(
        ab.interactions,
        vec![contact("wrong customer's prices", None)]
    );
    assert!(ab.tasks.is_empty(), "{:?}", ab.tasks);
    let versions: Vec<(&str, &str)> = ab
        .corrections
        .iter()
        .map(|c| (c.made.by.as_str(), c.made.corrected.note.as_str()))
        .collect();
    assert_eq!(
        versions,
        [("alice", "prices sent"), ("bob", "wrong customer's prices")]
    );
    assert!(ab.corrections.iter().all(|c| c.made.previous == x));
}

/// A follow-up opened by the correction that lost is not left behind in either order.
#[test]
fn the_follow_up_of_the_correction_not_in_force_goes() {
    let start = Histories {
        interactions: vec![contact("prices", None)],
        ..Histories::default()
    };
    let x = start.interactions[0].clone();
    let a = Edit::Correct {
        stamp: stamp(100, 1),
        by: "alice",
        previous: x.clone(),
        corrected: contact("prices", Some(date(2026, 12, 11))),
        task: Some(follow_up(7, date(2026, 12, 11))),
        drop_task: None,
    };
    let b = Edit::Correct {
        stamp: stamp(200, 2),
        by: "bob",
        previous: x,
        corrected: contact("prices", Some(date(2026, 12, 14))),
        task: Some(follow_up(9, date(2026, 12, 14))),
        drop_task: None,
    };
    let ab = run(&start, &[&a, &b]);
    assert_eq!(ab, run(&start, &[&b, &a]));
    assert_eq!(ab.tasks, vec![follow_up(9, date(2026, 12, 14))]);
}

/// A correction of a correction (made having seen it) keeps the follow-up the first put.
#[test]
fn a_correction_on_top_of_another_keeps_its_follow_up() {
    let start = logged();
    let x = start.interactions[0].clone();
    let first = contact("prices sent", Some(date(2026, 12, 12)));
    let a = Edit::Correct {
        stamp: stamp(100, 1),
        by: "alice",
        previous: x,
        corrected: first.clone(),
        task: Some(follow_up(1, date(2026, 12, 12))),
        drop_task: None,
    };
    let mut second = first.clone();
    second.outcome = Outcome::Positive;
    let b = Edit::Correct {
        stamp: stamp(200, 2),
        by: "bob",
        previous: first,
        corrected: second.clone(),
        task: None,
        drop_task: None,
    };
    let h = run(&start, &[&a, &b]);
    assert_eq!(h.interactions, vec![second]);
    assert_eq!(h.tasks, vec![follow_up(1, date(2026, 12, 12))]);
}

/// An undo on one device and a correction on another: the contact is gone in either order
/// (the correction is kept with the old version), and so is the follow-up.
#[test]
fn an_undo_and_a_correction_the_undo_wins_in_either_order() {
    let start = logged();
    let x = start.interactions[0].clone();
    let correct = Edit::Correct {
        stamp: stamp(200, 2),
        by: "bob",
        previous: x.clone(),
        corrected: contact("prices", Some(date(2026, 12, 20))),
        task: Some(follow_up(1, date(2026, 12, 20))),
        drop_task: None,
    };
    let undo = Edit::Retract {
        interaction: x,
        drop_task: Some(1),
    };
    let one = run(&start, &[&correct, &undo]);
    let two = run(&start, &[&undo, &correct]);
    assert_eq!(one, two);
    assert!(one.interactions.is_empty());
    assert!(one.tasks.is_empty());
    assert_eq!(one.corrections.len(), 1);
}

/// A follow-up marked done on another device stays done: a correction moves or removes
/// only an open one.
#[test]
fn a_follow_up_done_elsewhere_stays_done() {
    let mut start = logged();
    start.tasks[0].done = Some(date(2026, 12, 9));
    let x = start.interactions[0].clone();
    let correct = Edit::Correct {
        stamp: stamp(200, 2),
        by: "bob",
        previous: x,
        corrected: contact("prices", None),
        task: None,
        drop_task: Some(1),
    };
    let h = run(&start, &[&correct]);
    assert_eq!(h.tasks, start.tasks);
}

/// An export taken before a correction, merged back, brings no second copy of the contact.
#[test]
fn merging_an_old_export_keeps_the_corrected_contact_single() {
    let start = logged();
    let x = start.interactions[0].clone();
    let correct = Edit::Correct {
        stamp: stamp(200, 2),
        by: "bob",
        previous: x.clone(),
        corrected: contact("prices sent", Some(date(2026, 12, 10))),
        task: None,
        drop_task: None,
    };
    let h = run(&start, &[&correct]);
    let mut account = crate::domain::testkit::account("acme");
    account.interactions = vec![x];
    let mut merged = h.clone();
    merged.take_in(&h, &[&account]);
    assert_eq!(merged.interactions, h.interactions);
}
