//! The unit of the journal: one `Event` carries one all-or-nothing `Change`.
//!
//! `Change` is stored with bincode, which writes a variant by its position: add new
//! variants at the end only, and never reorder or remove one (that needs a new `Event`
//! version in `codec.rs`). Changing the shape of a record a `Change` carries (as `User`
//! gaining `team` did) changes the bytes too: the old shapes are frozen in `event_v2.rs`.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::envelope::{BookId, EventId, Hlc, Seen};
use crate::domain::model::{
    Bond, BookData, Customer, CustomerId, Cycle, Interaction, Lost, Order, Task, TaskId, User,
};

/// One change to the book, as the book validated it. Applying it is all-or-nothing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Change {
    /// With `merge`, an existing id gets its profile replaced and its histories appended
    /// (records equal to an existing one are skipped; tasks are upserted by id). Without
    /// `merge`, an existing id is replaced whole, histories included. Customers not in
    /// `data` are untouched either way; users and cycles are upserted.
    Import {
        data: BookData,
        merge: bool,
    },
    /// Adds or replaces a profile; histories are untouched.
    PutCustomer(Customer),
    /// Closing a task sets its `done` to the interaction's (UTC) date, if it is still open.
    LogContact {
        customer: CustomerId,
        interaction: Interaction,
        new_task: Option<Task>,
        close_tasks: Vec<TaskId>,
    },
    AddOrder {
        customer: CustomerId,
        order: Order,
    },
    /// Replaces all of the customer's bonds.
    SetBonds {
        customer: CustomerId,
        bonds: Vec<Bond>,
    },
    SetLost {
        customer: CustomerId,
        lost: Option<Lost>,
    },
    /// Upserts by task id within the customer.
    PutTask {
        customer: CustomerId,
        task: Task,
    },
    /// Upserts by cycle id.
    PutCycle(Cycle),
    /// Upserts by login.
    PutUser(User),
    /// Takes back a logged contact (the console's undo, issue 14): the customer's last
    /// interaction equal to `interaction` is removed, the follow-up task it opened
    /// (`drop_task`) removed, the tasks it closed (`reopen_tasks`) open again if still closed
    /// on its day. The log's own event stays in the journal: the audit trail shows both.
    /// Added at the end of the enum (format 4 unchanged: a variant index earlier events
    /// never use, so every journal written before decodes as it did).
    RetractContact {
        customer: CustomerId,
        interaction: Interaction,
        drop_task: Option<TaskId>,
        reopen_tasks: Vec<TaskId>,
    },
    /// Corrects a logged contact (issue 14; DOMAIN.md: corrections keep the old version).
    /// The customer's contact that `previous` is a version of (same time, same author) now
    /// reads `corrected`; the correction itself, with `previous`, is kept beside the
    /// histories and in the journal. `task` is the contact's follow-up as it is to be (moved
    /// to the new date, or opened), `drop_task` the follow-up the old version opened and the
    /// new one has not; neither touches a follow-up already done. Two corrections of one
    /// contact: the later (hybrid clock, then id) is the one in force. Added at the end
    /// of the enum within format 4, after `RetractContact`.
    CorrectContact {
        customer: CustomerId,
        previous: Interaction,
        corrected: Interaction,
        task: Option<Task>,
        drop_task: Option<TaskId>,
    },
}

/// A journal record: who changed what, when, and (format 4) the envelope that lets books
/// exchange it (`envelope.rs`, docs/sync.md). Fields are stored in this order: `seq`, `id`
/// and `hlc` first, so they can be read without decoding the change (`codec::event_head`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// The holding book's number: 1 for its first event, then +1 per event, without gaps.
    pub seq: u64,
    /// Globally unique: the origin book and its counter.
    pub id: EventId,
    /// The hybrid logical clock time the origin gave it.
    pub hlc: Hlc,
    pub at: Timestamp,
    /// The login of the user who made the change.
    pub actor: String,
    pub change: Change,
    /// What the origin knew when it made the change (for conflicts).
    pub seen: Seen,
}

impl Event {
    /// An event made by the book that holds it, without an envelope of its own: its id is
    /// the placeholder `BookId::HOLDER` counted by `seq`, its clock the wall time. What
    /// older events upgrade to and what a repair writes.
    pub fn held(seq: u64, at: Timestamp, actor: String, change: Change) -> Event {
        Event {
            seq,
            id: EventId {
                origin: BookId::HOLDER,
                counter: seq,
            },
            hlc: Hlc::of_time(at),
            at,
            actor,
            change,
            seen: Seen::default(),
        }
    }

    /// The event with the placeholder origin (`BookId::HOLDER`) read as `holder`.
    pub fn with_holder(mut self, holder: BookId) -> Event {
        self.id = self.id.or_holder(holder);
        self.seen.lost = self.seen.lost.map(|id| id.or_holder(holder));
        for field in &mut self.seen.fields {
            field.replaced = field.replaced.map(|id| id.or_holder(holder));
        }
        self
    }
}

/// One line of the audit trail.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JournalEntry {
    pub seq: u64,
    pub at: Timestamp,
    pub actor: String,
    pub description: String,
}

impl Change {
    /// A one-line, human description for the audit trail.
    pub fn describe(&self) -> String {
        match self {
            Change::Import { data, merge } => format!(
                "{} {} customers, {} users, {} cycles",
                if *merge { "merged" } else { "imported" },
                data.accounts.len(),
                data.users.len(),
                data.cycles.len()
            ),
            Change::PutCustomer(c) => format!("saved profile of {}", c.id),
            Change::LogContact {
                customer,
                interaction,
                new_task,
                close_tasks,
            } => {
                let mut line = format!(
                    "logged {} {} contact with {} ({})",
                    interaction.direction, interaction.channel, customer, interaction.outcome
                );
                if let Some(task) = new_task {
                    line.push_str(&format!(", opened task {} due {}", task.id, task.due));
                }
                if !close_tasks.is_empty() {
                    let ids: Vec<String> = close_tasks.iter().map(|id| id.to_string()).collect();
                    line.push_str(&format!(", closed task {}", ids.join(", ")));
                }
                line
            }
            Change::AddOrder { customer, order } => {
                format!(
                    "added order of {} on {} for {}",
                    order.amount, order.date, customer
                )
            }
            Change::SetBonds { customer, bonds } => {
                format!("set {} bonds of {}", bonds.len(), customer)
            }
            Change::SetLost { customer, lost } => match lost {
                Some(lost) => format!(
                    "marked {} lost on {} ({})",
                    customer, lost.date, lost.reason
                ),
                None => format!("cleared the lost mark of {customer}"),
            },
            Change::PutTask { customer, task } => {
                format!("saved task {} of {} due {}", task.id, customer, task.due)
            }
            Change::PutCycle(c) => format!("saved PDCA cycle {} ({}, {})", c.id, c.title, c.phase),
            Change::PutUser(u) => format!("saved user {} ({})", u.login, u.role),
            Change::RetractContact {
                customer,
                interaction,
                ..
            } => format!(
                "took back the {} {} contact with {} of {}",
                interaction.direction, interaction.channel, customer, interaction.at
            ),
            Change::CorrectContact {
                customer,
                previous,
                corrected,
                ..
            } => {
                let mut line = format!(
                    "corrected the {} {} contact with {} of {}",
                    previous.direction, previous.channel, customer, previous.at
                );
                let changes = crate::domain::correction::differences(previous, corrected);
                if !changes.is_empty() {
                    line.push_str(": ");
                    line.push_str(&changes.join("; "));
                }
                line
            }
        }
    }
}
