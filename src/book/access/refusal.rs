//! Why a session may not do something, in one line: English (the error's text, as
//! `--json` and older peers read it) and the same words as a message (`access-*` keys in
//! locales/*/crm.ftl), so a front end says it in its reader's language.

use crate::book::BookError;
use crate::domain::access::Session;
use crate::domain::model::{CycleId, Role, Scope};
use crate::domain::text::Text;

/// Named in full so the message files' checks see each key used.
fn role(role: Role) -> Text {
    Text::new(match role {
        Role::Rep => "role-rep",
        Role::Manager => "role-manager",
        Role::Admin => "role-admin",
    })
}

pub fn unknown_user(login: &str) -> BookError {
    BookError::refused(format!(
        "'{login}' is not a user of this book; an admin adds them with: \
         crm user add {login} --name NAME --role rep"
    ))
    .with(Text::new("access-unknown-user").arg("login", login))
}

pub fn no_login(uid: u32) -> BookError {
    BookError::refused(format!(
        "uid {uid} has no login in the system's user database, so it cannot use this book"
    ))
    .with(Text::new("access-no-login").arg("uid", uid))
}

/// A customer (or its cycle) outside the session's reach.
pub fn not_yours(session: &Session, id: &str) -> BookError {
    match (&session.role, &session.team) {
        (Role::Manager, Some(team)) => BookError::refused(format!(
            "'{id}' is not within reach of {} (manager of team {team}): a manager sees and \
             changes the customers of their team and unassigned prospects",
            session.login
        ))
        .with(
            Text::new("access-not-team")
                .arg("id", id)
                .arg("login", &session.login)
                .arg("team", team),
        ),
        _ => BookError::refused(format!(
            "'{id}' is not within reach of {} ({}): they see and change their own customers \
             and unassigned prospects",
            session.login, session.role
        ))
        .with(
            Text::new("access-not-own")
                .arg("id", id)
                .arg("login", &session.login)
                .part("role", role(session.role)),
        ),
    }
}

/// A change would give a customer to an owner outside the session's reach.
pub fn give_away(session: &Session, id: &str, owner: &str) -> BookError {
    BookError::refused(format!(
        "{} ({}) cannot give '{id}' to '{owner}': that owner is outside their reach",
        session.login, session.role
    ))
    .with(
        Text::new("access-give-away")
            .arg("login", &session.login)
            .part("role", role(session.role))
            .arg("id", id)
            .arg("owner", owner),
    )
}

pub fn rep_adds_own(session: &Session, id: &str, owner: &str) -> BookError {
    BookError::refused(format!(
        "a rep's new customer is theirs: {} cannot add '{id}' for '{owner}'",
        session.login
    ))
    .with(
        Text::new("access-rep-adds-own")
            .arg("login", &session.login)
            .arg("id", id)
            .arg("owner", owner),
    )
}

/// A PDCA scope over more than the session reaches (a segment, the whole book, another
/// team's owner or customer).
pub fn scope(session: &Session, scope: &Scope) -> BookError {
    let (english, said) = match scope {
        Scope::Book => ("book".to_string(), Text::new("scope-book")),
        Scope::Segment(name) => (
            format!("segment:{name}"),
            Text::new("scope-segment").arg("name", name),
        ),
        Scope::Owner(login) => (
            format!("owner:{login}"),
            Text::new("scope-owner").arg("login", login),
        ),
        Scope::Customer(id) => (
            format!("customer:{id}"),
            Text::new("scope-customer").arg("id", id),
        ),
    };
    BookError::refused(format!(
        "the scope {english} is outside the reach of {} ({}): a rep or manager measures \
         their own or their team's customers; a segment or the whole book is for an admin",
        session.login, session.role
    ))
    .with(
        Text::new("access-scope")
            .part("scope", said)
            .arg("login", &session.login)
            .part("role", role(session.role)),
    )
}

pub fn cycle(session: &Session, id: CycleId) -> BookError {
    BookError::refused(format!(
        "PDCA cycle {id} is not within reach of {} ({}): it is neither theirs nor about \
         their customers",
        session.login, session.role
    ))
    .with(
        Text::new("access-cycle")
            .arg("id", id)
            .arg("login", &session.login)
            .part("role", role(session.role)),
    )
}

/// Users and configuration are the admin's.
pub fn admin_only(session: &Session) -> BookError {
    BookError::refused(format!(
        "only an admin adds, changes or lists the book's users: {} is a {}",
        session.login, session.role
    ))
    .with(
        Text::new("access-admin-only")
            .arg("login", &session.login)
            .part("role", role(session.role)),
    )
}
