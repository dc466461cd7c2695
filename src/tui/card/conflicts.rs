//! What field sync left for a person to look at (docs/sync.md), on top of the card: fields
//! changed on two devices that neither saw the other's edit of, and a lost mark made on
//! one device while another logged contacts. `crm show` prints the same; the console says
//! the fields in words, never the record format's field names.

use ratatui::text::Line;

use crate::domain::card::Card;
use crate::i18n::{t, tr};
use crate::tui::text;
use crate::tui::theme::Theme;

/// A profile field, as `store::merge` names it (the JSON book format's spelling), in words.
fn field_words(name: &str) -> String {
    let key = match name {
        "name" => "conflict-field-name",
        "kind" => "conflict-field-kind",
        "segment" => "conflict-field-segment",
        "owner" => "conflict-field-owner",
        "created" => "conflict-field-created",
        "tags" => "conflict-field-tags",
        "category_spend" => "conflict-field-category-spend",
        "contacts" => "conflict-field-contacts",
        "note" => "conflict-field-note",
        "lost" => "conflict-field-lost",
        // A field a newer book names: its name, as words.
        other => return other.replace('_', " "),
    };
    t(key)
}

/// The warning lines, wrapped to `w` (none when sync left nothing to look at).
pub fn lines(card: &Card, w: usize, theme: &Theme) -> Vec<Line<'static>> {
    let mut said = Vec::new();
    if !card.changed_on_two_devices.is_empty() {
        let fields: Vec<String> = card
            .changed_on_two_devices
            .iter()
            .map(|f| field_words(f))
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
