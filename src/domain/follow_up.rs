//! Follow-up tasks read from a contact history, for books that carry no explicit tasks.
//!
//! Each interaction with a follow-up date opened a task; a later contact with the same
//! customer is taken as the follow-up, so the task counts as done on that contact's day.

use jiff::civil::Date;
use jiff::tz::Offset;
use jiff::Timestamp;

use crate::domain::model::{Interaction, Task, TaskOrigin};

/// The tasks the follow-up dates of `interactions` (sorted oldest first) opened, with ids
/// taken from `next_id` in order.
pub fn derive_follow_ups(interactions: &[Interaction], next_id: &mut u64) -> Vec<Task> {
    let mut tasks = Vec::new();
    for (i, interaction) in interactions.iter().enumerate() {
        let Some(due) = interaction.follow_up else {
            continue;
        };
        let done = interactions[i + 1..]
            .iter()
            .find(|later| later.at > interaction.at)
            .map(|later| utc_date(later.at));
        tasks.push(Task {
            id: *next_id,
            due,
            text: follow_up_text(&interaction.note),
            origin: TaskOrigin::FollowUp,
            done,
        });
        *next_id += 1;
    }
    tasks
}

/// "Follow up: " and the note's first line, as the console words a logged follow-up.
pub fn follow_up_text(note: &str) -> String {
    let first_line = note.lines().next().unwrap_or("").trim();
    if first_line.is_empty() {
        "Follow up".to_string()
    } else {
        format!("Follow up: {first_line}")
    }
}

pub fn utc_date(at: Timestamp) -> Date {
    Offset::UTC.to_datetime(at).date()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::model::{Channel, Direction, Outcome, Purpose};

    fn contact(at: &str, follow_up: Option<&str>, note: &str) -> Interaction {
        Interaction {
            at: at.parse().unwrap(),
            channel: Channel::Phone,
            direction: Direction::Outbound,
            purpose: Purpose::Sales,
            outcome: Outcome::Neutral,
            satisfaction: None,
            signals: vec![],
            note: note.to_string(),
            follow_up: follow_up.map(|d| d.parse().unwrap()),
            author: "alice".to_string(),
        }
    }

    #[test]
    fn a_later_contact_closes_the_follow_up() {
        let history = [
            contact(
                "2024-05-10T09:30:00Z",
                Some("2024-06-01"),
                "price list\nmore",
            ),
            contact("2024-05-20T23:30:00-02:00", None, ""),
            contact("2024-06-03T10:00:00Z", Some("2024-06-10"), "  "),
        ];
        let mut next = 7;
        let tasks = derive_follow_ups(&history, &mut next);
        assert_eq!(next, 9);
        assert_eq!(tasks.len(), 2);
        assert_eq!(tasks[0].id, 7);
        assert_eq!(tasks[0].text, "Follow up: price list");
        // 23:30 at -02:00 is the 21st in UTC.
        assert_eq!(tasks[0].done, Some("2024-05-21".parse().unwrap()));
        assert_eq!(tasks[1].id, 8);
        assert_eq!(tasks[1].text, "Follow up");
        assert_eq!(tasks[1].due, "2024-06-10".parse::<Date>().unwrap());
        assert_eq!(tasks[1].done, None);
    }

    #[test]
    fn a_contact_at_the_same_instant_is_not_later() {
        let history = [
            contact("2024-05-10T09:30:00Z", Some("2024-06-01"), "a"),
            contact("2024-05-10T09:30:00Z", None, "b"),
        ];
        let tasks = derive_follow_ups(&history, &mut 1);
        assert_eq!(tasks[0].done, None);
    }
}
