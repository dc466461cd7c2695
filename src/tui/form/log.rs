//! The "log a contact" form: the daily path. Defaults phone / outbound / neutral with the
//! cursor in the note, so a plain call is the note and Ctrl-S.

use crate::i18n::{
    channel_label, direction_label, outcome_words, purpose_words, signal_label, t, tr,
};
use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::Timestamp;

use super::{labels, parse, position, Ctx, Field, FieldErrors, Form, FormKind};
use crate::domain::model::{Channel, Direction, Interaction, Outcome, Purpose, Signal};

const SATISFACTION: [&str; 6] = ["-", "1", "2", "3", "4", "5"];

/// What an accepted next-best-action puts into the form.
#[derive(Debug, Clone, PartialEq)]
pub struct Prefill {
    pub purpose: Purpose,
    pub note: String,
}

pub fn new(customer: &str, name: &str, prefill: Option<Prefill>) -> Form {
    let (purpose, note) = match prefill {
        Some(p) => (p.purpose, p.note),
        None => (Purpose::Other, String::new()),
    };
    let fields = vec![
        Field::choice(
            "channel",
            "form-channel",
            labels(Channel::ALL, channel_label),
            position(Channel::ALL, &Channel::Phone),
        ),
        Field::choice(
            "direction",
            "form-direction",
            labels(Direction::ALL, direction_label),
            position(Direction::ALL, &Direction::Outbound),
        ),
        Field::choice(
            "purpose",
            "form-purpose",
            labels(Purpose::ALL, purpose_words),
            position(Purpose::ALL, &purpose),
        ),
        Field::choice(
            "outcome",
            "form-outcome",
            labels(Outcome::ALL, outcome_words),
            position(Outcome::ALL, &Outcome::Neutral),
        ),
        Field::choice(
            "satisfaction",
            "form-satisfaction",
            SATISFACTION.iter().map(|s| s.to_string()).collect(),
            0,
        ),
        Field::toggles("signals", "form-signals", labels(Signal::ALL, signal_label)),
        Field::multiline("note", "form-note", &note, &t("form-hint-log-note")),
        Field::text("follow_up", "form-follow-up", "", &t("form-hint-date")).echoing_dates(),
    ];
    let mut form = Form::new(
        FormKind::Log {
            customer: customer.to_string(),
        },
        tr("form-log-title", &[("name", name)]),
        fields,
        "note",
    );
    // A pre-filled note is the form's own text, not the user's: cancelling needs no question.
    form.dirty = false;
    form
}

/// The log form filled with a logged contact, to correct it (DOMAIN.md: the correction is
/// a new record; the old version stays). Saving sends `BookApi::correct_contact`.
pub fn correct(customer: &str, name: &str, previous: &Interaction) -> Form {
    let mut form = new(customer, name, None);
    form.kind = FormKind::CorrectLog {
        customer: customer.to_string(),
        previous: Box::new(previous.clone()),
    };
    let when = previous
        .at
        .to_zoned(TimeZone::UTC)
        .strftime("%Y-%m-%d %H:%M")
        .to_string();
    form.title = tr("form-correct-title", &[("name", name), ("at", &when)]);
    form.set_choice("channel", position(Channel::ALL, &previous.channel));
    form.set_choice("direction", position(Direction::ALL, &previous.direction));
    form.set_choice("purpose", position(Purpose::ALL, &previous.purpose));
    form.set_choice("outcome", position(Outcome::ALL, &previous.outcome));
    form.set_choice("satisfaction", previous.satisfaction.map_or(0, usize::from));
    if let Some(field) = form.fields.iter_mut().find(|f| f.name == "signals") {
        if let super::FieldValue::Toggles { on, .. } = &mut field.value {
            for (signal, on) in Signal::ALL.iter().zip(on.iter_mut()) {
                *on = previous.signals.contains(signal);
            }
        }
    }
    form.set_text("note", &previous.note);
    let follow_up = previous
        .follow_up
        .map(|d| d.to_string())
        .unwrap_or_default();
    form.set_text("follow_up", &follow_up);
    form.dirty = false;
    form
}

