//! A sorted multiset with rank queries: what keeps a median or a cut-off of the book
//! current when one customer's value changes (issue 12). An insert or a removal touches one
//! block of at most `2 × BLOCK` values; the k-th value is found by walking the blocks'
//! lengths (a few thousand at a million values), so a change costs microseconds where a
//! selection over the whole book costs milliseconds.
//!
//! Floating-point figures are kept as `order_key`s: integers in the order of
//! `f64::total_cmp`, so the k-th value here is bit for bit the one a selection with
//! `total_cmp` picks (the engine's `stats::median` and cut-offs).

/// Values per block after a split; a block holds at most twice this many.
const BLOCK: usize = 512;

/// `x` as an integer ordered like `f64::total_cmp` orders the floats.
pub fn order_key(x: f64) -> u64 {
    let bits = x.to_bits();
    if bits >> 63 == 1 {
        !bits
    } else {
        bits | 1 << 63
    }
}

/// The float `order_key` was made from.
pub fn from_order_key(key: u64) -> f64 {
    if key >> 63 == 1 {
        f64::from_bits(key & !(1 << 63))
    } else {
        f64::from_bits(!key)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ranked<T> {
    /// Sorted, none empty, each block's values not above the next block's.
    blocks: Vec<Vec<T>>,
    len: usize,
}

impl<T: Ord + Copy> Default for Ranked<T> {
    fn default() -> Self {
        Ranked {
            blocks: Vec::new(),
            len: 0,
        }
    }
}

impl<T: Ord + Copy> Ranked<T> {
    /// The multiset of `values`, in any order.
    pub fn of(mut values: Vec<T>) -> Self {
        values.sort_unstable();
        let len = values.len();
        let blocks = values.chunks(BLOCK).map(<[T]>::to_vec).collect();
        Ranked { blocks, len }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The first block that can hold `x`: the first whose last value is not below it.
    fn block_for(&self, x: &T) -> usize {
        self.blocks
            .partition_point(|b| b.last().is_some_and(|last| last < x))
    }

    pub fn insert(&mut self, x: T) {
        self.len += 1;
        if self.blocks.is_empty() {
            self.blocks.push(vec![x]);
            return;
        }
        let b = self.block_for(&x).min(self.blocks.len() - 1);
        let block = &mut self.blocks[b];
        let at = block.partition_point(|v| *v <= x);
        block.insert(at, x);
        if block.len() > 2 * BLOCK {
            let upper = block.split_off(BLOCK);
            self.blocks.insert(b + 1, upper);
        }
    }

    /// Removes one `x`; `false` when there is none.
    pub fn remove(&mut self, x: &T) -> bool {
        let b = self.block_for(x);
        let Some(block) = self.blocks.get_mut(b) else {
            return false;
        };
        let Ok(at) = block.binary_search(x) else {
            return false;
        };
        block.remove(at);
        if block.is_empty() {
            self.blocks.remove(b);
        }
        self.len -= 1;
        true
    }

    /// The k-th smallest value, counted from 0.
    pub fn nth(&self, mut k: usize) -> Option<T> {
        for block in &self.blocks {
            if k < block.len() {
                return Some(block[k]);
            }
            k -= block.len();
        }
        None
    }

    /// The k-th largest value, counted from 1 (as the tier cut-offs count).
    pub fn kth_largest(&self, k: usize) -> Option<T> {
        if k == 0 || k > self.len {
            return None;
        }
        self.nth(self.len - k)
    }

    /// Every value, in order.
    pub fn iter(&self) -> impl Iterator<Item = &T> + '_ {
        self.blocks.iter().flatten()
    }

    /// How many values are below `x`: one binary search over the blocks' last values, the
    /// lengths of the blocks before, one binary search inside.
    pub fn count_below(&self, x: &T) -> usize {
        let b = self.block_for(x);
        let before: usize = self.blocks[..b].iter().map(Vec::len).sum();
        before
            + self
                .blocks
                .get(b)
                .map_or(0, |block| block.partition_point(|v| v < x))
    }

    /// How many values are from `lo` to `hi`, both included.
    pub fn count_between(&self, lo: &T, hi: &T) -> usize {
        if hi < lo {
            return 0;
        }
        let through_hi = self.len - self.count_above(hi);
        through_hi - self.count_below(lo)
    }

    /// How many values are above `x`.
    fn count_above(&self, x: &T) -> usize {
        // The first block holding a value above `x`: every block after it is above too.
        let b = self
            .blocks
            .partition_point(|block| block.last().is_some_and(|last| last <= x));
        let after: usize = self.blocks[b.min(self.blocks.len())..]
            .iter()
            .map(Vec::len)
            .sum();
        let inside = self
            .blocks
            .get(b)
            .map_or(0, |block| block.partition_point(|v| v <= x));
        after - inside
    }

    /// The values from `lo` to `hi`, both included, in order.
    pub fn between<'a>(&'a self, lo: T, hi: T) -> impl Iterator<Item = &'a T> + 'a {
        let first = self.block_for(&lo);
        self.blocks[first.min(self.blocks.len())..]
            .iter()
            .flatten()
            .skip_while(move |v| **v < lo)
            .take_while(move |v| **v <= hi)
    }

    /// Every value through `f`, which must keep their order (a shift of positions).
    pub fn map_in_place(&mut self, f: impl Fn(T) -> T) {
        for v in self.blocks.iter_mut().flatten() {
            *v = f(*v);
        }
    }
}

/// The median of the floats keyed in `ranked`, computed as `stats::median` computes it
/// (the mean of the two middle values of an even count); 0 when empty.
pub fn median_of(ranked: &Ranked<u64>) -> f64 {
    let n = ranked.len();
    let at = |k| ranked.nth(k).map_or(0.0, from_order_key);
    if n == 0 {
        0.0
    } else if n % 2 == 1 {
        at(n / 2)
    } else {
        (at(n / 2 - 1) + at(n / 2)) / 2.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn order_keys_sort_like_total_cmp_and_come_back_bit_for_bit() {
        let mut xs = [
            3.5,
            -0.0,
            0.0,
            -7.25,
            f64::INFINITY,
            f64::NEG_INFINITY,
            1e-300,
        ];
        let mut keys: Vec<u64> = xs.iter().map(|x| order_key(*x)).collect();
        xs.sort_by(f64::total_cmp);
        keys.sort_unstable();
        let back: Vec<u64> = keys.iter().map(|k| from_order_key(*k).to_bits()).collect();
        let want: Vec<u64> = xs.iter().map(|x| x.to_bits()).collect();
        assert_eq!(back, want);
    }

    #[test]
    fn the_median_of_an_even_count_is_the_mean_of_the_middle_two() {
        let ranked = Ranked::of([4.0, 1.0, 10.0, 2.0].map(order_key).to_vec());
        assert_eq!(median_of(&ranked), 3.0);
        assert_eq!(median_of(&Ranked::default()), 0.0);
        assert_eq!(ranked.kth_largest(1).map(from_order_key), Some(10.0));
        assert_eq!(ranked.kth_largest(4).map(from_order_key), Some(1.0));
        assert_eq!(ranked.kth_largest(5), None);
        assert_eq!(ranked.kth_largest(0), None);
    }

    proptest! {
        /// After any inserts and removals (enough to split and empty blocks) the multiset
        /// holds what a sorted vector holds: every rank and every range.
        #[test]
        fn ranks_and_ranges_equal_a_sorted_vector(
            start in proptest::collection::vec(0u16..400, 0..1500),
            ops in proptest::collection::vec((any::<bool>(), 0u16..400), 0..3000),
            lo in 0u16..400, width in 0u16..100,
        ) {
            let mut ranked = Ranked::of(start.clone());
            let mut sorted = start;
            sorted.sort_unstable();
            for (insert, x) in ops {
                if insert {
                    ranked.insert(x);
                    let at = sorted.partition_point(|v| *v <= x);
                    sorted.insert(at, x);
                } else {
                    let had = sorted.binary_search(&x).map(|at| sorted.remove(at)).is_ok();
                    prop_assert_eq!(ranked.remove(&x), had);
                }
            }
            prop_assert_eq!(ranked.len(), sorted.len());
            for (k, want) in sorted.iter().enumerate() {
                prop_assert_eq!(ranked.nth(k), Some(*want));
            }
            prop_assert_eq!(ranked.nth(sorted.len()), None);
            let hi = lo.saturating_add(width);
            let got: Vec<u16> = ranked.between(lo, hi).copied().collect();
            let want: Vec<u16> = sorted.iter().copied().filter(|v| (lo..=hi).contains(v)).collect();
            prop_assert_eq!(ranked.count_between(&lo, &hi), want.len());
            prop_assert_eq!(ranked.count_between(&hi, &lo), usize::from(lo == hi) * want.len());
            prop_assert_eq!(got, want);
            prop_assert_eq!(ranked.count_below(&lo), sorted.partition_point(|v| *v < lo));
            prop_assert!(ranked.iter().eq(sorted.iter()));
        }
    }
}
