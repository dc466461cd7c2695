//! Any form: a label column, the fields, inline errors under the field they belong to,
//! and the terminal cursor placed in the focused text field.

use crate::i18n::t;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use crate::tui::app::App;
use crate::tui::form::pick::{Pick, Row};
use crate::tui::form::{Field, FieldValue, Form, TextInput};
use crate::tui::text;
use crate::tui::theme::Theme;
use crate::tui::widgets::{block, cell, line, popup, popup_at};

const LABEL: usize = 13;
const NOTE_ROWS: usize = 4;
/// The most rows an open picker lists at once (it scrolls).
const PICK_ROWS: usize = 8;

pub fn render(app: &App, form: &Form, frame: &mut Frame, area: Rect) {
    let theme = &app.theme;
    let rect = popup(frame, area, 90, area.height);
    let inner_w = usize::from(rect.width.saturating_sub(2));
    let rows = usize::from(rect.height.saturating_sub(2));
    let value_w = inner_w.saturating_sub(LABEL + 1).max(1);

    let mut lines: Vec<Line> = Vec::new();
    if let Some(error) = &form.error {
        lines.extend(
            text::wrap(&text::clean(error), inner_w)
                .into_iter()
                .map(|l| Line::styled(l, theme.error)),
        );
    }
    let mut focus_span = (0, 0);
    let mut cursor: Option<(usize, usize)> = None;
    for (i, field) in form.fields.iter().enumerate() {
        let focused = i == form.focus;
        let start = lines.len();
        let (rendered, field_cursor) = field_lines(field, focused, value_w, theme);
        for (row, value_line) in rendered.into_iter().enumerate() {
            // A field's label is its message key (an untranslated form's plain text shows
            // as it is).
            let label = if row == 0 {
                t(field.label)
            } else {
                String::new()
            };
            let label_style = if focused && row == 0 {
                theme.focus_label
            } else {
                theme.muted
            };
            let mut spans = vec![cell(&label, LABEL, label_style, theme), Span::raw(" ")];
            spans.extend(value_line.spans);
            lines.push(Line::from(spans));
        }
        if let (true, Some((row, col))) = (focused, field_cursor) {
            cursor = Some((start + row, LABEL + 1 + col));
        }
        if let Some(error) = &field.error {
            lines.push(Line::from(vec![
                Span::raw(" ".repeat(LABEL + 1)),
                Span::styled(
                    text::truncate(
                        &format!("! {}", text::clean(error)),
                        value_w,
                        theme.ellipsis(),
                    ),
                    theme.error,
                ),
            ]));
        } else if focused && !field.hint.is_empty() && !field.is_text_single() {
            lines.push(Line::from(vec![
                Span::raw(" ".repeat(LABEL + 1)),
                Span::styled(
                    text::truncate(&field.hint, value_w, theme.ellipsis()),
                    theme.muted,
                ),
            ]));
        }
        if focused {
            focus_span = (start, lines.len());
        }
    }
    lines.push(line(&t("form-footer"), inner_w, theme.muted, theme));
    // Scroll just enough to keep the focused field (and its error) on screen.
    let mut skip = 0;
    if focus_span.1 > rows {
        skip = focus_span.1 - rows;
    }
    skip = skip.min(focus_span.0);
    let visible: Vec<Line> = lines.into_iter().skip(skip).take(rows).collect();
    frame.render_widget(
        Paragraph::new(visible).block(block(&form.title, theme)),
        rect,
    );
    if let Some((row, col)) = cursor {
        if row >= skip && row - skip < rows {
            let x = rect.x + 1 + col.min(inner_w.saturating_sub(1)) as u16;
            let y = rect.y + 1 + (row - skip) as u16;
            frame.set_cursor_position(Position::new(x, y));
        }
    }
    if let (Some(pick), Some(field)) = (form.open_pick(), form.focused()) {
        // The list opens under the field's first line (above it when there is no room).
        let field_y = rect.y + 1 + focus_span.0.saturating_sub(skip).min(rows) as u16;
        render_pick(app, field, pick, frame, area, rect, field_y);
    }
}

