//! Who may see and change which records: the own/team/all model (as EspoCRM has it).
//!
//! A rep reaches their own customers (`Customer::owner` is their login) and the unassigned
//! ones (no owner: prospects nobody has claimed yet); a manager also those of every user
//! of their team; an admin everything, plus the users and the configuration. Changing
//! follows seeing: what a session reaches it may change, and a change may not move a
//! customer out of its reach. Pure: the book layer (`book::access`) applies it.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use super::model::{Cycle, Role, Scope, User};

/// One user at work: who they are in the book, as the book's users say.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    pub login: String,
    pub role: Role,
    pub team: Option<String>,
}

impl Session {
    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }
}

/// The owners whose customers a session reaches, worked out once from the users.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reach {
    /// An admin: every customer.
    All,
    /// These owners' customers, and the unassigned ones.
    Owners(HashSet<String>),
}

impl Reach {
    pub fn of(session: &Session, users: &[User]) -> Reach {
        let mut owners = HashSet::from([session.login.clone()]);
        match (session.role, &session.team) {
            (Role::Admin, _) => return Reach::All,
            (Role::Manager, Some(team)) => owners.extend(
                users
                    .iter()
                    .filter(|u| u.team.as_ref() == Some(team))
                    .map(|u| u.login.clone()),
            ),
            (Role::Manager, None) | (Role::Rep, _) => {}
        }
        Reach::Owners(owners)
    }

    pub fn is_all(&self) -> bool {
        matches!(self, Reach::All)
    }

    /// A customer with this owner is within reach.
    pub fn owner(&self, owner: &str) -> bool {
        match self {
            Reach::All => true,
            Reach::Owners(owners) => owner.trim().is_empty() || owners.contains(owner),
        }
    }

    /// A PDCA scope is within reach: a customer within it (`customer_owner` is the
    /// scoped customer's owner, `None` when there is no such customer: nothing to hide),
    /// an owner within it; a segment or the whole book only for an admin, as they cover
    /// every owner's customers.
    pub fn scope(&self, scope: &Scope, customer_owner: Option<&str>) -> bool {
        match scope {
            _ if self.is_all() => true,
            Scope::Customer(_) => customer_owner.is_none_or(|owner| self.owner(owner)),
            Scope::Owner(owner) => self.owner(owner),
            Scope::Segment(_) | Scope::Book => false,
        }
    }

    /// A cycle is within reach when its scope is, or when it is the session's own.
    pub fn cycle(&self, session: &Session, cycle: &Cycle, customer_owner: Option<&str>) -> bool {
        cycle.owner == session.login || self.scope(&cycle.scope, customer_owner)
    }

    /// A user record is within reach: an admin's all, others' their own and their
    /// team's (a rep: only themselves).
    pub fn user(&self, user: &User) -> bool {
        match self {
            Reach::All => true,
            Reach::Owners(owners) => owners.contains(&user.login),
        }
    }
}

/// `session` may see (and so change) a customer owned by `owner`.
pub fn may_see(session: &Session, users: &[User], owner: &str) -> bool {
    Reach::of(session, users).owner(owner)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(login: &str, role: Role, team: Option<&str>) -> User {
        User {
            login: login.into(),
            name: login.into(),
            role,
            team: team.map(str::to_string),
        }
    }

    fn users() -> Vec<User> {
        vec![
            user("mia", Role::Manager, Some("east")),
            user("bob", Role::Rep, Some("east")),
            user("li", Role::Rep, Some("west")),
            user("sam", Role::Admin, None),
        ]
    }

    fn session(login: &str, role: Role, team: Option<&str>) -> Session {
        Session {
            login: login.into(),
            role,
            team: team.map(str::to_string),
        }
    }

    #[test]
    fn each_role_reaches_its_owners_and_the_unassigned() {
        let bob = session("bob", Role::Rep, Some("east"));
        let mia = session("mia", Role::Manager, Some("east"));
        let lone = session("ann", Role::Manager, None);
        let sam = session("sam", Role::Admin, None);
        // owner:            bob    li     mia    ""     ghost (no such user)
        let owners = ["bob", "li", "mia", "", "ghost"];
        let seen = |s: &Session| owners.map(|o| may_see(s, &users(), o));
        assert_eq!(seen(&bob), [true, false, false, true, false]);
        assert_eq!(seen(&mia), [true, false, true, true, false]);
        assert_eq!(seen(&lone), [false, false, false, true, false]);
        assert_eq!(seen(&sam), [true; 5]);
        // Blank is unassigned too.
        assert!(may_see(&bob, &users(), "  "));
    }

    #[test]
    fn scopes_and_users_within_reach() {
        let bob = Reach::of(&session("bob", Role::Rep, Some("east")), &users());
        let mia = Reach::of(&session("mia", Role::Manager, Some("east")), &users());
        let sam = Reach::of(&session("sam", Role::Admin, None), &users());
        let customer = Scope::Customer("acme".into());
        assert!(bob.scope(&customer, Some("bob")));
        assert!(!bob.scope(&customer, Some("li")));
        assert!(bob.scope(&customer, None));
        assert!(bob.scope(&Scope::Owner("bob".into()), None));
        assert!(!bob.scope(&Scope::Owner("mia".into()), None));
        assert!(mia.scope(&Scope::Owner("bob".into()), None));
        for wide in [Scope::Segment("retail".into()), Scope::Book] {
            assert!(!bob.scope(&wide, None));
            assert!(!mia.scope(&wide, None));
            assert!(sam.scope(&wide, None));
        }
        let logins = |reach: &Reach| -> Vec<String> {
            users()
                .iter()
                .filter(|u| reach.user(u))
                .map(|u| u.login.clone())
                .collect()
        };
        assert_eq!(logins(&bob), ["bob"]);
        assert_eq!(logins(&mia), ["mia", "bob"]);
        assert_eq!(logins(&sam), ["mia", "bob", "li", "sam"]);
    }
}
