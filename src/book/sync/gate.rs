//! What a peer may send and see: every incoming event is checked against the peer's
//! session (the kernel's account for it, never a claimed one), and what goes out is cut
//! to what that session may see (a rep's laptop keeps the rep's slice of the book).
//! The rules are the own/team/all reach of `domain::access`.

use crate::domain::access::{Reach, Session};
use crate::domain::model::{Account, Customer, Cycle, Scope};
use crate::store::{Change, Event, Result, Store};

pub struct Gate {
    session: Session,
    reach: Reach,
}

impl Gate {
    pub fn new(store: &dyn Store, session: Session) -> Result<Gate> {
        let reach = Reach::of(&session, &store.users()?);
        Ok(Gate { session, reach })
    }

    fn owner_of(&self, store: &dyn Store, id: &str) -> Result<Option<String>> {
        Ok(store.customer(id)?.map(|c| c.owner))
    }

    /// A customer as it stands here (if it does) is within reach.
    fn reaches_customer(&self, store: &dyn Store, id: &str) -> Result<bool> {
        Ok(self
            .owner_of(store, id)?
            .is_none_or(|owner| self.reach.owner(&owner)))
    }

    fn reaches_cycle(&self, store: &dyn Store, cycle: &Cycle) -> Result<bool> {
        let owner = match &cycle.scope {
            Scope::Customer(id) => self.owner_of(store, id)?,
            _ => None,
        };
        Ok(self.reach.cycle(&self.session, cycle, owner.as_deref()))
    }

    /// Why the peer may not make this change here, or `None` when it may. A rep or a
    /// manager changes only customers within reach (and may not move one out of it),
    /// only as themselves; users are an admin's.
    pub fn refusal(&self, store: &dyn Store, event: &Event) -> Result<Option<String>> {
        if self.reach.is_all() {
            return Ok(None);
        }
        let login = &self.session.login;
        if event.actor != *login {
            return Ok(Some(format!(
                "made by {}, but this connection is {login}'s",
                event.actor
            )));
        }
        let not_yours = |id: &str| Some(format!("customer {id} is not within {login}'s reach"));
        let profile = |c: &Customer| -> Result<Option<String>> {
            if !self.reaches_customer(store, &c.id)? {
                return Ok(not_yours(&c.id));
            }
            if !self.reach.owner(&c.owner) {
                return Ok(Some(format!(
                    "{login} may not give customer {} to {}",
                    c.id, c.owner
                )));
            }
            Ok(None)
        };
        match &event.change {
            Change::PutCustomer(customer) => profile(customer),
            Change::LogContact { customer, .. }
            | Change::AddOrder { customer, .. }
            | Change::SetBonds { customer, .. }
            | Change::SetLost { customer, .. }
            | Change::PutTask { customer, .. }
            | Change::RetractContact { customer, .. }
            | Change::CorrectContact { customer, .. } => {
                Ok(if self.reaches_customer(store, customer)? {
                    None
                } else {
                    not_yours(customer)
                })
            }
            Change::Import { data, .. } => {
                if !data.users.is_empty() {
                    return Ok(Some(format!("only an admin changes users, not {login}")));
                }
                for account in &data.accounts {
                    if let Some(why) = profile(&account.customer)? {
                        return Ok(Some(why));
                    }
                }
                for cycle in &data.cycles {
                    if !self.reaches_cycle(store, cycle)? {
                        return Ok(Some(format!(
                            "PDCA cycle {} is not within {login}'s reach",
                            cycle.id
                        )));
                    }
                }
                Ok(None)
            }
            Change::PutCycle(cycle) => Ok(if self.reaches_cycle(store, cycle)? {
                None
            } else {
                Some(format!(
                    "PDCA cycle {} is not within {login}'s reach",
                    cycle.id
                ))
            }),
            Change::PutUser(_) => Ok(Some(format!("only an admin changes users, not {login}"))),
        }
    }

    /// The event as the peer may see it: `None` when nothing of it is within reach; an
    /// import keeps only the accounts, users and cycles within reach.
    pub fn project(&self, store: &dyn Store, event: Event) -> Result<Option<Event>> {
        if self.reach.is_all() {
            return Ok(Some(event));
        }
        let keep = match &event.change {
            Change::PutCustomer(c) => {
                self.reaches_customer(store, &c.id)? && self.reach.owner(&c.owner)
            }
            Change::LogContact { customer, .. }
            | Change::AddOrder { customer, .. }
            | Change::SetBonds { customer, .. }
            | Change::SetLost { customer, .. }
            | Change::PutTask { customer, .. }
            | Change::RetractContact { customer, .. }
            | Change::CorrectContact { customer, .. } => self.reaches_customer(store, customer)?,
            Change::PutCycle(cycle) => self.reaches_cycle(store, cycle)?,
            Change::PutUser(user) => self.reach.user(user),
            Change::Import { .. } => true,
        };
        if !keep {
            return Ok(None);
        }
        let Change::Import { data, merge } = event.change else {
            return Ok(Some(event));
        };
        let mut data = data;
        let accounts: Vec<Account> = std::mem::take(&mut data.accounts);
        for account in accounts {
            if self.reaches_customer(store, &account.customer.id)?
                && self.reach.owner(&account.customer.owner)
            {
                data.accounts.push(account);
            }
        }
        data.users.retain(|u| self.reach.user(u));
        let cycles = std::mem::take(&mut data.cycles);
        for cycle in cycles {
            if self.reaches_cycle(store, &cycle)? {
                data.cycles.push(cycle);
            }
        }
        if data.accounts.is_empty() && data.users.is_empty() && data.cycles.is_empty() {
            return Ok(None);
        }
        Ok(Some(Event {
            change: Change::Import { data, merge },
            ..event
        }))
    }
}
