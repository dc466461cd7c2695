//! The shapes a journal event's change had before `User` gained `team` (event format
//! versions 1 and 2): frozen here so old journals keep loading. bincode writes a variant by
//! its position and a struct by its fields, so these must never change; a later change to
//! `Change` or to a record it carries gets its own frozen shape beside this one.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::event::{Change, Event};
use crate::domain::model::{
    Account, Bond, BookData, Customer, CustomerId, Cycle, Interaction, Lost, Order, Role, Task,
    TaskId, User,
};

/// A user as stored before format version 2: no team.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct UserV1 {
    pub login: String,
    pub name: String,
    pub role: Role,
}

impl From<UserV1> for User {
    fn from(old: UserV1) -> Self {
        User {
            login: old.login,
            name: old.name,
            role: old.role,
            team: None,
        }
    }
}

/// `BookData` with users without a team.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct BookDataV1 {
    pub users: Vec<UserV1>,
    pub accounts: Vec<Account>,
    pub cycles: Vec<Cycle>,
}

/// `Change` as event versions 1 and 2 wrote it: the same variants in the same order,
/// users without a team.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) enum ChangeV2 {
    Import {
        data: BookDataV1,
        merge: bool,
    },
    PutCustomer(Customer),
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
    SetBonds {
        customer: CustomerId,
        bonds: Vec<Bond>,
    },
    SetLost {
        customer: CustomerId,
        lost: Option<Lost>,
    },
    PutTask {
        customer: CustomerId,
        task: Task,
    },
    PutCycle(Cycle),
    PutUser(UserV1),
}

impl From<ChangeV2> for Change {
    fn from(old: ChangeV2) -> Self {
        match old {
            ChangeV2::Import { data, merge } => Change::Import {
                data: BookData {
                    users: data.users.into_iter().map(User::from).collect(),
                    accounts: data.accounts,
                    cycles: data.cycles,
                },
                merge,
            },
            ChangeV2::PutCustomer(customer) => Change::PutCustomer(customer),
            ChangeV2::LogContact {
                customer,
                interaction,
                new_task,
                close_tasks,
            } => Change::LogContact {
                customer,
                interaction,
                new_task,
                close_tasks,
            },
            ChangeV2::AddOrder { customer, order } => Change::AddOrder { customer, order },
            ChangeV2::SetBonds { customer, bonds } => Change::SetBonds { customer, bonds },
            ChangeV2::SetLost { customer, lost } => Change::SetLost { customer, lost },
            ChangeV2::PutTask { customer, task } => Change::PutTask { customer, task },
            ChangeV2::PutCycle(cycle) => Change::PutCycle(cycle),
            ChangeV2::PutUser(user) => Change::PutUser(user.into()),
        }
    }
}

/// The shape of an event in format version 1, before events named their actor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct EventV1 {
    pub seq: u64,
    pub at: Timestamp,
    pub change: ChangeV2,
}

impl From<EventV1> for Event {
    /// Version 1 did not record who made a change, so the actor is left empty.
    fn from(old: EventV1) -> Self {
        Event::held(old.seq, old.at, String::new(), old.change.into())
    }
}

/// The shape of an event in format version 2: an actor, users without a team.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct EventV2 {
    pub seq: u64,
    pub at: Timestamp,
    pub actor: String,
    pub change: ChangeV2,
}

impl From<EventV2> for Event {
    fn from(old: EventV2) -> Self {
        Event::held(old.seq, old.at, old.actor, old.change.into())
    }
}

/// The shape of an event in format version 3: users with a team, no envelope (no id,
/// clock or `seen`). Its change is today's `Change`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct EventV3 {
    pub seq: u64,
    pub at: Timestamp,
    pub actor: String,
    pub change: Change,
}

impl From<EventV3> for Event {
    /// Before the envelope: the holder's own event, counted by its sequence number.
    fn from(old: EventV3) -> Self {
        Event::held(old.seq, old.at, old.actor, old.change)
    }
}
