//! Finds the band of screen rows that moved up or down between two frames, so the terminal
//! can scroll that band itself instead of being sent every cell again. A list that scrolls
//! by one row changes every row of it; the terminal can shift them in a dozen bytes.
//!
//! The search never decides what is drawn, only where a scroll may save bytes: the caller
//! applies the scroll to its copy of the screen and then sends whatever still differs.

use std::hash::{Hash, Hasher};
use std::io::{self, Write};
use std::ops::Range;

use ratatui::buffer::{Buffer, Cell};

/// The estimated saving, in cells, a scroll must reach: its escape sequences cost about
/// 20 bytes and a cell costs at least one.
const MIN_GAIN: usize = 32;

/// How many of the most voted shifts are weighed exactly.
const CANDIDATES: usize = 2;

/// Rows `rows` (full width) move by `shift`: positive moves the content up (new row `y`
/// shows old row `y + shift`), negative moves it down. Rows scrolled in are blank.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scroll {
    pub rows: Range<u16>,
    pub shift: i16,
}

impl Scroll {
    /// Writes the scroll: a scroll region (DECSTBM), delete or insert lines at its top
    /// (DL/IL, which every VT102-compatible terminal honours inside the region), then the
    /// region reset. Attributes are reset first because the blank lines take the current
    /// background colour. The cursor ends at the home position.
    pub fn write_to(&self, out: &mut impl Write) -> io::Result<()> {
        let top = self.rows.start + 1;
        let bottom = self.rows.end;
        let count = self.shift.unsigned_abs();
        let op = if self.shift > 0 { 'M' } else { 'L' };
        write!(
            out,
            "\x1b[m\x1b[{top};{bottom}r\x1b[{top}H\x1b[{count}{op}\x1b[r"
        )
    }

    /// Shifts `screen` the way the terminal shifts its rows.
    pub fn apply(&self, screen: &mut Buffer) {
        let width = usize::from(screen.area.width);
        let height = usize::from(screen.area.height);
        let start = usize::from(self.rows.start).min(height) * width;
        let end = usize::from(self.rows.end).min(height) * width;
        let moved = usize::from(self.shift.unsigned_abs()) * width;
        let band = &mut screen.content[start..end];
        if moved >= band.len() {
            band.fill(Cell::EMPTY);
        } else if self.shift > 0 {
            band.rotate_left(moved);
            let blank = band.len() - moved;
            band[blank..].fill(Cell::EMPTY);
        } else {
            band.rotate_right(moved);
            band[..moved].fill(Cell::EMPTY);
        }
    }
}

/// A cheap hash of one row; equal rows hash equal. Rows of equal hash are taken as equal
/// when weighing scrolls: a collision can only make a poorer choice, never a wrong screen,
/// since what is sent after a scroll is diffed cell by cell.
pub fn row_hash(row: &[Cell]) -> u64 {
    let mut hasher = FxHasher(0);
    row.hash(&mut hasher);
    hasher.finish()
}

/// The hash of every row of `screen`.
pub fn row_hashes(screen: &Buffer) -> Vec<u64> {
    rows(screen).map(row_hash).collect()
}

/// The scroll that saves the most cells when the terminal shows `old` and must show `new`
/// (same area), given both screens' row hashes, or `None` if no scroll is worth its bytes.
pub fn find(old: &Buffer, old_hashes: &[u64], new: &Buffer, new_hashes: &[u64]) -> Option<Scroll> {
    let height = usize::from(new.area.height);
    if old.area != new.area || height < 2 {
        return None;
    }
    if old_hashes.len() != height || new_hashes.len() != height {
        return None;
    }
    let old_rows: Vec<&[Cell]> = rows(old).collect();
    let new_rows: Vec<&[Cell]> = rows(new).collect();
    let stay: Vec<usize> = (0..height)
        .map(|y| {
            if old_hashes[y] == new_hashes[y] {
                0
            } else {
                differing(new_rows[y], old_rows[y])
            }
        })
        .collect();
    if stay.iter().sum::<usize>() < MIN_GAIN {
        return None;
    }
    let blank_hash = row_hash(&vec![Cell::EMPTY; usize::from(new.area.width)]);
    let blank: Vec<usize> = new_rows
        .iter()
        .zip(new_hashes)
        .map(|(row, &hash)| {
            if hash == blank_hash {
                0
            } else {
                row.iter().filter(|cell| **cell != Cell::EMPTY).count()
            }
        })
        .collect();

    let mut best: Option<(usize, Scroll)> = None;
    for shift in voted_shifts(old_hashes, new_hashes, &stay, blank_hash) {
        let moved: Vec<usize> = (0..height)
            .map(|y| match y.checked_add_signed(shift) {
                Some(from) if from < height => {
                    if new_hashes[y] == old_hashes[from] {
                        0
                    } else {
                        differing(new_rows[y], old_rows[from])
                    }
                }
                // Never read: such a row is scrolled in, and costs `blank`.
                _ => 0,
            })
            .collect();
        let Some((gain, rows)) = best_band(shift, &stay, &moved, &blank) else {
            continue;
        };
        let (Ok(start), Ok(end), Ok(shift)) = (
            u16::try_from(rows.start),
            u16::try_from(rows.end),
            i16::try_from(shift),
        ) else {
            continue;
        };
        if gain >= MIN_GAIN && best.as_ref().is_none_or(|(g, _)| gain > *g) {
            best = Some((
                gain,
                Scroll {
                    rows: start..end,
                    shift,
                },
            ));
        }
    }
    best.map(|(_, scroll)| scroll)
}

