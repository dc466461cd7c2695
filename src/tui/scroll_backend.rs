//! A crossterm backend that scrolls. It keeps a copy of what the terminal shows; when a
//! frame moves a band of rows up or down (a list scrolled by a row), it has the terminal
//! shift that band (see `scroll_region`) and sends only the cells that still differ,
//! instead of every cell of every moved row as ratatui's diff would.
//!
//! Without a known screen (after an inline-viewport operation, an update outside the
//! screen, a failed write) it passes frames through untouched until the next full clear,
//! which ratatui issues on every resize.

use std::io::{self, Write};

use ratatui::backend::{Backend, ClearType, CrosstermBackend, WindowSize};
use ratatui::buffer::{Buffer, Cell, CellWidth};
use ratatui::layout::{Position, Rect, Size};

use super::scroll_region::{self, row_hash, row_hashes};

/// What the terminal shows, as far as this backend knows.
struct Screen {
    cells: Buffer,
    hashes: Vec<u64>,
}

impl Screen {
    fn blank(size: Size) -> Screen {
        let cells = Buffer::empty(Rect::new(0, 0, size.width, size.height));
        let hashes = row_hashes(&cells);
        Screen { cells, hashes }
    }
}

pub struct ScrollingBackend<W: Write> {
    inner: CrosstermBackend<W>,
    shown: Option<Screen>,
    /// Scratch for the next screen, kept to reuse its allocation.
    next: Buffer,
    /// Set for a writer that is not the controlling terminal: its size, and where the
    /// cursor was last put (no terminal to ask).
    fixed: Option<(Size, Position)>,
}

impl<W: Write> ScrollingBackend<W> {
    /// A backend on the terminal: the size is asked from the terminal. The screen is
    /// assumed blank, as a freshly entered alternate screen is.
    pub fn new(writer: W) -> io::Result<Self> {
        let inner = CrosstermBackend::new(writer);
        let size = inner.size()?;
        Ok(Self::with(inner, size, None))
    }

    /// A backend writing to `writer` as to a blank terminal of `size`, e.g. a pipe read by
    /// a terminal emulator elsewhere.
    pub fn with_size(writer: W, size: Size) -> Self {
        Self::with(
            CrosstermBackend::new(writer),
            size,
            Some((size, Position::ORIGIN)),
        )
    }

    fn with(inner: CrosstermBackend<W>, size: Size, fixed: Option<(Size, Position)>) -> Self {
        ScrollingBackend {
            inner,
            shown: Some(Screen::blank(size)),
            next: Buffer::empty(Rect::ZERO),
            fixed,
        }
    }

    /// Changes the size reported by a backend made `with_size`; ratatui notices it on the
    /// next draw and clears.
    pub fn set_size(&mut self, size: Size) {
        if let Some((fixed, _)) = &mut self.fixed {
            *fixed = size;
        }
    }

    /// Sends `updates`, scrolling first if that saves bytes, and records the new screen.
    fn draw_updates(&mut self, updates: &[(u16, u16, &Cell)]) -> io::Result<()> {
        let Some(shown) = self.shown.as_mut() else {
            return self.inner.draw(updates.iter().copied());
        };
        self.next.area = shown.cells.area;
        self.next.content.clone_from(&shown.cells.content);
        let mut touched = vec![false; shown.hashes.len()];
        for &(x, y, cell) in updates {
            match self.next.cell_mut((x, y)) {
                Some(target) => *target = cell.clone(),
                None => {
                    self.shown = None;
                    return self.inner.draw(updates.iter().copied());
                }
            }
            touched[usize::from(y)] = true;
        }
        let width = usize::from(self.next.area.width);
        let next_hashes: Vec<u64> = (shown.hashes.iter().zip(&touched).enumerate())
            .map(|(y, (&hash, &touched))| {
                if touched {
                    let row = &mut self.next.content[y * width..(y + 1) * width];
                    blank_under_wide(row);
                    row_hash(row)
                } else {
                    hash
                }
            })
            .collect();
        match scroll_region::find(&shown.cells, &shown.hashes, &self.next, &next_hashes) {
            None => self.inner.draw(updates.iter().copied())?,
            Some(scroll) => {
                scroll.write_to(&mut self.inner)?;
                scroll.apply(&mut shown.cells);
                self.inner.draw(shown.cells.diff_iter(&self.next))?;
            }
        }
        std::mem::swap(&mut shown.cells, &mut self.next);
        shown.hashes = next_hashes;
        Ok(())
    }

    fn reset_screen(&mut self) -> io::Result<()> {
        self.shown = Some(Screen::blank(self.size()?));
        Ok(())
    }
}

/// Blanks the cells a wide character covers. ratatui's buffers hold blanks there, and its
/// diff relies on it; an update stream skips those cells, so a copy built from updates
/// would keep what was there before, which the terminal no longer shows.
fn blank_under_wide(row: &mut [Cell]) {
    let mut x = 0;
    while x < row.len() {
        let width = usize::from(row[x].cell_width()).max(1);
        for covered in row.iter_mut().take(x + width).skip(x + 1) {
            *covered = Cell::EMPTY;
        }
        x += width;
    }
}

