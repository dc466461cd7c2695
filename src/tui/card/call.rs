//! The card's first lines, for a call: who to talk to (contact person, role, phone, e-mail)
//! and the last contact with what was said. A phone number or an e-mail is never split
//! across lines: a line that does not fit is cut, and the full text is in the profile.

use jiff::tz::TimeZone;
use ratatui::style::Style;
use ratatui::text::Line;

use crate::domain::card::Card;
use crate::i18n::{channel_label, direction_label, outcome_words, t, tr};
use crate::tui::text;
use crate::tui::theme::Theme;
use crate::tui::widgets::age;

/// How many lines of the last contact's note the call block shows.
const NOTE_LINES: usize = 2;

fn cut(s: &str, w: usize, style: Style, theme: &Theme) -> Line<'static> {
    Line::styled(text::truncate(&text::clean(s), w, theme.ellipsis()), style)
}

pub fn lines(card: &Card, w: usize, theme: &Theme) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    match card.contacts.first() {
        None => out.push(cut(&t("card-call-no-person"), w, theme.warn, theme)),
        Some(c) => {
            let more = match card.contacts.len() - 1 {
                0 => String::new(),
                n => tr("card-call-more", &[("n", &n.to_string())]),
            };
            let who = if c.role.trim().is_empty() {
                tr("card-call-who", &[("name", &c.name), ("more", &more)])
            } else {
                tr(
                    "card-call-who-role",
                    &[("name", &c.name), ("role", &c.role), ("more", &more)],
                )
            };
            let reach: Vec<&str> = [c.phone.trim(), c.email.trim()]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect();
            let reach = reach.join(" · ");
            let one = if reach.is_empty() {
                who.clone()
            } else {
                format!("{who} · {reach}")
            };
            if text::width(&text::clean(&one)) <= w || reach.is_empty() {
                out.push(cut(&one, w, theme.title, theme));
            } else {
                out.push(cut(&who, w, theme.title, theme));
                out.push(cut(&format!("  {reach}"), w, theme.title, theme));
            }
        }
    }
    match card.recent_interactions.first() {
        None => out.push(cut(&t("card-call-never"), w, theme.muted, theme)),
        Some(last) => {
            let day = last.at.to_zoned(TimeZone::UTC).date();
            let arrow = if theme.ascii { "->" } else { "→" };
            out.push(cut(
                &tr(
                    "card-call-last",
                    &[
                        ("date", &day.to_string()),
                        ("ago", &age(day, card.as_of)),
                        ("channel", &channel_label(last.channel)),
                        ("direction", &direction_label(last.direction)),
                        ("arrow", arrow),
                        ("outcome", &outcome_words(last.outcome)),
                    ],
                ),
                w,
                theme.base,
                theme,
            ));
            let note = text::clean_keep_newlines(last.note.trim());
            if !note.is_empty() {
                let wrapped = text::wrap(&note, w.saturating_sub(2).max(1));
                let shown = wrapped.len().min(NOTE_LINES);
                for (i, l) in wrapped.iter().take(shown).enumerate() {
                    let l = if i + 1 == shown && wrapped.len() > shown {
                        format!("{l}{}", theme.ellipsis())
                    } else {
                        l.clone()
                    };
                    out.push(cut(&format!("  {l}"), w, theme.base, theme));
                }
            }
        }
    }
    out
}
