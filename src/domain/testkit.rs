//! Builders for the engine's tests: an account in a few lines, dated by strings.

use jiff::civil::Date;
use jiff::Timestamp;

use super::config::Config;
use super::facts::{customer_facts, CustomerFacts};
use super::model::{
    Account, Bond, BondLevel, Channel, Contact, Customer, CustomerKind, Direction, Interaction,
    Lost, LostReason, Order, Outcome, Purpose, Signal, Task, TaskOrigin,
};
use super::rhythm::BookRhythm;

pub fn d(text: &str) -> Date {
    text.parse().unwrap()
}

/// An organisation owned by alice, with a contact, a segment and a category spend.
pub fn account(id: &str) -> Account {
    Account::new(Customer {
        id: id.into(),
        name: format!("Customer {id}"),
        kind: CustomerKind::Organization,
        segment: "retail".into(),
        owner: "alice".into(),
        created: d("2020-01-01"),
        tags: vec![],
        category_spend: Some(100_000.0),
        contacts: vec![Contact {
            name: "Li Wei".into(),
            ..Contact::default()
        }],
        note: String::new(),
        lost: None,
    })
}

pub fn contact(at: &str, direction: Direction, purpose: Purpose, outcome: Outcome) -> Interaction {
    let at: Timestamp = if at.len() == 10 {
        format!("{at}T12:00:00Z").parse().unwrap()
    } else {
        at.parse().unwrap()
    };
    Interaction {
        at,
        channel: Channel::Phone,
        direction,
        purpose,
        outcome,
        satisfaction: None,
        signals: vec![],
        note: String::new(),
        follow_up: None,
        author: "alice".into(),
    }
}

/// Builder methods; each keeps the histories sorted.
pub trait AccountExt: Sized {
    fn with(self, edit: impl FnOnce(&mut Account)) -> Self;
    fn order(self, date: &str, amount: f64, margin: Option<f64>) -> Self;
    fn talk(self, interaction: Interaction) -> Self;
    fn bond(self, level: BondLevel, since: &str, until: Option<&str>) -> Self;
    fn task(self, id: u64, due: &str, origin: TaskOrigin, done: Option<&str>) -> Self;
    fn lost(self, date: &str, reason: LostReason) -> Self;
    fn facts(&self, as_of: &str) -> CustomerFacts;
}

impl AccountExt for Account {
    fn with(mut self, edit: impl FnOnce(&mut Account)) -> Self {
        edit(&mut self);
        self.sort_histories();
        self
    }

    fn order(self, date: &str, amount: f64, margin: Option<f64>) -> Self {
        self.with(|a| {
            a.orders.push(Order {
                date: d(date),
                amount,
                margin,
            })
        })
    }

    fn talk(self, interaction: Interaction) -> Self {
        self.with(|a| a.interactions.push(interaction))
    }

    fn bond(self, level: BondLevel, since: &str, until: Option<&str>) -> Self {
        self.with(|a| {
            a.bonds.push(Bond {
                level,
                kind: "k".into(),
                since: d(since),
                until: until.map(d),
                note: String::new(),
            })
        })
    }

    fn task(self, id: u64, due: &str, origin: TaskOrigin, done: Option<&str>) -> Self {
        self.with(|a| {
            a.tasks.push(Task {
                id,
                due: d(due),
                text: format!("task {id}"),
                origin,
                done: done.map(d),
            })
        })
    }

    fn lost(self, date: &str, reason: LostReason) -> Self {
        self.with(|a| {
            a.customer.lost = Some(Lost {
                date: d(date),
                reason,
            })
        })
    }

    fn facts(&self, as_of: &str) -> CustomerFacts {
        let cfg = Config::default();
        customer_facts(self, d(as_of), &cfg, BookRhythm::default_for(&cfg))
    }
}

pub fn signal(mut interaction: Interaction, signal: Signal) -> Interaction {
    interaction.signals.push(signal);
    interaction
}

pub fn rated(mut interaction: Interaction, satisfaction: u8) -> Interaction {
    interaction.satisfaction = Some(satisfaction);
    interaction
}

pub fn assert_close(actual: f64, expected: f64, what: &str) {
    assert!(
        (actual - expected).abs() < 1e-6,
        "{what}: expected {expected}, got {actual}"
    );
}
