//! The scrolling backend against a terminal emulator: every byte it writes is fed to a
//! `vt100` parser, and after every frame the parsed screen must equal ratatui's buffer
//! cell by cell (text, colours, bold, reverse, underline). Byte counts are deterministic,
//! so the budget of a scrolling move is asserted exactly.

mod common;

use common::{new_app, Tap};
use crm::book::Book;
use crm::tui::app::App;
use crm::tui::scroll_backend::ScrollingBackend;
use crm::tui::view;
use crm::tui::Theme;
use ratatui::buffer::{Buffer, CellWidth};
use ratatui::layout::Size;
use ratatui::style::{Color, Modifier, Style};
use ratatui::{Frame, Terminal};
use tempfile::TempDir;

/// The issue's budget for one selection move at 120×40.
const MOVE_BUDGET: usize = 500;

/// A terminal of the backend and the emulator that reads its output.
struct Screen {
    terminal: Terminal<ScrollingBackend<Tap>>,
    output: Tap,
    parser: vt100::Parser,
    frames: usize,
}

impl Screen {
    fn new(width: u16, height: u16) -> Screen {
        let output = Tap::default();
        let backend = ScrollingBackend::with_size(output.clone(), Size::new(width, height));
        Screen {
            terminal: Terminal::new(backend).unwrap(),
            output,
            parser: vt100::Parser::new(height, width, 0),
            frames: 0,
        }
    }

    fn resize(&mut self, width: u16, height: u16) {
        self.terminal
            .backend_mut()
            .set_size(Size::new(width, height));
        self.parser.screen_mut().set_size(height, width);
    }

    /// Draws a frame, checks the emulator shows exactly it, and returns the bytes sent.
    fn draw(&mut self, render: impl FnOnce(&mut Frame)) -> usize {
        self.output.0.borrow_mut().clear();
        let expected = self.terminal.draw(render).unwrap().buffer.clone();
        let bytes = std::mem::take(&mut *self.output.0.borrow_mut());
        self.parser.process(&bytes);
        self.frames += 1;
        assert_shows(self.parser.screen(), &expected, self.frames);
        bytes.len()
    }

    /// The text the terminal shows on row `y`.
    fn row(&self, y: u16) -> String {
        let (_, width) = self.parser.screen().size();
        self.parser.screen().contents_between(y, 0, y, width)
    }

    /// Draws the App and keeps the sizes it laid out, as the console's loop does.
    fn draw_app(&mut self, app: &mut App) -> usize {
        let mut viewport = app.viewport;
        let bytes = self.draw(|frame| viewport = view::render(app, frame));
        app.viewport = viewport;
        bytes
    }
}

fn vt_colour(colour: Color) -> vt100::Color {
    use vt100::Color::{Default, Idx, Rgb};
    match colour {
        Color::Reset => Default,
        Color::Black => Idx(0),
        Color::Red => Idx(1),
        Color::Green => Idx(2),
        Color::Yellow => Idx(3),
        Color::Blue => Idx(4),
        Color::Magenta => Idx(5),
        Color::Cyan => Idx(6),
        Color::Gray => Idx(7),
        Color::DarkGray => Idx(8),
        Color::LightRed => Idx(9),
        Color::LightGreen => Idx(10),
        Color::LightYellow => Idx(11),
        Color::LightBlue => Idx(12),
        Color::LightMagenta => Idx(13),
        Color::LightCyan => Idx(14),
        Color::White => Idx(15),
        Color::Indexed(i) => Idx(i),
        Color::Rgb(r, g, b) => Rgb(r, g, b),
    }
}

