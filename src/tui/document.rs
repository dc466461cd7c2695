//! A document the reader moves through. The customer card and a cycle's page are both laid
//! out as lines with selectable items on them (`view/card_doc.rs`, `view/pdca_page.rs`);
//! `Reading` is where the reader is in either (the selected item, the first line shown)
//! and `Reading::step` how a key moves it, so both screens scroll alike.
//!
//! Laying a document out (wrapping, fitting every line) is the costly part, and both the
//! key that moves and the frame that draws need it. `Laid` is one layout, made with no item
//! selected (the selection only restyles an item's first line, so each item also carries
//! that line as drawn selected); `Layouts` keeps the last one per key (the width, and what
//! else the words depend on), so a page-down lays the document out once, not once in
//! update and again in render. Whoever replaces the document's content calls
//! `Layouts::forget`.

use std::cell::RefCell;
use std::sync::Arc;

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use crate::tui::text;
use crate::tui::theme::Theme;

use crate::tui::vocab::Msg;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Reading {
    /// The selected item.
    pub cursor: usize,
    /// The first line shown.
    pub scroll: usize,
}

/// What moving needs of a laid-out document: its length in lines and, per item, the
/// range of lines it takes (`start..end`).
#[derive(Debug, Clone, Copy)]
pub struct Shape<'a> {
    pub lines: usize,
    pub items: &'a [(usize, usize)],
}

impl Reading {
    /// The first line to show in `height` rows: never past the last screenful.
    pub fn first_line(&self, lines: usize, height: usize) -> usize {
        self.scroll.min(lines.saturating_sub(height))
    }

    /// Moves by `msg` in a document of `shape` shown in `height` rows: a page key scrolls
    /// and selects the first item in view; another key moves the selection and scrolls to
    /// keep it whole in view (the first item shows what is above it too).
    pub fn step(&mut self, shape: Shape, height: usize, msg: Msg) {
        let height = height.max(1);
        let max_scroll = shape.lines.saturating_sub(height);
        let step = delta(msg, height);
        if shape.items.is_empty() || matches!(msg, Msg::PageUp | Msg::PageDown) {
            self.scroll = (self.scroll as isize + step).clamp(0, max_scroll as isize) as usize;
            let visible = self.scroll..self.scroll + height;
            if let Some(first) = shape
                .items
                .iter()
                .position(|(start, _)| visible.contains(start))
            {
                self.cursor = first;
            }
            return;
        }
        let last = shape.items.len() as isize - 1;
        self.cursor = (self.cursor as isize + step).clamp(0, last) as usize;
        if let Some(&(start, end)) = shape.items.get(self.cursor) {
            if self.cursor == 0 {
                self.scroll = 0;
            }
            if end > self.scroll + height {
                self.scroll = end.saturating_sub(height).min(start);
            }
            if start < self.scroll {
                self.scroll = start;
            }
            if msg == Msg::Bottom {
                self.scroll = max_scroll.max(self.scroll);
            }
        }
    }
}

/// A document laid out for one width, no item selected.
#[derive(Debug, Default)]
pub struct Laid {
    /// The fixed left column (wide screens only).
    pub left: Option<Vec<Line<'static>>>,
    /// The scrolling column.
    pub lines: Vec<Line<'static>>,
    /// `[start, end)` lines of each selectable item, in the order of the state's `items()`.
    pub item_lines: Vec<(usize, usize)>,
    /// Each item's first line as drawn when it is the selected one (marker and style).
    pub selected_first: Vec<Line<'static>>,
}

impl Laid {
    /// Draws the document into `body`: on a wide screen the fixed left column
    /// (`left_width` wide), a rule and the `visible` scrolling lines; else those lines alone.
    pub fn draw(
        &self,
        frame: &mut Frame,
        body: Rect,
        left_width: u16,
        visible: Vec<Line<'static>>,
        theme: &Theme,
    ) {
        let Some(left) = &self.left else {
            frame.render_widget(Paragraph::new(visible), body);
            return;
        };
        let [left_area, rule, right_area] = Layout::horizontal([
            Constraint::Length(left_width),
            Constraint::Length(1),
            Constraint::Min(1),
        ])
        .areas(body);
        frame.render_widget(Paragraph::new(left.clone()), left_area);
        let bar = if theme.ascii { "|" } else { "│" };
        let rule_lines: Vec<Line> = (0..rule.height)
            .map(|_| Line::styled(bar, theme.border))
            .collect();
        frame.render_widget(Paragraph::new(rule_lines), rule);
        frame.render_widget(Paragraph::new(visible), right_area);
    }

    pub fn shape(&self) -> Shape<'_> {
        Shape {
            lines: self.lines.len(),
            items: &self.item_lines,
        }
    }

    /// The lines shown in `height` rows at `reading`, its selected item's first line drawn
    /// selected.
    pub fn visible(&self, reading: &Reading, height: usize) -> Vec<Line<'static>> {
        let first = reading.first_line(self.lines.len(), height);
        let selected = self
            .item_lines
            .get(reading.cursor)
            .zip(self.selected_first.get(reading.cursor))
            .map(|(&(start, _), line)| (start, line));
        self.lines
            .iter()
            .enumerate()
            .skip(first)
            .take(height)
            .map(|(at, line)| match selected {
                Some((start, selected)) if start == at => selected.clone(),
                _ => line.clone(),
            })
            .collect()
    }
}

