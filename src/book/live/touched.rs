//! What a run of journal events changed, as far as derived data cares: which customers'
//! histories or profiles, whether the PDCA cycles (cards show them), whether profiles (the
//! search index reads them).

use std::collections::BTreeSet;

use crate::domain::model::CustomerId;
use crate::store::{Change, Event};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Touched {
    /// Customers whose account changed (added, replaced or appended to).
    pub customers: BTreeSet<CustomerId>,
    /// A PDCA cycle was stored: every card may name it.
    pub cycles: bool,
}

impl Touched {
    pub fn of(events: &[Event]) -> Touched {
        let mut touched = Touched::default();
        for event in events {
            touched.add(&event.change);
        }
        touched
    }

    fn add(&mut self, change: &Change) {
        let customer = match change {
            Change::Import { data, .. } => {
                self.customers
                    .extend(data.accounts.iter().map(|a| a.customer.id.clone()));
                self.cycles |= !data.cycles.is_empty();
                return;
            }
            Change::PutCycle(_) => {
                self.cycles = true;
                return;
            }
            Change::PutUser(_) => return,
            Change::PutCustomer(customer) => &customer.id,
            Change::LogContact { customer, .. }
            | Change::AddOrder { customer, .. }
            | Change::SetBonds { customer, .. }
            | Change::SetLost { customer, .. }
            | Change::PutTask { customer, .. }
            | Change::RetractContact { customer, .. }
            | Change::CorrectContact { customer, .. } => customer,
        };
        self.customers.insert(customer.clone());
    }
}

/// The profiles the events stored, last one per customer winning: what the search index
/// must take in.
pub fn profiles(events: &[Event]) -> Vec<&crate::domain::model::Customer> {
    let mut found = Vec::new();
    for event in events {
        match &event.change {
            Change::PutCustomer(customer) => found.push(customer),
            Change::Import { data, .. } => found.extend(data.accounts.iter().map(|a| &a.customer)),
            _ => {}
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::model::{Lost, User};

    fn event(seq: u64, change: Change) -> Event {
        Event::held(seq, jiff::Timestamp::UNIX_EPOCH, "t".into(), change)
    }

    #[test]
    fn customers_are_named_once_and_users_touch_none() {
        let lost = Change::SetLost {
            customer: "b".into(),
            lost: None::<Lost>,
        };
        let user = Change::PutUser(User {
            login: "u".into(),
            name: "U".into(),
            role: crate::domain::model::Role::Rep,
            team: None,
        });
        let touched = Touched::of(&[event(1, lost.clone()), event(2, user), event(3, lost)]);
        assert_eq!(touched.customers.iter().collect::<Vec<_>>(), ["b"]);
        assert!(!touched.cycles);
    }
}
