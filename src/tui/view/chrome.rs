//! The frame around every screen: the view tabs on top, hints or the status at the bottom,
//! and the yes/no question.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use crate::i18n::{t, tr};
use crate::tui::app::App;
use crate::tui::keymap;
use crate::tui::text;
use crate::tui::vocab::View;
use crate::tui::widgets::{block, popup};

pub fn top_bar(app: &App, frame: &mut Frame, area: Rect) {
    let theme = &app.theme;
    let mut spans = vec![Span::styled(" crm ", theme.title)];
    for (i, view) in View::ALL.iter().enumerate() {
        let label = format!(" {} {} ", i + 1, view.title());
        let current = app.card.is_none() && app.view == *view;
        let style = if current { theme.selected } else { theme.muted };
        spans.push(Span::styled(label, style));
    }
    let used: usize = spans.iter().map(|s| text::width(&s.content)).sum();
    let right = format!(
        "{} ",
        tr(
            "top-as-of",
            &[("date", &app.as_of.to_string()), ("user", &app.actor)]
        )
    );
    let room = usize::from(area.width).saturating_sub(used);
    if text::width(&right) < room {
        let pad = room - text::width(&right);
        spans.push(Span::raw(" ".repeat(pad)));
        spans.push(Span::styled(right, theme.muted));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The status message as it is shown at `width`: wrapped (numbers kept whole, CJK counted
/// double and filling its lines) rather than cut, on at most `max_rows` rows, the last cut with an ellipsis only
/// when even those are not enough.
pub fn status_lines(text: &str, width: u16, max_rows: u16, ellipsis: &str) -> Vec<String> {
    let width = usize::from(width);
    let max_rows = usize::from(max_rows.max(1));
    let mut lines = text::wrap_filling(&text::clean(text), width);
    if lines.len() > max_rows {
        let rest = lines.split_off(max_rows - 1).join(" ");
        // The cut always shows: an ellipsis even when the last row's text would fit.
        let room = width.saturating_sub(text::width(ellipsis));
        lines.push(text::take_columns(&rest, room).0 + ellipsis);
    }
    lines
}

/// The rows the bottom bar takes on a screen of `area`: one for hints, as many as the
/// status message needs (up to a quarter of the screen).
pub fn bottom_rows(app: &App, area: Rect) -> u16 {
    match &app.status {
        Some(status) => status_lines(
            &status.text,
            area.width,
            max_status_rows(area),
            app.theme.ellipsis(),
        )
        .len() as u16,
        None => 1,
    }
}

fn max_status_rows(area: Rect) -> u16 {
    (area.height / 4).max(1)
}

pub fn bottom_bar(app: &App, frame: &mut Frame, area: Rect) {
    let theme = &app.theme;
    let width = usize::from(area.width);
    let lines = match &app.status {
        Some(status) => {
            let style = if status.error {
                theme.error
            } else {
                theme.good
            };
            status_lines(&status.text, area.width, area.height, theme.ellipsis())
                .into_iter()
                .map(|l| Line::styled(l, style))
                .collect()
        }
        None => {
            let mut spans = Vec::new();
            let mut used = 0;
            // "? help" first: it must be on the bar however narrow the screen.
            let mut hints = keymap::hints(app.mode());
            if let Some(at) = hints.iter().position(|(key, _)| key == "?") {
                let help = hints.remove(at);
                hints.insert(0, help);
            }
            for (key, help) in hints {
                let help = t(help);
                let short = help
                    .split([':', '(', ',', '：', '（', '，'])
                    .next()
                    .unwrap_or(&help)
                    .trim();
                let piece = text::width(&key) + 1 + text::width(short) + 2;
                if used + piece > width {
                    break;
                }
                used += piece;
                spans.push(Span::styled(key, theme.key));
                spans.push(Span::styled(format!(" {short}  "), theme.muted));
            }
            vec![Line::from(spans)]
        }
    };
    frame.render_widget(Paragraph::new(lines), area);
}

/// The question in a box: as wide as it needs, at most the screen; a question longer
/// than that is wrapped onto more rows (numbers kept whole), never cut.
pub fn confirm(app: &App, prompt: &str, frame: &mut Frame, area: Rect) {
    let theme = &app.theme;
    let prompt = text::clean(prompt);
    let width = (text::width(&prompt) as u16 + 6).min(area.width);
    let inner_width = width.saturating_sub(2);
    let lines: Vec<Line> = status_lines(
        &prompt,
        inner_width,
        area.height.saturating_sub(2),
        theme.ellipsis(),
    )
    .into_iter()
    .map(|l| Line::styled(l, theme.warn))
    .collect();
    let rect = popup(frame, area, width, lines.len() as u16 + 2);
    let body = Paragraph::new(lines).block(block(&t("confirm-title"), theme));
    frame.render_widget(body, rect);
}

#[cfg(test)]
mod tests {
    use super::status_lines;

    #[test]
    fn a_status_wraps_and_marks_a_cut_only_past_its_rows() {
        assert_eq!(status_lines("saved", 20, 3, "…"), ["saved"]);
        assert_eq!(
            status_lines("row 24 / 200 of the book shown", 12, 3, "…"),
            ["row 24 / 200", "of the book", "shown"]
        );
        // Two rows for three rows' worth: the second ends cut, and says so.
        assert_eq!(
            status_lines("row 24 / 200 of the book shown", 12, 2, "…"),
            ["row 24 / 200", "of the book…"]
        );
        // CJK: two columns a character, never a half.
        assert_eq!(
            status_lines("无法保存草稿文件", 7, 3, "…"),
            ["无法保", "存草稿", "文件"]
        );
    }
}