/// Shifts that carry at least one changed, non-blank row to a place where it already is
/// on screen, most voted first (the smaller shift on a tie).
fn voted_shifts(old: &[u64], new: &[u64], stay: &[usize], blank: u64) -> Vec<isize> {
    let height = new.len();
    let mut votes = vec![0usize; 2 * height];
    for y in 0..height {
        if stay[y] == 0 || new[y] == blank {
            continue;
        }
        for (from, &hash) in old.iter().enumerate() {
            if from != y && hash == new[y] {
                votes[from + height - y] += 1;
            }
        }
    }
    let mut shifts: Vec<(usize, isize)> = votes
        .iter()
        .enumerate()
        .filter(|(_, &v)| v > 0)
        .map(|(i, &v)| (v, i as isize - height as isize))
        .collect();
    shifts.sort_by_key(|&(v, shift)| (std::cmp::Reverse(v), shift.unsigned_abs()));
    shifts
        .into_iter()
        .take(CANDIDATES)
        .map(|(_, s)| s)
        .collect()
}

/// The band of rows where scrolling by `shift` saves the most cells, and that saving.
/// `stay[y]` is the cost of row `y` without a scroll, `moved[y]` with the band scrolled,
/// `blank[y]` if the row is scrolled in blank.
fn best_band(
    shift: isize,
    stay: &[usize],
    moved: &[usize],
    blank: &[usize],
) -> Option<(usize, Range<usize>)> {
    let height = stay.len();
    let count = shift.unsigned_abs();
    if count == 0 || count >= height {
        return None;
    }
    let prefix = |costs: &[usize]| -> Vec<usize> {
        let mut sums = Vec::with_capacity(costs.len() + 1);
        sums.push(0);
        for (i, c) in costs.iter().enumerate() {
            sums.push(sums[i] + c);
        }
        sums
    };
    let (stay, moved, blank) = (prefix(stay), prefix(moved), prefix(blank));
    let sum = |sums: &[usize], r: Range<usize>| sums[r.end] - sums[r.start];
    let mut best: Option<(usize, Range<usize>)> = None;
    for start in 0..height {
        // A band must keep at least one row of its old content.
        for end in start + count + 1..=height {
            let before = sum(&stay, start..end);
            let after = if shift > 0 {
                sum(&moved, start..end - count) + sum(&blank, end - count..end)
            } else {
                sum(&blank, start..start + count) + sum(&moved, start + count..end)
            };
            if before > after && best.as_ref().is_none_or(|(g, _)| before - after > *g) {
                best = Some((before - after, start..end));
            }
        }
    }
    best
}

fn rows(screen: &Buffer) -> impl Iterator<Item = &[Cell]> {
    screen.content.chunks(usize::from(screen.area.width).max(1))
}

fn differing(a: &[Cell], b: &[Cell]) -> usize {
    a.iter().zip(b).filter(|(x, y)| x != y).count()
}

