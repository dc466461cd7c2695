//! What field sync left for a person to look at (docs/sync.md), on top of the card: fields
//! changed on two devices that neither saw the other's edit of, and a lost mark made on
//! one device while another logged contacts. `crm show` prints the same; the console says
//! the fields in words, never the record format's field names.

use ratatui::text::Line;

use crate::domain::card::Card;
use crate::i18n::{profile_field_words, t, tr};
use crate::tui::text;
use crate::tui::theme::Theme;

/// The warning lines, wrapped to `w` (none when sync left nothing to look at).
pub fn lines(card: &Card, w: usize, theme: &Theme) -> Vec<Line<'static>> {
    let mut said = Vec::new();
    if !card.changed_on_two_devices.is_empty() {
        let fields: Vec<String> = card
            .changed_on_two_devices
            .iter()
            .map(|f| profile_field_words(f))
            .collect();
        said.push(tr(
            "card-two-devices",
            &[("fields", &fields.join(&t("ev-list-separator")))],
        ));
    }
    if card.lost_but_contacted {
        said.push(t("card-lost-but-contacted"));
    }
    said.iter()
        .flat_map(|s| text::wrap(&text::clean(s), w.max(1)))
        .map(|l| Line::styled(l, theme.warn))
        .collect()
}
