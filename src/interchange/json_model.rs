//! The shape of the "crm-book/1" JSON format (CONTRACT.md), kept apart from the stored
//! domain types so the file format and the storage format can change independently.
//! Reading is strict (unknown fields are errors); writing always writes every field.

use std::fmt::Display;
use std::str::FromStr;

use jiff::civil::Date;
use jiff::Timestamp;
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::domain::model::Channel;
use crate::domain::model::{
    Account, ActDecision, Bond, BondLevel, CheckResult, Contact, ContactCorrection, Customer,
    CustomerKind, Cycle, CycleAction, Direction, GoalDirection, Interaction, Lost, LostReason,
    Metric, Order, Outcome, Phase, Purpose, Role, Scope, Signal, Task, TaskOrigin, UnknownCode,
    User,
};

pub(crate) const FORMAT: &str = "crm-book/1";

/// A coded enum written as its code; a bad code on reading lists the valid ones.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Code<T>(pub T);

impl<T: Display> Serialize for Code<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&self.0)
    }
}

impl<'de, T: FromStr<Err = UnknownCode>> Deserialize<'de> for Code<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map(Code).map_err(D::Error::custom)
    }
}

/// Money and measured values: whole numbers are written without ".0", as people write them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Num(pub f64);

/// Beyond 2^53 not every whole number is an f64, so those stay in float notation.
const EXACT_INT: f64 = 9_007_199_254_740_992.0;

impl Serialize for Num {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let v = self.0;
        if v.is_finite() && v.fract() == 0.0 && v.abs() < EXACT_INT {
            serializer.serialize_i64(v as i64)
        } else {
            serializer.serialize_f64(v)
        }
    }
}

impl<'de> Deserialize<'de> for Num {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        f64::deserialize(deserializer).map(Num)
    }
}

