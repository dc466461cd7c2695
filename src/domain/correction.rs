//! Correcting a logged contact (DOMAIN.md §1: corrections keep the old version): what the
//! correction changes, and what becomes of the follow-up the old version opened.
//!
//! Pure: the book decides with these, the stores apply the decision (`Change::CorrectContact`).

use crate::domain::follow_up::follow_up_text;
use crate::domain::model::{
    Account, ContactCorrection, CustomerId, Interaction, Task, TaskId, TaskOrigin,
};

/// What a correction does to the contact's follow-up task.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FollowUpEdit {
    /// The follow-up as it is to be: the old one moved (same id), or a new one.
    pub task: Option<Task>,
    /// The old version's follow-up, which the new version no longer asks for.
    pub drop_task: Option<TaskId>,
}

/// The follow-up `previous` opened: a follow-up task due on its date, worded from its note
/// (the last such, as `Book::log_contact` made it).
pub fn opened_by<'a>(tasks: &'a [Task], previous: &Interaction) -> Option<&'a Task> {
    let due = previous.follow_up?;
    let text = follow_up_text(&previous.note);
    tasks
        .iter()
        .rev()
        .find(|t| t.origin == TaskOrigin::FollowUp && t.due == due && t.text == text)
}

/// The follow-up after `previous` becomes `corrected`: the open follow-up it opened moves
/// to the new date (and wording), or goes when the new version asks for none; a follow-up
/// already done stays as it is (the follow-up happened); a new date where none was
/// opened opens a task with id `next_id`.
pub fn follow_up_edit(
    tasks: &[Task],
    previous: &Interaction,
    corrected: &Interaction,
    next_id: TaskId,
) -> FollowUpEdit {
    match opened_by(tasks, previous) {
        Some(task) if task.done.is_some() => FollowUpEdit::default(),
        Some(task) => match corrected.follow_up {
            Some(due) => {
                let moved = Task {
                    due,
                    text: follow_up_text(&corrected.note),
                    ..task.clone()
                };
                FollowUpEdit {
                    task: (moved != *task).then_some(moved),
                    drop_task: None,
                }
            }
            None => FollowUpEdit {
                task: None,
                drop_task: Some(task.id),
            },
        },
        None => match corrected.follow_up {
            Some(due) if corrected.follow_up != previous.follow_up => FollowUpEdit {
                task: Some(Task {
                    id: next_id,
                    due,
                    text: follow_up_text(&corrected.note),
                    origin: TaskOrigin::FollowUp,
                    done: None,
                }),
                drop_task: None,
            },
            _ => FollowUpEdit::default(),
        },
    }
}

/// What a correction changed, one English phrase per field ("outcome neutral → positive"),
/// for the audit trail.
pub fn differences(previous: &Interaction, corrected: &Interaction) -> Vec<String> {
    fn opt<T: ToString>(value: Option<T>) -> String {
        value.map_or_else(|| "none".to_string(), |v| v.to_string())
    }
    fn signals(i: &Interaction) -> String {
        let codes: Vec<&str> = i.signals.iter().map(|s| s.code()).collect();
        if codes.is_empty() {
            "none".to_string()
        } else {
            codes.join(",")
        }
    }
    type Said = fn(&Interaction) -> String;
    let fields: [(&str, Said); 8] = [
        ("channel", |i| i.channel.to_string()),
        ("direction", |i| i.direction.to_string()),
        ("purpose", |i| i.purpose.to_string()),
        ("outcome", |i| i.outcome.to_string()),
        ("satisfaction", |i| opt(i.satisfaction)),
        ("signals", signals),
        ("note", |i| format!("{:?}", i.note)),
        ("follow-up", |i| opt(i.follow_up)),
    ];
    fields
        .iter()
        .filter_map(|(name, said)| {
            let (old, new) = (said(previous), said(corrected));
            (old != new).then(|| format!("{name} {old} → {new}"))
        })
        .collect()
}