/// A picker's open list: the filter as typed, the rows that match it (the cursor's
/// highlighted), and the keys. At least as wide as the values column, the whole form on a
/// narrow screen.
fn render_pick(
    app: &App,
    field: &Field,
    pick: &Pick,
    frame: &mut Frame,
    area: Rect,
    form: Rect,
    field_y: u16,
) {
    let theme = &app.theme;
    let rows = pick.rows();
    let inner_form = form.width.saturating_sub(2);
    let value_x = LABEL as u16 + 1;
    let (x, width) = if inner_form.saturating_sub(value_x) >= 30 {
        (
            form.x + 1 + value_x,
            inner_form.saturating_sub(value_x).min(60),
        )
    } else {
        (form.x, form.width)
    };
    let wanted = (rows.len().clamp(1, PICK_ROWS) + 4) as u16;
    let height = wanted.min(area.height);
    let y = if field_y + 1 + height <= area.bottom() {
        field_y + 1
    } else if field_y >= area.y + height {
        field_y - height
    } else {
        area.bottom().saturating_sub(height)
    };
    let rect = popup_at(frame, area, Rect::new(x, y, width, height));
    let inner_w = usize::from(rect.width.saturating_sub(2));
    let inner_h = usize::from(rect.height.saturating_sub(2));
    // The keys' line goes first when space is short: the filter and one row come before it.
    let keys_line = inner_h >= 3;
    let list_rows = inner_h.saturating_sub(1 + usize::from(keys_line));

    let query = pick.list.as_ref().map(|l| &l.query);
    let typed = query.map(|q| text::clean(q.value())).unwrap_or_default();
    let prompt = if theme.ascii { "> " } else { "› " };
    let room = inner_w.saturating_sub(text::width(prompt) + 1).max(1);
    let (shown, col) = match query {
        Some(q) => single_line(q, room),
        None => (typed.clone(), 0),
    };
    let mut lines = vec![Line::from(vec![
        Span::styled(prompt.to_string(), theme.key),
        Span::styled(shown, theme.input),
    ])];
    let cursor = pick.list.as_ref().map_or(0, |l| l.cursor);
    let offset = (cursor + 1).saturating_sub(list_rows.max(1));
    if rows.is_empty() && list_rows > 0 {
        lines.push(line(
            &t("pick-nothing-matches"),
            inner_w,
            theme.muted,
            theme,
        ));
    }
    for (i, row) in rows.iter().enumerate().skip(offset).take(list_rows) {
        let selected = i == cursor;
        let (words, plain) = match row {
            Row::Option(o) => (
                pick.options
                    .get(*o)
                    .map(|o| o.label.clone())
                    .unwrap_or_default(),
                theme.base,
            ),
            Row::New(login) if login.trim().is_empty() => (t("pick-new-owner-empty"), theme.key),
            Row::New(login) => (
                crate::i18n::tr("pick-new-owner", &[("login", login.trim())]),
                theme.key,
            ),
        };
        let chosen = matches!(row, Row::Option(o) if Some(*o) == pick.chosen);
        let marker = if selected {
            theme.marker()
        } else if chosen {
            if theme.ascii {
                "*"
            } else {
                "•"
            }
        } else {
            " "
        };
        let style = if selected { theme.selected } else { plain };
        lines.push(Line::from(vec![
            Span::styled(format!("{marker} "), style),
            cell(&words, inner_w.saturating_sub(2), style, theme),
        ]));
    }
    if keys_line {
        while lines.len() < inner_h - 1 {
            lines.push(Line::raw(""));
        }
        lines.push(line(&t("pick-keys"), inner_w, theme.muted, theme));
    }
    frame.render_widget(
        Paragraph::new(lines).block(block(&t(field.label), theme)),
        rect,
    );
    let x = rect.x + 1 + (text::width(prompt) + col) as u16;
    frame.set_cursor_position(Position::new(
        x.min(rect.right().saturating_sub(2)),
        rect.y + 1,
    ));
}

impl Field {
    fn is_text_single(&self) -> bool {
        matches!(
            self.value,
            FieldValue::Text {
                multiline: false,
                ..
            }
        )
    }
}

