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

pub fn bottom_bar(app: &App, frame: &mut Frame, area: Rect) {
    let theme = &app.theme;
    let width = usize::from(area.width);
    let line = match &app.status {
        Some(status) => {
            let style = if status.error {
                theme.error
            } else {
                theme.good
            };
            Line::styled(
                text::truncate(&text::clean(&status.text), width, theme.ellipsis()),
                style,
            )
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
            Line::from(spans)
        }
    };
    frame.render_widget(Paragraph::new(line), area);
}

pub fn confirm(app: &App, prompt: &str, frame: &mut Frame, area: Rect) {
    let theme = &app.theme;
    let width = (text::width(prompt) as u16 + 6).min(area.width);
    let rect = popup(frame, area, width, 3);
    let inner_width = usize::from(rect.width.saturating_sub(2));
    let body = Paragraph::new(Line::styled(
        text::truncate(prompt, inner_width, theme.ellipsis()),
        theme.warn,
    ))
    .block(block(&t("confirm-title"), theme));
    frame.render_widget(body, rect);
}
