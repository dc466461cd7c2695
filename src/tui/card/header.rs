//! The one fixed line above the card: who it is, where it stands, and its id. The id is
//! what tells two customers of the same name apart and what `crm show` takes, so it is
//! never cut: a long name gives way first (down to `NAME_KEPT` columns, ending in an
//! ellipsis), then stage, level, tier and owner.

use crate::i18n::{level_label, stage_label, t, tier_label, tr};
use ratatui::text::{Line, Span};

use crate::domain::card::Card;
use crate::tui::text;
use crate::tui::theme::Theme;

/// A name is shortened to no fewer columns than this before the figures after it are.
const NAME_KEPT: usize = 16;

pub fn header(card: &Card, width: usize, theme: &Theme) -> Line<'static> {
    let tier = card.tier.map_or_else(|| t("card-no-tier"), tier_label);
    let won_back = if card.second_lifecycle {
        t("card-header-won-back")
    } else {
        String::new()
    };
    let name = text::clean(&card.name);
    let rest = tr(
        "card-header",
        &[
            ("stage", &stage_label(card.stage)),
            ("wonback", &won_back),
            ("level", &level_label(card.level)),
            ("tier", &tier),
            ("owner", &text::clean(&card.owner)),
        ],
    );
    // Fluent trims a message's leading space: the gap before the id is added here.
    let id = format!(
        " {}",
        tr("card-header-id", &[("id", &text::clean(&card.id))])
    );
    let [name_w, rest_w, id_w] = widths(
        text::width(&name) + 1,
        text::width(&rest),
        text::width(&id),
        width,
    );
    let ellipsis = theme.ellipsis();
    let stage = theme.stage(card.stage);
    Line::from(vec![
        Span::styled(
            text::fit(&name, name_w.saturating_sub(1), ellipsis)
                + if name_w > 0 { " " } else { "" },
            theme.title,
        ),
        Span::styled(text::truncate(&rest, rest_w, ellipsis), stage),
        Span::styled(text::truncate(&id, id_w, ellipsis), stage),
    ])
}

/// Columns for the name (its trailing space included), the figures and the id, given
/// what each would take whole: the id first, then the name down to `NAME_KEPT`, then the
/// figures, then whatever of the name is left.
fn widths(name: usize, rest: usize, id: usize, width: usize) -> [usize; 3] {
    let id = id.min(width);
    let left = width - id;
    let name_kept = name.min(NAME_KEPT + 1).min(left);
    let rest = rest.min(left - name_kept);
    let name = name.min(left - rest);
    [name, rest, id]
}

#[cfg(test)]
mod tests {
    use super::widths;

    #[test]
    fn the_id_is_kept_and_the_name_gives_way_first() {
        // All fits: each whole.
        assert_eq!(widths(10, 40, 10, 80), [10, 40, 10]);
        // A long name is shortened to what the figures and the id leave.
        assert_eq!(widths(50, 40, 10, 80), [30, 40, 10]);
        // Not even that: the name keeps 16 columns and a space, the figures give way.
        assert_eq!(widths(50, 60, 10, 80), [17, 53, 10]);
        // A short name is never padded beyond itself.
        assert_eq!(widths(6, 70, 10, 50), [6, 34, 10]);
        // The id alone is wider than the screen: it is all there is.
        assert_eq!(widths(6, 70, 60, 50), [0, 0, 50]);
    }
}