/// Fails with the first differing cells and both screens' text.
fn assert_shows(screen: &vt100::Screen, expected: &Buffer, frame: usize) {
    let mut wrong = Vec::new();
    for y in 0..expected.area.height {
        for x in 0..expected.area.width {
            let want = &expected[(x, y)];
            let Some(got) = screen.cell(y, x) else {
                wrong.push(format!("({x},{y}) missing"));
                continue;
            };
            // The second column of a wide character: nothing of its own to show.
            let covered = x > 0 && expected[(x - 1, y)].cell_width() > 1;
            if covered || got.is_wide_continuation() {
                if covered != got.is_wide_continuation() {
                    wrong.push(format!("({x},{y}) covered {covered}, shown {got:?}"));
                }
                continue;
            }
            let text = if got.has_contents() {
                got.contents()
            } else {
                " "
            };
            let same = text == want.symbol()
                && got.fgcolor() == vt_colour(want.fg)
                && got.bgcolor() == vt_colour(want.bg)
                && got.bold() == want.modifier.contains(Modifier::BOLD)
                && got.inverse() == want.modifier.contains(Modifier::REVERSED)
                && got.underline() == want.modifier.contains(Modifier::UNDERLINED);
            if !same {
                wrong.push(format!(
                    "({x},{y}) want {:?} {:?}/{:?} {:?}, got {:?} {:?}/{:?}",
                    want.symbol(),
                    want.fg,
                    want.bg,
                    want.modifier,
                    text,
                    got.fgcolor(),
                    got.bgcolor()
                ));
            }
        }
    }
    if !wrong.is_empty() {
        wrong.truncate(8);
        panic!(
            "frame {frame}: the terminal differs from the buffer:\n{}\n--- terminal ---\n{}",
            wrong.join("\n"),
            screen.contents()
        );
    }
}

/// Lines for a synthetic list view: a header, `rows` items from `first` (the `selected`
/// one highlighted, some with CJK names and coloured cells), a footer.
fn synthetic(frame: &mut Frame, first: usize, selected: usize) {
    let area = frame.area();
    let buf = frame.buffer_mut();
    buf.set_string(0, 0, "header · synthetic", Style::new().fg(Color::Cyan));
    for y in 1..area.height.saturating_sub(1) {
        let item = first + usize::from(y) - 1;
        let name = if item % 3 == 0 {
            format!("上海贸易 {item}")
        } else {
            format!("customer {item}")
        };
        let style = if item == selected {
            Style::new().bg(Color::Blue).add_modifier(Modifier::BOLD)
        } else {
            Style::new()
        };
        let line = format!("{name:<30}{:>12}", item * 7);
        buf.set_stringn(0, y, &line, usize::from(area.width), style);
        if item % 4 == 1 && item != selected {
            buf.set_string(31, y, "late", Style::new().fg(Color::Red));
        }
    }
    buf.set_string(0, area.height - 1, "j down  k up", Style::new());
}

#[test]
fn synthetic_lists_scroll_by_any_amount_and_stay_exact() {
    let mut screen = Screen::new(60, 20);
    screen.draw(|f| synthetic(f, 0, 0));
    // Page rows are 1..=18: (first, selected) steps that scroll by 1, 2, 3 up and down,
    // jump a page, and move inside the page.
    let steps = [
        (0, 17),
        (1, 18),
        (2, 19),
        (5, 22),
        (4, 21),
        (4, 4),
        (3, 3),
        (0, 0),
        (18, 18),
        (36, 40),
        (35, 35),
    ];
    for (first, selected) in steps {
        screen.draw(|f| synthetic(f, first, selected));
    }
    let scrolled = screen.draw(|f| synthetic(f, 36, 36));
    let full_page = {
        let mut fresh = Screen::new(60, 20);
        fresh.draw(|f| synthetic(f, 36, 36))
    };
    assert!(
        scrolled * 3 < full_page,
        "a one-row scroll cost {scrolled} B, a full page {full_page} B"
    );
    screen.resize(50, 12);
    screen.draw(|f| synthetic(f, 36, 36));
    screen.draw(|f| synthetic(f, 37, 46));
    screen.terminal.clear().unwrap();
    screen.draw(|f| synthetic(f, 37, 46));
    screen.draw(|f| synthetic(f, 36, 36));
}

fn lines(frame: &mut Frame, lines: &[String]) {
    for (y, line) in lines.iter().enumerate() {
        frame
            .buffer_mut()
            .set_string(0, y as u16, line, Style::new());
    }
}

