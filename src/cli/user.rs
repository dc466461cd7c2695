//! `crm user add|list|set`: the book's users (login, name, role, team). Only an admin may
//! (the book says no to anyone else, through `access::Scoped`): in team mode the server
//! knows who is asking from the kernel; on a personal book its own account is the admin.

use std::fmt::Write;

use clap::{ArgGroup, Args, Subcommand};

use super::values::coded;
use super::{print, print_text, CliResult, Context};
use crate::book::BookError;
use crate::domain::model::{Role, User};
use crate::domain::safe_text::{escaped, tsv_field};
use crate::i18n::{role_label, t, tr};

#[derive(Debug, Args)]
pub struct UserArgs {
    #[command(subcommand)]
    pub command: UserCommand,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add a user of the book (an admin's)
    #[command(
        after_help = "Examples:\n  crm user add carol --name \"Carol Wu\" --role rep --team east\n  crm user add mia --name \"Mia Wong\" --role manager --team west"
    )]
    Add {
        /// Their Unix login (team mode knows users by it)
        login: String,
        /// Their name as people read it
        #[arg(long)]
        name: String,
        /// rep: their own customers; manager: their team's; admin: everything and the users
        #[arg(long, value_parser = coded(Role::ALL, Role::code))]
        role: Role,
        /// The team they belong to (a manager sees the customers of their team)
        #[arg(long)]
        team: Option<String>,
    },
    /// List the book's users: login, name, role, team (an admin's)
    #[command(after_help = "Examples:\n  crm user list\n  crm user list --json")]
    List {
        /// Print the users as JSON: [{"login", "name", "role", "team"}, ...]
        #[arg(long)]
        json: bool,
    },
    /// Change a user's name, role or team (an admin's)
    #[command(
        group(ArgGroup::new("change").required(true).multiple(true).args(["name", "role", "team"])),
        after_help = "Examples:\n  crm user set bob --role manager\n  crm user set bob --team west\n  crm user set bob --team \"\"    # no team"
    )]
    Set {
        /// The login of the user to change
        login: String,
        /// Their new name
        #[arg(long)]
        name: Option<String>,
        /// Their new role
        #[arg(long, value_parser = coded(Role::ALL, Role::code))]
        role: Option<Role>,
        /// Their new team ("" for none)
        #[arg(long)]
        team: Option<String>,
    },
}

/// A team as given on the command line: blank is none.
fn team(text: Option<String>) -> Option<String> {
    text.map(|t| t.trim().to_string()).filter(|t| !t.is_empty())
}

pub fn run(context: &Context, args: UserArgs) -> CliResult {
    context.require_book()?;
    let mut api = super::backend::open(context)?;
    match args.command {
        UserCommand::Add {
            login,
            name,
            role,
            team: given,
        } => {
            let user = User {
                login,
                name,
                role,
                team: team(given),
            };
            api.add_user(user.clone())?;
            print_text(&(said("user-added", &user) + "\n"))
        }
        UserCommand::List { json } => {
            let users = api.users()?;
            if json {
                return print(&(serde_json::to_string_pretty(&users)? + "\n"));
            }
            let mut out = String::new();
            for user in &users {
                let _ = writeln!(
                    out,
                    "{}\t{}\t{}\t{}",
                    tsv_field(&user.login),
                    tsv_field(&user.name),
                    user.role,
                    user.team
                        .as_deref()
                        .map_or_else(|| "-".to_string(), |t| tsv_field(t).into_owned())
                );
            }
            print_text(&out)
        }
        UserCommand::Set {
            login,
            name,
            role,
            team: given,
        } => {
            let mut user =
                api.users()?
                    .into_iter()
                    .find(|u| u.login == login)
                    .ok_or(BookError::NotFound {
                        what: crate::book::Missing::User,
                        id: login,
                    })?;
            if let Some(name) = name {
                user.name = name;
            }
            if let Some(role) = role {
                user.role = role;
            }
            if given.is_some() {
                user.team = team(given);
            }
            api.set_user(user.clone())?;
            print_text(&(said("user-changed", &user) + "\n"))
        }
    }
}

/// "added user bob (Bob Martin): rep, team east" in the reader's language.
fn said(key: &str, user: &User) -> String {
    let team = match &user.team {
        Some(team) => tr("user-team", &[("team", &escaped(team))]),
        None => t("user-no-team"),
    };
    tr(
        key,
        &[
            ("login", &escaped(&user.login)),
            ("name", &escaped(&user.name)),
            ("role", &role_label(user.role)),
            ("team", &team),
        ],
    )
}
