//! The find palette: the query and its hits, updated on every keystroke.

use crate::i18n::{stage_label, t, tr};
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use ratatui::style::{Modifier, Style};

use crate::domain::search::{reading_highlight, Hit};
use crate::tui::app::{App, FindState};
use crate::tui::text;
use crate::tui::theme::Theme;
use crate::tui::widgets::{self, block, cell, line, popup};

pub fn render(app: &App, find: &FindState, frame: &mut Frame, area: Rect) {
    let theme = &app.theme;
    // Narrow screens give the palette the whole body; wide ones a centred box.
    let (width, height) = if area.width < 100 {
        (area.width, area.height)
    } else {
        (100, area.height.saturating_sub(2))
    };
    let rect = popup(frame, area, width, height);
    let inner_w = usize::from(rect.width.saturating_sub(2));
    let rows = usize::from(rect.height.saturating_sub(4));

    // Fluent trims a message's trailing space: the gap after the prompt is added here.
    let prompt = format!("{} ", t("find-prompt"));
    let prompt = prompt.as_str();
    let query = text::clean(find.query.value());
    let room = inner_w.saturating_sub(text::width(prompt) + 1);
    // Keep the end of a long query (where typing happens) in view.
    let before_cursor = text::clean(&find.query.value()[..find.query.cursor()]);
    let shown_query = if text::width(&query) > room {
        let chars: Vec<char> = before_cursor.chars().collect();
        let mut tail = String::new();
        for c in chars.iter().rev() {
            if text::width(&tail) + text::width(&c.to_string()) > room {
                break;
            }
            tail.insert(0, *c);
        }
        tail
    } else {
        query.clone()
    };
    let cursor_col = if text::width(&query) > room {
        text::width(&shown_query)
    } else {
        text::width(&before_cursor)
    };
    let mut lines = vec![Line::from(vec![
        Span::styled(prompt.to_string(), theme.key),
        Span::styled(shown_query, theme.base),
    ])];
    let count = if query.trim().is_empty() {
        tr("find-empty", &[("count", &app.list.total().to_string())])
    } else {
        tr("find-count", &[("count", &find.hits.len().to_string())])
    };
    lines.push(line(&count, inner_w, theme.muted, theme));

    let mut cursor = find.cursor;
    cursor.follow(find.hits.len(), rows);
    // Reasons (`phone +86 10 5555 0101`) get half the room; ids a third.
    let room = inner_w.saturating_sub(2 + 1 + 8 + 1 + 7);
    let name_w = if find.why.iter().any(Option::is_some) {
        room / 2
    } else {
        room * 2 / 3
    };
    let id_w = inner_w.saturating_sub(2 + name_w + 1 + 8 + 1 + 7 + 1);
    for (i, hit) in find.hits.iter().enumerate().skip(cursor.offset).take(rows) {
        let selected = i == cursor.selected;
        let style = if selected { theme.selected } else { theme.base };
        let summary = app.list.get(&hit.id);
        let stage = summary
            .as_ref()
            .map(|s| stage_label(s.stage))
            .unwrap_or_default();
        let owner = summary.as_ref().map(|s| s.owner.as_str()).unwrap_or("");
        let marker = if selected { theme.marker() } else { " " };
        lines.push(Line::from(
            vec![Span::styled(format!("{marker} "), style)]
                .into_iter()
                .chain(match find.why.get(i).and_then(Option::as_ref) {
                    // The id column says why it matched: a shared name brings its id.
                    Some(_) if app.list.name_shared(&hit.id) => widgets::name_cell(
                        &hit.name,
                        &hit.id,
                        true,
                        name_w,
                        (style, if selected { style } else { theme.muted }),
                        theme,
                    ),
                    _ => name_cell(hit, &query, name_w, style, theme),
                })
                .chain([
                    Span::styled(" ", style),
                    // Why it matched when the name does not say (a phone, a contact, …).
                    match find.why.get(i).and_then(Option::as_ref) {
                        Some(why) => {
                            cell(why, id_w, if selected { style } else { theme.key }, theme)
                        }
                        None => cell(
                            &hit.id,
                            id_w,
                            if selected { style } else { theme.muted },
                            theme,
                        ),
                    },
                    Span::styled(" ", style),
                    cell(&stage, 8, style, theme),
                    Span::styled(" ", style),
                    cell(owner, 7, style, theme),
                ])
                .collect::<Vec<_>>(),
        ));
    }
    frame.render_widget(
        Paragraph::new(lines).block(block(&t("find-title"), theme)),
        rect,
    );
    let x = rect.x + 1 + text::width(prompt) as u16 + cursor_col as u16;
    frame.set_cursor_position(Position::new(
        x.min(rect.right().saturating_sub(2)),
        rect.y + 1,
    ));
}

/// The name of a hit in `cols` columns; a hit found through pinyin is followed by the
/// reading it matched, the typed letters underlined (`bjhx`: b…j…h…x of the syllables).
fn name_cell(
    hit: &Hit,
    query: &str,
    cols: usize,
    style: Style,
    theme: &Theme,
) -> Vec<Span<'static>> {
    let Some(reading) = &hit.reading else {
        return vec![cell(&hit.name, cols, style, theme)];
    };
    let name = text::clean(&hit.name);
    let reading = text::clean(reading);
    let skip = name.chars().count() + 1;
    let marked: Vec<usize> = reading_highlight(&reading, query)
        .into_iter()
        .map(|i| i + skip)
        .collect();
    let full = format!("{name} {reading}");
    let fitted = text::fit(&full, cols, theme.ellipsis());
    // Characters past a cut are the ellipsis or padding, never marked.
    let kept = if text::width(&full) <= cols {
        usize::MAX
    } else {
        let room = cols.saturating_sub(text::width(theme.ellipsis()));
        text::take_columns(&full, room).0.chars().count()
    };
    let reading_style = if style == theme.base {
        theme.muted
    } else {
        style
    };
    // The fitted text is a prefix of name and reading, then an ellipsis or padding.
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut run = String::new();
    let mut run_style = style;
    for (i, c) in fitted.chars().enumerate() {
        let part = if i < skip { style } else { reading_style };
        let s = if i < kept && marked.contains(&i) {
            part.add_modifier(Modifier::UNDERLINED)
        } else {
            part
        };
        if s != run_style && !run.is_empty() {
            spans.push(Span::styled(std::mem::take(&mut run), run_style));
        }
        run_style = s;
        run.push(c);
    }
    if !run.is_empty() {
        spans.push(Span::styled(run, run_style));
    }
    spans
}