/// An item's first line fitted to `width`, as drawn unselected (in `style`, room for the
/// marker) and as drawn selected (the marker, the selection's style).
pub fn item_first_line(
    first: &str,
    style: Style,
    width: usize,
    theme: &Theme,
) -> (Line<'static>, Line<'static>) {
    let first = text::clean(first);
    let line = |marker: &str, style: Style| {
        Line::styled(
            text::fit(&format!("{marker}{first}"), width, theme.ellipsis()),
            style,
        )
    };
    (line(" ", style), line(theme.marker(), theme.selected))
}

/// The last layout of a document and the key it was made for. A cache, so it is no part
/// of the state's equality.
pub struct Layouts<K> {
    last: RefCell<Option<(K, Arc<Laid>)>>,
    /// How many times the document was laid out (tests count them).
    #[cfg(test)]
    pub made: std::cell::Cell<usize>,
}

impl<K: PartialEq + Copy> Layouts<K> {
    /// The layout for `key`, made by `lay` only when the last one was for another key or
    /// was forgotten.
    pub fn get(&self, key: K, lay: impl FnOnce() -> Laid) -> Arc<Laid> {
        let mut last = self.last.borrow_mut();
        match last.as_ref() {
            Some((made_for, laid)) if *made_for == key => Arc::clone(laid),
            _ => {
                #[cfg(test)]
                self.made.set(self.made.get() + 1);
                let laid = Arc::new(lay());
                *last = Some((key, Arc::clone(&laid)));
                laid
            }
        }
    }

    /// Drops the layout: the document's content changed.
    pub fn forget(&mut self) {
        *self.last.get_mut() = None;
    }
}

impl<K> Default for Layouts<K> {
    fn default() -> Self {
        Layouts {
            last: RefCell::new(None),
            #[cfg(test)]
            made: std::cell::Cell::new(0),
        }
    }
}

/// A copy starts without a layout: it is cheap to make again, and the copy may be changed.
impl<K> Clone for Layouts<K> {
    fn clone(&self) -> Self {
        Layouts::default()
    }
}

impl<K> PartialEq for Layouts<K> {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl<K> std::fmt::Debug for Layouts<K> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let laid = self.last.borrow().is_some();
        f.debug_struct("Layouts").field("laid", &laid).finish()
    }
}

/// How far a key moves in a list or a document shown in `page` rows (a page key keeps one
/// row of context; Top and Bottom go all the way).
pub fn delta(msg: Msg, page: usize) -> isize {
    let page = page.max(2) as isize - 1;
    match msg {
        Msg::Up => -1,
        Msg::Down => 1,
        Msg::PageUp => -page,
        Msg::PageDown => page,
        Msg::Top => isize::MIN / 2,
        _ => isize::MAX / 2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Ten lines; items on lines 2..4, 5..6 and 8..10; five rows shown.
    const ITEMS: [(usize, usize); 3] = [(2, 4), (5, 6), (8, 10)];

    fn shape() -> Shape<'static> {
        Shape {
            lines: 10,
            items: &ITEMS,
        }
    }

    #[test]
    fn moving_the_selection_keeps_it_whole_in_view() {
        let mut reading = Reading::default();
        reading.step(shape(), 5, Msg::Down);
        assert_eq!(
            reading,
            Reading {
                cursor: 1,
                scroll: 1
            },
            "5..6 ends past row 5"
        );
        reading.step(shape(), 5, Msg::Down);
        assert_eq!(
            reading,
            Reading {
                cursor: 2,
                scroll: 5
            },
            "8..10 shown as rows 5..10"
        );
        reading.step(shape(), 5, Msg::Top);
        assert_eq!(
            reading,
            Reading {
                cursor: 0,
                scroll: 0
            },
            "the first item shows the top"
        );
        reading.step(shape(), 5, Msg::Bottom);
        assert_eq!(
            reading,
            Reading {
                cursor: 2,
                scroll: 5
            }
        );
    }

    #[test]
    fn a_page_key_scrolls_and_selects_the_first_item_in_view() {
        let mut reading = Reading::default();
        reading.step(shape(), 5, Msg::PageDown);
        // A page of 5 rows moves 4 lines: lines 4..9 show, the first item starting there
        // is 5..6.
        assert_eq!(
            reading,
            Reading {
                cursor: 1,
                scroll: 4
            }
        );
        reading.step(shape(), 5, Msg::PageDown);
        assert_eq!(
            reading,
            Reading {
                cursor: 1,
                scroll: 5
            },
            "never past the last page (5..10); its first item is 5..6"
        );
        assert_eq!(reading.first_line(10, 5), 5);
        assert_eq!(
            reading.first_line(7, 5),
            2,
            "a shorter document shows its end"
        );
    }

    #[test]
    fn without_items_keys_only_scroll() {
        let mut reading = Reading::default();
        let shape = Shape {
            lines: 10,
            items: &[],
        };
        reading.step(shape, 5, Msg::Down);
        assert_eq!(
            reading,
            Reading {
                cursor: 0,
                scroll: 1
            }
        );
        reading.step(shape, 5, Msg::Bottom);
        assert_eq!(
            reading,
            Reading {
                cursor: 0,
                scroll: 5
            }
        );
    }
}