impl<W: Write> Write for ScrollingBackend<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.inner.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        Write::flush(&mut self.inner)
    }
}

impl<W: Write> Backend for ScrollingBackend<W> {
    type Error = io::Error;

    fn draw<'a, I>(&mut self, content: I) -> io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        let updates: Vec<(u16, u16, &Cell)> = content.collect();
        let result = self.draw_updates(&updates);
        if result.is_err() {
            // Part of the frame may be on screen: the copy no longer says what is.
            self.shown = None;
        }
        result
    }

    fn append_lines(&mut self, n: u16) -> io::Result<()> {
        self.shown = None;
        self.inner.append_lines(n)
    }

    fn hide_cursor(&mut self) -> io::Result<()> {
        self.inner.hide_cursor()
    }

    fn show_cursor(&mut self) -> io::Result<()> {
        self.inner.show_cursor()
    }

    fn get_cursor_position(&mut self) -> io::Result<Position> {
        match self.fixed {
            Some((_, position)) => Ok(position),
            None => self.inner.get_cursor_position(),
        }
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> io::Result<()> {
        let position = position.into();
        if let Some((_, at)) = &mut self.fixed {
            *at = position;
        }
        self.inner.set_cursor_position(position)
    }

    fn clear(&mut self) -> io::Result<()> {
        self.clear_region(ClearType::All)
    }

    fn clear_region(&mut self, clear_type: ClearType) -> io::Result<()> {
        let result = self.inner.clear_region(clear_type);
        match (clear_type, &result) {
            (ClearType::All, Ok(())) => self.reset_screen()?,
            _ => self.shown = None,
        }
        result
    }

    fn size(&self) -> io::Result<Size> {
        match self.fixed {
            Some((size, _)) => Ok(size),
            None => self.inner.size(),
        }
    }

    fn window_size(&mut self) -> io::Result<WindowSize> {
        match self.fixed {
            Some((size, _)) => Ok(WindowSize {
                columns_rows: size,
                pixels: Size::ZERO,
            }),
            None => self.inner.window_size(),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        Backend::flush(&mut self.inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;
    use std::rc::Rc;

    /// Output kept where the test can read it after the backend has written it.
    #[derive(Clone, Default)]
    struct Shared(Rc<RefCell<Vec<u8>>>);

    impl Write for Shared {
        fn write(&mut self, data: &[u8]) -> io::Result<usize> {
            self.0.borrow_mut().extend_from_slice(data);
            Ok(data.len())
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    impl Shared {
        fn take(&self) -> String {
            String::from_utf8(std::mem::take(&mut *self.0.borrow_mut())).unwrap()
        }
    }

    fn row(backend: &mut ScrollingBackend<Shared>, y: u16, text: &str) {
        let cells: Vec<Cell> = text.chars().map(Cell::from).collect();
        let updates = cells.iter().enumerate().map(|(x, c)| (x as u16, y, c));
        backend.draw(updates).unwrap();
    }

    #[test]
    fn rows_moved_up_are_scrolled_and_only_the_new_row_is_sent() {
        let out = Shared::default();
        let mut backend = ScrollingBackend::with_size(out.clone(), Size::new(40, 4));
        let lines: Vec<String> = (0..5).map(|i| format!("{i}").repeat(40)).collect();
        for y in 0..4 {
            row(&mut backend, y, &lines[y as usize]);
        }
        out.take();
        let cells: Vec<Vec<Cell>> = (1..5)
            .map(|i| lines[i].chars().map(Cell::from).collect())
            .collect();
        let updates = (0..4u16).flat_map(|y| {
            cells[usize::from(y)]
                .iter()
                .enumerate()
                .map(move |(x, c)| (x as u16, y, c))
        });
        backend.draw(updates).unwrap();
        let out = out.take();
        assert!(
            out.starts_with("\x1b[m\x1b[1;4r\x1b[1H\x1b[1M\x1b[r"),
            "{out:?}"
        );
        assert!(out.contains(&"4".repeat(40)), "{out:?}");
        for kept in ["1111", "2222", "3333"] {
            assert!(!out.contains(kept), "{kept} sent again: {out:?}");
        }
    }

    #[test]
    fn without_a_known_screen_frames_pass_through() {
        let out = Shared::default();
        let mut backend = ScrollingBackend::with_size(out.clone(), Size::new(4, 3));
        backend.clear_region(ClearType::AfterCursor).unwrap();
        row(&mut backend, 0, "x");
        assert!(backend.shown.is_none());
        backend.clear().unwrap();
        assert!(backend.shown.is_some());
        // An update outside the screen: passed on, and the copy is dropped.
        row(&mut backend, 9, "x");
        assert!(backend.shown.is_none());
        let out = out.take();
        assert!(out.contains("\x1b[10;1Hx"), "{out:?}");
    }
}