/// The corrections an imported book carries, taken out of its accounts to be made again
/// in order once the accounts are in, each contact set back to its version as first
/// logged (the first correction's `previous`): making them again brings it to the version
/// in force, and each correction is kept as it was made. A correction whose contact the
/// account does not hold changes nothing but is still kept.
pub fn take_for_replay(accounts: &mut [Account]) -> Vec<(CustomerId, ContactCorrection)> {
    let mut replay = Vec::new();
    for account in accounts.iter_mut() {
        let corrections = std::mem::take(&mut account.corrections);
        for correction in corrections.iter().rev() {
            let first = &correction.previous;
            if let Some(contact) = account
                .interactions
                .iter_mut()
                .rfind(|i| i.same_contact(first))
            {
                *contact = first.clone();
            }
        }
        let id = &account.customer.id;
        replay.extend(corrections.into_iter().map(|c| (id.clone(), c)));
    }
    replay
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::domain::model::{Channel, Direction, Outcome, Purpose};
    use jiff::civil::date;

    /// alice's inbound sales call of 2026-12-05 10:00 UTC (the store's correction tests
    /// use it too).
    pub(crate) fn contact(note: &str, follow_up: Option<jiff::civil::Date>) -> Interaction {
        Interaction {
            at: "2026-12-05T10:00:00Z".parse().unwrap(),
            channel: Channel::Phone,
            direction: Direction::Inbound,
            purpose: Purpose::Sales,
            outcome: Outcome::Neutral,
            satisfaction: None,
            signals: vec![],
            note: note.into(),
            follow_up,
            author: "alice".into(),
        }
    }

    fn follow_up(id: TaskId, due: jiff::civil::Date, note: &str, done: bool) -> Task {
        Task {
            id,
            due,
            text: follow_up_text(note),
            origin: TaskOrigin::FollowUp,
            done: done.then(|| date(2026, 12, 6)),
        }
    }

    #[test]
    fn the_open_follow_up_moves_to_the_new_date_with_the_new_wording() {
        let old = contact("send prices", Some(date(2026, 12, 10)));
        let new = contact("send the new prices", Some(date(2026, 12, 12)));
        let tasks = [follow_up(7, date(2026, 12, 10), "send prices", false)];
        let edit = follow_up_edit(&tasks, &old, &new, 99);
        assert_eq!(
            edit,
            FollowUpEdit {
                task: Some(follow_up(
                    7,
                    date(2026, 12, 12),
                    "send the new prices",
                    false
                )),
                drop_task: None,
            }
        );
        // Unchanged date and note: nothing to do.
        let same = contact("send prices", Some(date(2026, 12, 10)));
        assert_eq!(
            follow_up_edit(&tasks, &old, &same, 99),
            FollowUpEdit::default()
        );
    }

    #[test]
    fn no_follow_up_any_more_removes_it_and_a_done_one_stays() {
        let old = contact("send prices", Some(date(2026, 12, 10)));
        let new = contact("send prices", None);
        let open = [follow_up(7, date(2026, 12, 10), "send prices", false)];
        assert_eq!(
            follow_up_edit(&open, &old, &new, 99),
            FollowUpEdit {
                task: None,
                drop_task: Some(7)
            }
        );
        let done = [follow_up(7, date(2026, 12, 10), "send prices", true)];
        assert_eq!(
            follow_up_edit(&done, &old, &new, 99),
            FollowUpEdit::default()
        );
    }

    #[test]
    fn a_follow_up_added_by_the_correction_opens_a_task() {
        let old = contact("send prices", None);
        let new = contact("send prices", Some(date(2026, 12, 12)));
        let edit = follow_up_edit(&[], &old, &new, 99);
        assert_eq!(
            edit.task,
            Some(follow_up(99, date(2026, 12, 12), "send prices", false))
        );
        assert_eq!(edit.drop_task, None);
    }

    #[test]
    fn differences_name_each_changed_field_once() {
        let old = contact("send prices", Some(date(2026, 12, 10)));
        let mut new = contact("send prices by mail", None);
        new.outcome = Outcome::Positive;
        assert_eq!(
            differences(&old, &new),
            [
                "outcome neutral → positive",
                "note \"send prices\" → \"send prices by mail\"",
                "follow-up 2026-12-10 → none",
            ]
        );
        assert!(differences(&old, &old).is_empty());
    }
}