pub fn check(form: &Form, ctx: &Ctx) -> Result<Interaction, FieldErrors> {
    let mut errors = FieldErrors::new();
    // A correction may keep the follow-up date the contact had, past or not.
    let kept = match &form.kind {
        FormKind::CorrectLog { previous, .. } => previous.follow_up,
        _ => None,
    };
    let follow_up = match parse::date(form.text("follow_up"), ctx.as_of) {
        Ok(Some(date)) if date < ctx.as_of && Some(date) != kept => {
            errors.push((
                "follow_up",
                tr("form-in-the-past", &[("date", &date.to_string())]),
            ));
            None
        }
        Ok(date) => date,
        Err(message) => {
            errors.push(("follow_up", message));
            None
        }
    };
    let note = form.text("note").trim().to_string();
    if note.chars().count() > 10_000 {
        errors.push(("note", t("form-at-most-chars")));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let pick = |name: &str| form.choice(name);
    let signals = Signal::ALL
        .iter()
        .zip(form.toggled("signals"))
        .filter(|(_, on)| *on)
        .map(|(signal, _)| *signal)
        .collect();
    let satisfaction = match pick("satisfaction") {
        0 => None,
        n => u8::try_from(n).ok(),
    };
    Ok(Interaction {
        at: contact_time(ctx.now, ctx.as_of),
        channel: Channel::ALL[pick("channel").min(Channel::ALL.len() - 1)],
        direction: Direction::ALL[pick("direction").min(Direction::ALL.len() - 1)],
        purpose: Purpose::ALL[pick("purpose").min(Purpose::ALL.len() - 1)],
        outcome: Outcome::ALL[pick("outcome").min(Outcome::ALL.len() - 1)],
        satisfaction,
        signals,
        note,
        follow_up,
        author: ctx.author.to_string(),
    })
}

/// When the contact happened. Interactions count by their UTC day, and the card shows
/// what happened up to `as_of`: so now, kept within the as-of day (a local evening can be
/// the next UTC day); when the console runs as of another day (a review, a test), noon UTC
/// of that day.
pub fn contact_time(now: Timestamp, as_of: Date) -> Timestamp {
    let at = |h: i8, m: i8, s: i8| {
        as_of
            .at(h, m, s, 0)
            .to_zoned(TimeZone::UTC)
            .map(|z| z.timestamp())
            .unwrap_or(now)
    };
    let today = now.to_zoned(TimeZone::UTC).date();
    let near = today
        .until(as_of)
        .map(|span| span.get_days().abs() <= 1)
        .unwrap_or(false);
    if near {
        now.min(at(23, 59, 59))
    } else {
        at(12, 0, 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::form::Edit;
    use jiff::civil::date;

    fn ctx() -> Ctx<'static> {
        Ctx {
            as_of: date(2026, 11, 22),
            now: "2030-01-01T00:00:00Z".parse().unwrap(),
            author: "alice",
        }
    }

    #[test]
    fn defaults_make_a_plain_outbound_call() {
        let mut form = new("acme", "Acme", None);
        assert_eq!(form.focused().unwrap().name, "note");
        for c in "called".chars() {
            form.edit(Edit::Char(c));
        }
        assert!(form.dirty);
        let interaction = form.check(&ctx(), true).unwrap();
        let crate::tui::form::Submit::Log(i) = interaction else {
            panic!("a log form checks to a log");
        };
        assert_eq!(i.channel, Channel::Phone);
        assert_eq!(i.direction, Direction::Outbound);
        assert_eq!(i.outcome, Outcome::Neutral);
        assert_eq!(i.purpose, Purpose::Other);
        assert_eq!(i.satisfaction, None);
        assert_eq!(i.note, "called");
        assert_eq!(i.author, "alice");
        assert_eq!(i.at.to_string(), "2026-11-22T12:00:00Z");
    }

    #[test]
    fn a_bad_follow_up_is_an_inline_error() {
        let mut form = new("acme", "Acme", None);
        form.set_text("follow_up", "next week");
        assert!(form.check(&ctx(), true).is_none());
        let field = form.field("follow_up").unwrap();
        assert!(field.error.as_deref().unwrap().contains("YYYY-MM-DD"));
        assert_eq!(form.focused().unwrap().name, "follow_up");
        form.set_text("follow_up", "2026-11-01");
        assert!(form.check(&ctx(), true).is_none());
        form.set_text("follow_up", "+7");
        let Some(crate::tui::form::Submit::Log(i)) = form.check(&ctx(), true) else {
            panic!("+7 is a valid follow-up");
        };
        assert_eq!(i.follow_up, Some(date(2026, 11, 29)));
    }

    #[test]
    fn signals_and_satisfaction() {
        let mut form = new("acme", "Acme", None);
        form.focus = 5;
        form.edit(Edit::Right);
        form.edit(Edit::Char(' '));
        form.focus = 4;
        form.edit(Edit::Char('4'));
        let Some(crate::tui::form::Submit::Log(i)) = form.check(&ctx(), true) else {
            panic!("valid");
        };
        assert_eq!(i.signals, vec![Signal::PriceObjection]);
        assert_eq!(i.satisfaction, Some(4));
    }

    #[test]
    fn now_is_kept_within_the_as_of_day() {
        let now: Timestamp = "2026-11-22T12:34:56Z".parse().unwrap();
        assert_eq!(contact_time(now, date(2026, 11, 22)), now);
        assert_eq!(contact_time(now, date(2026, 11, 23)), now);
        let late: Timestamp = "2026-11-23T04:00:00Z".parse().unwrap();
        assert_eq!(
            contact_time(late, date(2026, 11, 22)).to_string(),
            "2026-11-22T23:59:59Z"
        );
    }
}
