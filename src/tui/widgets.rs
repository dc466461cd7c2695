//! The small pieces every screen draws with: a cell cut to its width, a line, a block, a
//! popup, and date words. A leaf, so the screens' folders and the view's dispatch both use
//! it without a circle.

use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear};
use ratatui::Frame;

use crate::i18n::{t, tr};
use crate::tui::text;
use crate::tui::theme::Theme;

/// A span of `s` cut or padded to exactly `cols` columns.
pub fn cell(s: &str, cols: usize, style: Style, theme: &Theme) -> Span<'static> {
    Span::styled(text::fit(&text::clean(s), cols, theme.ellipsis()), style)
}

pub fn cell_right(s: &str, cols: usize, style: Style, theme: &Theme) -> Span<'static> {
    Span::styled(text::fit_right(s, cols, theme.ellipsis()), style)
}

/// A customer's name in `cols` columns; when another customer has the same name, the id
/// follows it (`Acme Trading · acme-sh`, in `id_style`) and the name gives way first, so
/// two customers of one name can be told apart wherever one is picked.
pub fn name_cell(
    name: &str,
    id: &str,
    shared: bool,
    cols: usize,
    (style, id_style): (Style, Style),
    theme: &Theme,
) -> Vec<Span<'static>> {
    if !shared {
        return vec![cell(name, cols, style, theme)];
    }
    let suffix = format!(" · {}", text::clean(id));
    // The name keeps 8 columns (less when shorter); an id longer than the rest is cut too.
    let name_kept = text::width(&text::clean(name)).min(8);
    let suffix = text::truncate(&suffix, cols.saturating_sub(name_kept), theme.ellipsis());
    let name = text::truncate(
        &text::clean(name),
        cols - text::width(&suffix),
        theme.ellipsis(),
    );
    let pad = cols.saturating_sub(text::width(&name) + text::width(&suffix));
    vec![
        Span::styled(name, style),
        Span::styled(suffix, id_style),
        Span::styled(" ".repeat(pad), style),
    ]
}

/// A one-line text, cut with an ellipsis to `cols`.
pub fn line(s: &str, cols: usize, style: Style, theme: &Theme) -> Line<'static> {
    Line::styled(
        text::truncate(&text::clean(s), cols, theme.ellipsis()),
        style,
    )
}

/// A bordered block with the theme's border set and a title.
pub fn block(title: &str, theme: &Theme) -> Block<'static> {
    Block::bordered()
        .border_set(theme.border_set())
        .border_style(theme.border)
        .title(Span::styled(
            format!(" {} ", text::clean(title)),
            theme.title,
        ))
}

/// A rectangle of at most `width` x `height` centred in `area`, cleared for a popup.
pub fn popup(frame: &mut Frame, area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    let rect = Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    };
    popup_at(frame, area, rect)
}

/// `rect`, kept within `area`, cleared for a popup.
pub fn popup_at(frame: &mut Frame, area: Rect, rect: Rect) -> Rect {
    let rect = rect.intersection(area);
    frame.render_widget(Clear, rect);
    // A double-width character just left of the popup would spill into its border.
    let buffer = frame.buffer_mut();
    for y in rect.top()..rect.bottom() {
        if rect.x > area.x && text::width(buffer[(rect.x - 1, y)].symbol()) > 1 {
            buffer[(rect.x - 1, y)].set_symbol(" ");
        }
    }
    rect
}

/// Days between two dates as a short age: "today", "12d", "5mo", "2y".
pub fn age(from: jiff::civil::Date, to: jiff::civil::Date) -> String {
    let days = days_between(from, to);
    match days {
        i64::MIN..=0 => t("age-today"),
        1..=59 => tr("age-days", &[("n", &days.to_string())]),
        60..=729 => tr("age-months", &[("n", &(days / 30).to_string())]),
        _ => tr("age-years", &[("n", &(days / 365).to_string())]),
    }
}

/// The day of the week, short, in the reader's language.
pub fn weekday(date: jiff::civil::Date) -> String {
    use jiff::civil::Weekday;
    t(match date.weekday() {
        Weekday::Monday => "weekday-mon",
        Weekday::Tuesday => "weekday-tue",
        Weekday::Wednesday => "weekday-wed",
        Weekday::Thursday => "weekday-thu",
        Weekday::Friday => "weekday-fri",
        Weekday::Saturday => "weekday-sat",
        Weekday::Sunday => "weekday-sun",
    })
}

pub fn days_between(from: jiff::civil::Date, to: jiff::civil::Date) -> i64 {
    from.until(to)
        .map(|span| i64::from(span.get_days()))
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn joined(spans: &[Span]) -> String {
        spans.iter().map(|s| s.content.as_ref()).collect()
    }

    #[test]
    fn a_shared_name_is_followed_by_its_id() {
        let theme = Theme::mono();
        let styles = (theme.base, theme.muted);
        let alone = name_cell("Acme Trading", "acme", false, 16, styles, &theme);
        assert_eq!(joined(&alone), "Acme Trading    ");
        let shared = name_cell("Acme Trading", "acme-sh", true, 24, styles, &theme);
        assert_eq!(joined(&shared), "Acme Trading · acme-sh  ");
        // Too narrow for both: the name gives way, the id stays whole.
        let shared = name_cell("Acme Trading", "acme-sh", true, 18, styles, &theme);
        assert_eq!(joined(&shared), "Acme Tr… · acme-sh");
        // CJK counts two columns a character; the cut never splits one.
        let shared = name_cell("上海贸易有限公司", "sh2", true, 14, styles, &theme);
        assert_eq!(joined(&shared), "上海贸… · sh2 ");
        assert_eq!(text::width(&joined(&shared)), 14);
    }

    #[test]
    fn ages() {
        let today = date(2026, 11, 22);
        assert_eq!(age(today, today), "today");
        assert_eq!(age(date(2026, 11, 10), today), "12d");
        assert_eq!(age(date(2026, 6, 1), today), "5mo");
        assert_eq!(age(date(2023, 1, 1), today), "3y");
    }
}