#[test]
fn a_wide_character_replaced_after_a_scroll_leaves_nothing_behind() {
    let row = |i: u8| format!("customer {}", char::from(b'a' + i).to_string().repeat(20));
    let mut rows: Vec<String> = (0..8).map(row).collect();
    let mut screen = Screen::new(30, 8);
    screen.draw(|f| lines(f, &rows));
    // The wide characters cover "u", "t", "m", "r" of "customer": the terminal no longer
    // shows them, whatever the cells under the characters held.
    rows[5] = "上海贸易 5".to_string();
    screen.draw(|f| lines(f, &rows));
    // The rows move up by one and the row that lands under the wide characters' old
    // place is a Latin one again with the same letters in those columns.
    rows.remove(0);
    rows.push(row(8));
    rows[4] = row(9);
    let bytes = screen.draw(|f| lines(f, &rows));
    let fresh = Screen::new(30, 8).draw(|f| lines(f, &rows));
    assert!(
        bytes * 2 < fresh,
        "scrolled: {bytes} B, full frame {fresh} B"
    );
}

fn demo(customers: usize) -> (TempDir, Book) {
    common::demo(customers, 42)
}

/// Presses `keys` and draws after each; returns the bytes of each frame.
fn press(screen: &mut Screen, app: &mut App, book: &mut Book, keys: &str) -> Vec<usize> {
    let keys = crm::tui::keymap::parse_keys(keys).unwrap();
    keys.into_iter()
        .map(|key| {
            app.handle_key(key, book);
            screen.draw_app(app)
        })
        .collect()
}

#[test]
fn book_moves_that_scroll_fit_the_budget_and_stay_exact() {
    let (_dir, mut book) = demo(150);
    for theme in [Theme::color(), Theme::mono()] {
        let mut app = new_app(&mut book, theme);
        let mut screen = Screen::new(120, 40);
        screen.draw_app(&mut app);
        // The list shows rows 3..=38: 35 moves reach its bottom row, the 36th scrolls.
        let in_page = press(&mut screen, &mut app, &mut book, &"j".repeat(35));
        let top = screen.row(3);
        let first = press(&mut screen, &mut app, &mut book, "j")[0];
        assert_ne!(screen.row(3), top, "the list did not scroll");
        assert!(
            first <= MOVE_BUDGET,
            "the first scrolling move wrote {first} B"
        );
        let scrolling = press(&mut screen, &mut app, &mut book, &"j".repeat(20));
        assert!(
            in_page.iter().chain(&scrolling).all(|&b| b <= MOVE_BUDGET),
            "in page {in_page:?}, scrolling {scrolling:?}"
        );
        // Back up to the top of the page, then past it: the list scrolls down.
        let up = press(&mut screen, &mut app, &mut book, &"k".repeat(60));
        assert!(up.iter().all(|&b| b <= MOVE_BUDGET), "up {up:?}");
        press(
            &mut screen,
            &mut app,
            &mut book,
            "<PgDn><PgDn>jjj<PgUp>kkkGkkkkg",
        );
        // A filter changes the whole list; clearing it brings it back.
        press(&mut screen, &mut app, &mut book, "sjjjjsxjjj");
        screen.resize(80, 24);
        press(&mut screen, &mut app, &mut book, &"j".repeat(30));
        screen.resize(120, 40);
        let after_resize = press(&mut screen, &mut app, &mut book, &"j".repeat(40));
        assert!(
            after_resize[1..].iter().all(|&b| b <= MOVE_BUDGET),
            "{after_resize:?}"
        );
    }
}

#[test]
fn other_lists_stay_exact_while_they_scroll() {
    let (_dir, mut book) = demo(150);
    let mut app = new_app(&mut book, Theme::color());
    let mut screen = Screen::new(120, 40);
    screen.draw_app(&mut app);
    // The agenda, the find palette's hits, a card and its column, the portfolio.
    press(&mut screen, &mut app, &mut book, "2");
    press(&mut screen, &mut app, &mut book, &"j".repeat(50));
    press(&mut screen, &mut app, &mut book, &"k".repeat(50));
    press(&mut screen, &mut app, &mut book, "/an");
    press(&mut screen, &mut app, &mut book, &"<Down>".repeat(30));
    press(&mut screen, &mut app, &mut book, &"<Up>".repeat(30));
    press(&mut screen, &mut app, &mut book, "<Esc>1<Enter>");
    press(&mut screen, &mut app, &mut book, &"j".repeat(30));
    press(&mut screen, &mut app, &mut book, &"k".repeat(30));
    press(&mut screen, &mut app, &mut book, "<Esc>3jjjjkkkk4jjjj");
}