/// The value lines of a field and, for text, where the cursor is (row, column).
fn field_lines(
    field: &Field,
    focused: bool,
    w: usize,
    theme: &Theme,
) -> (Vec<Line<'static>>, Option<(usize, usize)>) {
    match &field.value {
        FieldValue::Text {
            input,
            multiline: false,
        } => {
            let (shown, col) = single_line(input, w);
            let mut spans = vec![Span::styled(shown.clone(), theme.input)];
            let room = w.saturating_sub(text::width(&shown) + 2);
            if let Some(echo) = field.echo.as_ref().filter(|_| room > 8) {
                spans.push(Span::raw("  "));
                spans.push(Span::styled(
                    text::truncate(echo, room, theme.ellipsis()),
                    theme.key,
                ));
            } else if focused && !field.hint.is_empty() && room > 8 {
                spans.push(Span::raw("  "));
                spans.push(Span::styled(
                    text::truncate(&field.hint, room, theme.ellipsis()),
                    theme.muted,
                ));
            }
            (vec![Line::from(spans)], Some((0, col)))
        }
        FieldValue::Text {
            input,
            multiline: true,
        } => {
            let (rows, cursor) = multi_line(input, w);
            let mut lines: Vec<Line> = rows
                .into_iter()
                .map(|r| Line::styled(r, theme.input))
                .collect();
            while lines.len() < NOTE_ROWS {
                lines.push(Line::styled(" ".repeat(w.min(1)), theme.base));
            }
            (lines, Some(cursor))
        }
        FieldValue::Choice { options, index } => {
            let chosen_style = if focused {
                theme.selected
            } else {
                theme.header
            };
            let inline: usize = options.iter().map(|o| text::width(o) + 1).sum();
            if inline <= w {
                let mut spans = Vec::new();
                for (i, option) in options.iter().enumerate() {
                    let style = if i == *index {
                        chosen_style
                    } else {
                        theme.muted
                    };
                    spans.push(Span::styled(text::clean(option), style));
                    spans.push(Span::raw(" "));
                }
                (vec![Line::from(spans)], None)
            } else {
                let value = options.get(*index).cloned().unwrap_or_default();
                let shown = format!("< {} >  {}/{}", value, index + 1, options.len());
                (vec![line(&shown, w, chosen_style, theme)], None)
            }
        }
        FieldValue::Pick(pick) => {
            // The chosen value in words; nothing chosen shows what to do.
            let (shown, style) = match pick.label() {
                Some(label) if focused => (label.to_string(), theme.selected),
                Some(label) => (label.to_string(), theme.header),
                None if focused => (pick.placeholder.clone(), theme.selected),
                None => (pick.placeholder.clone(), theme.muted),
            };
            let marker = if theme.ascii { " v" } else { " ▾" };
            let room = w.saturating_sub(text::width(marker)).max(1);
            let spans = vec![
                Span::styled(
                    text::truncate(&text::clean(&shown), room, theme.ellipsis()),
                    style,
                ),
                Span::styled(marker, theme.muted),
            ];
            (vec![Line::from(spans)], None)
        }
        FieldValue::Shown(value) => (vec![line(value, w, theme.muted, theme)], None),
        FieldValue::Toggles {
            options,
            on,
            cursor,
        } => {
            let mut lines = Vec::new();
            let mut spans: Vec<Span> = Vec::new();
            let mut used = 0;
            for (i, option) in options.iter().enumerate() {
                let mark = if on.get(i).copied().unwrap_or(false) {
                    "[x]"
                } else {
                    "[ ]"
                };
                let piece = format!("{mark} {}", text::clean(option));
                let pw = text::width(&piece) + 1;
                if used + pw > w && !spans.is_empty() {
                    lines.push(Line::from(std::mem::take(&mut spans)));
                    used = 0;
                }
                let style: Style = if focused && i == *cursor {
                    theme.selected
                } else {
                    theme.base
                };
                spans.push(Span::styled(
                    text::truncate(&piece, w, theme.ellipsis()),
                    style,
                ));
                spans.push(Span::raw(" "));
                used += pw;
            }
            if !spans.is_empty() {
                lines.push(Line::from(spans));
            }
            (lines, None)
        }
    }
}

/// The visible part of a one-line input (its end, when long) and the cursor column.
fn single_line(input: &TextInput, w: usize) -> (String, usize) {
    let value = text::clean(input.value());
    let before = text::clean(&input.value()[..input.cursor()]);
    let before_w = text::width(&before);
    if text::width(&value) < w {
        return (value, before_w);
    }
    // Show the columns just before the cursor.
    let mut tail = String::new();
    for c in before.chars().rev() {
        if text::width(&tail) + text::width(&c.to_string()) >= w {
            break;
        }
        tail.insert(0, c);
    }
    let col = text::width(&tail);
    let after = &value[before.len()..];
    let (rest, _) = text::take_columns(after, w.saturating_sub(col));
    (format!("{tail}{rest}"), col)
}

/// A multi-line input wrapped by columns (an editor's wrap, so the cursor maps exactly),
/// and the cursor's (row, column).
fn multi_line(input: &TextInput, w: usize) -> (Vec<String>, (usize, usize)) {
    let w = w.max(2);
    let mut rows = Vec::new();
    let mut cursor = (0, 0);
    let mut offset = 0;
    for hard in input.value().split('\n') {
        let mut row = String::new();
        let mut used = 0;
        for (i, c) in hard.char_indices() {
            if offset + i == input.cursor() {
                cursor = if used >= w {
                    (rows.len() + 1, 0)
                } else {
                    (rows.len(), used)
                };
            }
            let cw = text::width(&c.to_string()).max(1);
            if used + cw > w {
                rows.push(std::mem::take(&mut row));
                used = 0;
            }
            row.push(if c.is_control() { ' ' } else { c });
            used += cw;
        }
        if offset + hard.len() == input.cursor() {
            cursor = if used >= w {
                (rows.len() + 1, 0)
            } else {
                (rows.len(), used)
            };
            if used >= w {
                rows.push(std::mem::take(&mut row));
                used = 0;
            }
        }
        let _ = used;
        rows.push(row);
        offset += hard.len() + 1;
    }
    (rows, cursor)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multi_line_cursor_follows_wraps_and_breaks() {
        let input = TextInput::new("abcdef\ngh");
        let (rows, cursor) = multi_line(&input, 4);
        assert_eq!(rows, vec!["abcd", "ef", "gh"]);
        assert_eq!(cursor, (2, 2));
        let mut input = TextInput::new("abcd");
        let (rows, cursor) = multi_line(&input, 4);
        assert_eq!(rows, vec!["abcd", ""]);
        assert_eq!(cursor, (1, 0));
        input.home();
        let (_, cursor) = multi_line(&input, 4);
        assert_eq!(cursor, (0, 0));
    }

    #[test]
    fn single_line_shows_the_end_when_long() {
        let input = TextInput::new("0123456789");
        let (shown, col) = single_line(&input, 5);
        assert_eq!(shown, "6789");
        assert_eq!(col, 4);
        let input = TextInput::new("上海");
        assert_eq!(single_line(&input, 10), ("上海".to_string(), 4));
    }
}
