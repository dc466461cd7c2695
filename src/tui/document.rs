//! A document the reader moves through. The customer card and a cycle's page are both laid
//! out as lines with selectable items on them (`view/card_doc.rs`, `view/pdca_page.rs`);
//! `Reading` is where the reader is in either (the selected item, the first line shown)
//! and `Reading::step` how a key moves it, so both screens scroll alike.

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
