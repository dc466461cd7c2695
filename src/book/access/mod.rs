//! Identity and access: who is at work (`Session`, from the book's users) and the book as
//! one session may use it (`Scoped`, the own/team/all model of `domain::access`).
//!
//! The team server derives a login from the kernel (the peer's uid) and asks
//! `session_for`; a command on a personal book asks `local_session`. Either way every
//! front end then holds a `Scoped`, so the rules are the same in and out of the server.

mod refusal;
mod scoped;
pub mod unix;

pub use crate::domain::access::{Reach, Session};
pub use scoped::Scoped;

use super::{Book, BookError};
use crate::domain::model::Role;

/// The session of `login` on `book`: their role and team as the book's users say. The
/// book's own account (the owner of its data dir, which runs the server) is an admin
/// even before it is a user. Anyone else unknown is refused, with how an admin adds them.
pub fn session_for(book: &Book, login: &str) -> Result<Session, BookError> {
    let user = book.users()?.into_iter().find(|u| u.login == login);
    let owner = book_account(book).is_some_and(|owner| owner == login);
    match user {
        Some(user) => Ok(Session {
            role: if owner { Role::Admin } else { user.role },
            team: user.team,
            login: user.login,
        }),
        None if owner => Ok(Session {
            login: login.to_string(),
            role: Role::Admin,
            team: None,
        }),
        None => Err(refusal::unknown_user(login)),
    }
}

/// The session of a command that opened the book itself. A process of the account that
/// owns the data dir (or root) holds every file of the book already: it is the book's
/// admin, under the login it names (`--user`, `$CRM_USER`, `$USER`), with that user's team.
/// Any other account (a group member of a shared dir) is who the kernel says it is.
pub fn local_session(book: &Book, named: &str) -> Result<Session, BookError> {
    if !unix::owns(book.data_dir()) {
        let uid = unix::current_uid();
        let login = unix::login_of_uid(uid).ok_or_else(|| refusal::no_login(uid))?;
        return session_for(book, &login);
    }
    let team = book
        .users()?
        .into_iter()
        .find(|u| u.login == named)
        .and_then(|u| u.team);
    Ok(Session {
        login: named.to_string(),
        role: Role::Admin,
        team,
    })
}

/// A book a command opened itself, as its `local_session` may use it.
pub fn local(book: Book, named: &str) -> Result<Scoped<Book>, BookError> {
    let session = local_session(&book, named)?;
    Ok(Scoped::new(book, session))
}

/// The login of the account that owns the book's data dir.
pub fn book_account(book: &Book) -> Option<String> {
    unix::dir_owner(book.data_dir()).and_then(unix::login_of_uid)
}