fn num(v: Option<f64>) -> Option<Num> {
    v.map(Num)
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct BookJson {
    pub format: String,
    #[serde(default)]
    pub users: Vec<UserJson>,
    #[serde(default)]
    pub customers: Vec<CustomerJson>,
    #[serde(default)]
    pub pdca: Vec<CycleJson>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct UserJson {
    pub login: String,
    /// Defaults to the login.
    #[serde(default)]
    pub name: Option<String>,
    /// Defaults to rep.
    #[serde(default)]
    pub role: Option<Code<Role>>,
    /// The user's team; absent for none (files written before teams stay as they were).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<String>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CustomerJson {
    pub id: String,
    pub name: String,
    /// Defaults to a guess from the name (see `kind_guess::guess_kind`).
    #[serde(default)]
    pub kind: Option<Code<CustomerKind>>,
    #[serde(default)]
    pub segment: String,
    #[serde(default)]
    pub owner: String,
    pub created: Date,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub category_spend: Option<Num>,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub contacts: Vec<ContactJson>,
    #[serde(default)]
    pub bonds: Vec<BondJson>,
    #[serde(default)]
    pub orders: Vec<OrderJson>,
    #[serde(default)]
    pub interactions: Vec<InteractionJson>,
    /// Absent: derived from the interactions' follow-up dates.
    #[serde(default)]
    pub tasks: Option<Vec<TaskJson>>,
    #[serde(default)]
    pub lost: Option<LostJson>,
    /// Its logged contacts' corrections, oldest first, each with the version it replaced
    /// (added after crm-book/1 first shipped: absent for none, and files without it read
    /// as before).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub corrections: Vec<CorrectionJson>,
}

/// One correction of a logged contact: who made it and when, the version it replaced and
/// the version it made (the contact is the interaction with the same `at` and `author`).
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CorrectionJson {
    pub by: String,
    pub on: Timestamp,
    pub previous: InteractionJson,
    pub corrected: InteractionJson,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ContactJson {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub email: String,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct BondJson {
    pub level: Code<BondLevel>,
    #[serde(default)]
    pub kind: String,
    pub since: Date,
    #[serde(default)]
    pub until: Option<Date>,
    #[serde(default)]
    pub note: String,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct OrderJson {
    pub date: Date,
    pub amount: Num,
    #[serde(default)]
    pub margin: Option<Num>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct InteractionJson {
    pub at: Timestamp,
    pub channel: Code<Channel>,
    pub direction: Code<Direction>,
    /// Defaults to other.
    #[serde(default)]
    pub purpose: Option<Code<Purpose>>,
    pub outcome: Code<Outcome>,
    #[serde(default)]
    pub satisfaction: Option<u8>,
    #[serde(default)]
    pub signals: Vec<Code<Signal>>,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub follow_up: Option<Date>,
    #[serde(default)]
    pub author: String,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct TaskJson {
    pub id: u64,
    pub due: Date,
    #[serde(default)]
    pub text: String,
    /// Defaults to manual.
    #[serde(default)]
    pub origin: Option<Code<TaskOrigin>>,
    #[serde(default)]
    pub done: Option<Date>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct LostJson {
    pub date: Date,
    pub reason: Code<LostReason>,
}

/// `{"customer": "id"} | {"owner": "login"} | {"segment": "s"} | "book"`.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum ScopeJson {
    Customer(String),
    Owner(String),
    Segment(String),
    Book,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CycleJson {
    pub id: u64,
    pub title: String,
    pub scope: ScopeJson,
    #[serde(default)]
    pub owner: String,
    pub created: Date,
    pub phase: Code<Phase>,
    #[serde(default)]
    pub metric: Option<Code<Metric>>,
    /// Defaults to raise.
    #[serde(default)]
    pub direction: Option<Code<GoalDirection>>,
    #[serde(default)]
    pub baseline: Option<Num>,
    #[serde(default)]
    pub target: Option<Num>,
    #[serde(default)]
    pub check_date: Option<Date>,
    #[serde(default)]
    pub plan_notes: String,
    #[serde(default)]
    pub actions: Vec<CycleActionJson>,
    #[serde(default)]
    pub result: Option<CheckResultJson>,
    #[serde(default)]
    pub decision: Option<Code<ActDecision>>,
    #[serde(default)]
    pub lessons: String,
    #[serde(default)]
    pub previous: Option<u64>,
    #[serde(default)]
    pub next: Option<u64>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CycleActionJson {
    pub text: String,
    #[serde(default)]
    pub due: Option<Date>,
    #[serde(default)]
    pub done: Option<Date>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CheckResultJson {
    pub value: Num,
    pub met: bool,
    pub on: Date,
}

// ---- domain -> JSON (writing) ------------------------------------------------------------

/// What `to_json` writes: the customers are converted one at a time while writing, so an
/// export of a large book never holds a second full copy of it.
#[derive(Serialize)]
pub(crate) struct BookOut<C: Serialize> {
    pub format: &'static str,
    pub users: Vec<UserJson>,
    pub customers: C,
    pub pdca: Vec<CycleJson>,
}

impl<C: Serialize> BookOut<C> {
    pub fn new(users: &[User], customers: C, cycles: &[Cycle]) -> Self {
        BookOut {
            format: FORMAT,
            users: users.iter().map(UserJson::from).collect(),
            customers,
            pdca: cycles.iter().map(CycleJson::from).collect(),
        }
    }
}

pub(crate) struct CustomersOut<'a>(pub &'a [Account]);

impl Serialize for CustomersOut<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(CustomerJson::from))
    }
}

/// The customers as they are read (from the store, say), each converted and written before
/// the next is read: a large book is never whole in memory. The first read error stops the
/// writing and is kept in `failed` for the caller.
pub(crate) struct StreamedOut<I, E> {
    pub accounts: std::cell::RefCell<Option<I>>,
    pub failed: std::cell::RefCell<Option<E>>,
}

impl<I: Iterator<Item = Result<Account, E>>, E> Serialize for StreamedOut<I, E> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{Error as _, SerializeSeq};
        let mut seq = serializer.serialize_seq(None)?;
        if let Some(accounts) = self.accounts.borrow_mut().take() {
            for account in accounts {
                match account {
                    Ok(account) => seq.serialize_element(&CustomerJson::from(&account))?,
                    Err(error) => {
                        *self.failed.borrow_mut() = Some(error);
                        return Err(S::Error::custom("reading the book failed"));
                    }
                }
            }
        }
        seq.end()
    }
}

impl From<&User> for UserJson {
    fn from(u: &User) -> Self {
        UserJson {
            login: u.login.clone(),
            name: Some(u.name.clone()),
            role: Some(Code(u.role)),
            team: u.team.clone(),
        }
    }
}

impl From<&Account> for CustomerJson {
    fn from(a: &Account) -> Self {
        let c: &Customer = &a.customer;
        CustomerJson {
            id: c.id.clone(),
            name: c.name.clone(),
            kind: Some(Code(c.kind)),
            segment: c.segment.clone(),
            owner: c.owner.clone(),
            created: c.created,
            tags: c.tags.clone(),
            category_spend: num(c.category_spend),
            note: c.note.clone(),
            contacts: c.contacts.iter().map(ContactJson::from).collect(),
            bonds: a.bonds.iter().map(BondJson::from).collect(),
            orders: a.orders.iter().map(OrderJson::from).collect(),
            interactions: a.interactions.iter().map(InteractionJson::from).collect(),
            tasks: Some(a.tasks.iter().map(TaskJson::from).collect()),
            lost: c.lost.as_ref().map(|l| LostJson {
                date: l.date,
                reason: Code(l.reason),
            }),
            corrections: a.corrections.iter().map(CorrectionJson::from).collect(),
        }
    }
}

impl From<&Contact> for ContactJson {
    fn from(c: &Contact) -> Self {
        ContactJson {
            name: c.name.clone(),
            role: c.role.clone(),
            phone: c.phone.clone(),
            email: c.email.clone(),
        }
    }
}

impl From<&Bond> for BondJson {
    fn from(b: &Bond) -> Self {
        BondJson {
            level: Code(b.level),
            kind: b.kind.clone(),
            since: b.since,
            until: b.until,
            note: b.note.clone(),
        }
    }
}

impl From<&Order> for OrderJson {
    fn from(o: &Order) -> Self {
        OrderJson {
            date: o.date,
            amount: Num(o.amount),
            margin: num(o.margin),
        }
    }
}

impl From<&Interaction> for InteractionJson {
    fn from(i: &Interaction) -> Self {
        InteractionJson {
            at: i.at,
            channel: Code(i.channel),
            direction: Code(i.direction),
            purpose: Some(Code(i.purpose)),
            outcome: Code(i.outcome),
            satisfaction: i.satisfaction,
            signals: i.signals.iter().copied().map(Code).collect(),
            note: i.note.clone(),
            follow_up: i.follow_up,
            author: i.author.clone(),
        }
    }
}

impl From<&ContactCorrection> for CorrectionJson {
    fn from(c: &ContactCorrection) -> Self {
        CorrectionJson {
            by: c.by.clone(),
            on: c.on,
            previous: InteractionJson::from(&c.previous),
            corrected: InteractionJson::from(&c.corrected),
        }
    }
}

impl From<&Task> for TaskJson {
    fn from(t: &Task) -> Self {
        TaskJson {
            id: t.id,
            due: t.due,
            text: t.text.clone(),
            origin: Some(Code(t.origin)),
            done: t.done,
        }
    }
}

impl From<&Cycle> for CycleJson {
    fn from(c: &Cycle) -> Self {
        CycleJson {
            id: c.id,
            title: c.title.clone(),
            scope: match &c.scope {
                Scope::Customer(id) => ScopeJson::Customer(id.clone()),
                Scope::Owner(login) => ScopeJson::Owner(login.clone()),
                Scope::Segment(segment) => ScopeJson::Segment(segment.clone()),
                Scope::Book => ScopeJson::Book,
            },
            owner: c.owner.clone(),
            created: c.created,
            phase: Code(c.phase),
            metric: c.metric.map(Code),
            direction: Some(Code(c.direction)),
            baseline: num(c.baseline),
            target: num(c.target),
            check_date: c.check_date,
            plan_notes: c.plan_notes.clone(),
            actions: c
                .actions
                .iter()
                .map(|a| CycleActionJson {
                    text: a.text.clone(),
                    due: a.due,
                    done: a.done,
                })
                .collect(),
            result: c.result.as_ref().map(|r| CheckResultJson {
                value: Num(r.value),
                met: r.met,
                on: r.on,
            }),
            decision: c.decision.map(Code),
            lessons: c.lessons.clone(),
            previous: c.previous,
            next: c.next,
        }
    }
}

// ---- JSON -> domain (reading, before validation) ------------------------------------------

impl UserJson {
    pub fn into_user(self) -> User {
        User {
            name: self.name.unwrap_or_else(|| self.login.clone()),
            login: self.login,
            role: self.role.map_or(Role::Rep, |r| r.0),
            team: self.team.filter(|t| !t.trim().is_empty()),
        }
    }
}

impl ContactJson {
    pub fn into_contact(self) -> Contact {
        Contact {
            name: self.name,
            role: self.role,
            phone: self.phone,
            email: self.email,
        }
    }
}

impl BondJson {
    pub fn into_bond(self) -> Bond {
        Bond {
            level: self.level.0,
            kind: self.kind,
            since: self.since,
            until: self.until,
            note: self.note,
        }
    }
}

impl OrderJson {
    pub fn into_order(self) -> Order {
        Order {
            date: self.date,
            amount: self.amount.0,
            margin: self.margin.map(|m| m.0),
        }
    }
}

impl InteractionJson {
    pub fn into_interaction(self) -> Interaction {
        Interaction {
            at: self.at,
            channel: self.channel.0,
            direction: self.direction.0,
            purpose: self.purpose.map_or(Purpose::Other, |p| p.0),
            outcome: self.outcome.0,
            satisfaction: self.satisfaction,
            signals: self.signals.into_iter().map(|s| s.0).collect(),
            note: self.note,
            follow_up: self.follow_up,
            author: self.author,
        }
    }
}

impl CorrectionJson {
    pub fn into_correction(self) -> ContactCorrection {
        ContactCorrection {
            previous: self.previous.into_interaction(),
            corrected: self.corrected.into_interaction(),
            by: self.by,
            on: self.on,
        }
    }
}

impl TaskJson {
    pub fn into_task(self) -> Task {
        Task {
            id: self.id,
            due: self.due,
            text: self.text,
            origin: self.origin.map_or(TaskOrigin::Manual, |o| o.0),
            done: self.done,
        }
    }
}

impl LostJson {
    pub fn into_lost(self) -> Lost {
        Lost {
            date: self.date,
            reason: self.reason.0,
        }
    }
}

impl CycleJson {
    pub fn into_cycle(self) -> Cycle {
        Cycle {
            id: self.id,
            title: self.title,
            scope: match self.scope {
                ScopeJson::Customer(id) => Scope::Customer(id),
                ScopeJson::Owner(login) => Scope::Owner(login),
                ScopeJson::Segment(segment) => Scope::Segment(segment),
                ScopeJson::Book => Scope::Book,
            },
            owner: self.owner,
            created: self.created,
            phase: self.phase.0,
            metric: self.metric.map(|m| m.0),
            direction: self.direction.map_or(GoalDirection::Raise, |d| d.0),
            baseline: self.baseline.map(|n| n.0),
            target: self.target.map(|n| n.0),
            check_date: self.check_date,
            plan_notes: self.plan_notes,
            actions: self
                .actions
                .into_iter()
                .map(|a| CycleAction {
                    text: a.text,
                    due: a.due,
                    done: a.done,
                })
                .collect(),
            result: self.result.map(|r| CheckResult {
                value: r.value.0,
                met: r.met,
                on: r.on,
            }),
            decision: self.decision.map(|d| d.0),
            lessons: self.lessons,
            previous: self.previous,
            next: self.next,
        }
    }
}
