//! `crm log ID ...`: validates every field, then returns only once the contact is durable.

use jiff::civil::Date;
use jiff::Timestamp;

use super::args::LogArgs;
use super::backend::Backend;
use super::context::parse_date;
use super::{print_text, CliResult, Context, UserError};
use crate::domain::model::Interaction;
use crate::domain::safe_text::escaped;

pub fn run(context: &Context, args: LogArgs) -> CliResult {
    let interaction = Interaction {
        at: match &args.at {
            Some(text) => parse_datetime(text)?,
            None => Timestamp::now(),
        },
        channel: code("--channel", &args.channel)?,
        direction: code("--direction", &args.direction)?,
        purpose: code("--purpose", &args.purpose)?,
        outcome: code("--outcome", &args.outcome)?,
        satisfaction: match &args.satisfaction {
            Some(text) => Some(satisfaction(text)?),
            None => None,
        },
        signals: args
            .signals
            .iter()
            .map(|s| code("--signal", s))
            .collect::<Result<_, _>>()?,
        note: args.note.trim().to_string(),
        follow_up: match &args.follow_up {
            Some(text) => Some(parse_date("--follow-up", text)?),
            None => None,
        },
        author: context.user.clone(),
    };
    let mut backend = Backend::open(context)?;
    let id = backend.log(&args.id, interaction, &context.user)?;
    print_text(&format!("logged a contact with {}\n", escaped(&id)))
}

fn code<T: std::str::FromStr>(flag: &str, text: &str) -> Result<T, UserError>
where
    T::Err: std::fmt::Display,
{
    text.trim()
        .parse::<T>()
        .map_err(|e| UserError(format!("{flag}: {e}")))
}

fn satisfaction(text: &str) -> Result<u8, UserError> {
    match text.trim().parse::<u8>() {
        Ok(n @ 1..=5) => Ok(n),
        _ => Err(UserError(format!(
            "--satisfaction: '{text}' is not a whole number from 1 to 5"
        ))),
    }
}

/// RFC 3339, or a local date / date-time (taken in the local time zone).
pub fn parse_datetime(text: &str) -> Result<Timestamp, UserError> {
    let text = text.trim();
    if let Ok(ts) = text.parse::<Timestamp>() {
        return Ok(ts);
    }
    let local = text.parse::<jiff::civil::DateTime>().or_else(|_| {
        text.parse::<Date>()
            .map(|d| d.to_datetime(jiff::civil::Time::midnight()))
    });
    local
        .ok()
        .and_then(|dt| dt.to_zoned(jiff::tz::TimeZone::system()).ok())
        .map(|z| z.timestamp())
        .ok_or_else(|| {
            UserError(format!(
                "--at: '{text}' is not a date-time (expected e.g. 2026-11-22T09:30:00Z or 2026-11-22T09:30)"
            ))
        })
}