/// Firefox's hash (as in rustc): a multiply and a rotate per word, plenty for row identity.
struct FxHasher(u64);

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(word));
        }
    }

    fn write_u64(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::layout::Rect;

    fn screen(lines: &[&str]) -> Buffer {
        Buffer::with_lines(lines.iter().copied())
    }

    fn find_in(old: &Buffer, new: &Buffer) -> Option<Scroll> {
        find(old, &row_hashes(old), new, &row_hashes(new))
    }

    /// A header, `rows` list lines starting at item `first`, a footer.
    fn list(first: usize, rows: usize) -> Buffer {
        let mut lines = vec![format!("{:<40}", "header")];
        for i in first..first + rows {
            // Neighbours differ in every cell, as list lines of different customers do.
            let letter = char::from(b'a' + (i % 26) as u8);
            lines.push(format!("{i:>3} {}", letter.to_string().repeat(36)));
        }
        lines.push(format!("{:<40}", "footer"));
        Buffer::with_lines(lines)
    }

    #[test]
    fn a_list_scrolled_by_one_is_found_as_its_band() {
        let old = list(0, 10);
        let new = list(1, 10);
        assert_eq!(
            find_in(&old, &new),
            Some(Scroll {
                rows: 1..11,
                shift: 1
            })
        );
        assert_eq!(
            find_in(&new, &old),
            Some(Scroll {
                rows: 1..11,
                shift: -1
            })
        );
    }

    #[test]
    fn applying_the_found_scroll_leaves_only_the_new_rows_to_send() {
        for (from, to) in [(0, 1), (1, 0), (0, 3), (5, 2)] {
            let mut old = list(from, 10);
            let new = list(to, 10);
            let scroll = find_in(&old, &new).expect("a scroll");
            scroll.apply(&mut old);
            let changed: std::collections::BTreeSet<u16> =
                old.diff(&new).iter().map(|&(_, y, _)| y).collect();
            let expected = from.abs_diff(to);
            assert_eq!(changed.len(), expected, "{from}->{to}: rows {changed:?}");
        }
    }

    #[test]
    fn no_scroll_when_nothing_moved_or_everything_changed() {
        let old = list(0, 10);
        assert_eq!(find_in(&old, &old), None);
        let mut new = old.clone();
        new.set_string(0, 3, "x", ratatui::style::Style::new());
        assert_eq!(find_in(&old, &new), None);
        assert_eq!(find_in(&old, &list(50, 10)), None);
    }

    #[test]
    fn a_band_shifted_under_a_changing_other_half_is_not_scrolled() {
        // The left half scrolls, the right half stays: scrolling full rows would break
        // the right half, which costs as much as it saves.
        let letter = |n: usize| char::from(b'a' + n as u8).to_string().repeat(20);
        let row = |y: usize, item: usize| format!("{}|{}", letter(item), letter(y).to_uppercase());
        let old = Buffer::with_lines((0..8).map(|y| row(y, y)));
        let new = Buffer::with_lines((0..8).map(|y| row(y, y + 1)));
        assert_eq!(find_in(&old, &new), None);
    }

    #[test]
    fn apply_blanks_the_rows_scrolled_in() {
        let mut up = screen(&["aa", "bb", "cc", "dd"]);
        Scroll {
            rows: 1..4,
            shift: 1,
        }
        .apply(&mut up);
        assert_eq!(up, screen(&["aa", "cc", "dd", "  "]));
        let mut down = screen(&["aa", "bb", "cc", "dd"]);
        Scroll {
            rows: 0..3,
            shift: -2,
        }
        .apply(&mut down);
        assert_eq!(down, screen(&["  ", "  ", "aa", "dd"]));
        let mut all = Buffer::filled(Rect::new(0, 0, 2, 2), Cell::new("x"));
        Scroll {
            rows: 0..2,
            shift: 5,
        }
        .apply(&mut all);
        assert_eq!(all, Buffer::empty(Rect::new(0, 0, 2, 2)));
    }

    #[test]
    fn the_sequence_sets_the_region_moves_lines_and_resets() {
        let mut out = Vec::new();
        Scroll {
            rows: 3..39,
            shift: 1,
        }
        .write_to(&mut out)
        .unwrap();
        assert_eq!(out, b"\x1b[m\x1b[4;39r\x1b[4H\x1b[1M\x1b[r");
        out.clear();
        Scroll {
            rows: 0..2,
            shift: -2,
        }
        .write_to(&mut out)
        .unwrap();
        assert_eq!(out, b"\x1b[m\x1b[1;2r\x1b[1H\x1b[2L\x1b[r");
    }
}
