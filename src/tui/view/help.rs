//! Help: every key of the view underneath, rendered from the keymap table itself.

use crate::i18n::{t, tr};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use crate::tui::app::App;
use crate::tui::keymap;
use crate::tui::widgets::{block, cell, line, popup};

pub fn render(app: &App, scroll: usize, frame: &mut Frame, area: Rect) {
    let theme = &app.theme;
    let mode = app.mode_under_help();
    let entries = keymap::help(mode);
    let rect = popup(frame, area, 72, area.height);
    let inner_w = usize::from(rect.width.saturating_sub(2));
    let rows = usize::from(rect.height.saturating_sub(2));
    let key_w = entries
        .iter()
        .map(|e| crate::tui::text::width(&e.keys.join(" ")))
        .max()
        .unwrap_or(4)
        .min(inner_w / 3);
    // When the entries do not fit, the last row is the scroll hint: the entries get the
    // rows above it, and scrolling reaches the last entry (quit) above the hint.
    let overflows = entries.len() > rows;
    let shown = if overflows {
        rows.saturating_sub(1)
    } else {
        rows
    };
    let scroll = scroll.min(entries.len().saturating_sub(shown));
    let mut lines: Vec<Line> = entries
        .iter()
        .skip(scroll)
        .take(shown)
        .map(|e| {
            Line::from(vec![
                Span::raw(" "),
                cell(&e.keys.join(" "), key_w, theme.key, theme),
                Span::raw("  "),
                cell(
                    &t(e.help),
                    inner_w.saturating_sub(key_w + 3),
                    theme.base,
                    theme,
                ),
            ])
        })
        .collect();
    if overflows {
        lines.push(line(&t("help-scroll-hint"), inner_w, theme.muted, theme));
    }
    let title = tr("help-title", &[("mode", &mode.title())]);
    frame.render_widget(Paragraph::new(lines).block(block(&title, theme)), rect);
}
