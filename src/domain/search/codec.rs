//! The index as one compact byte string that a process can search in place, so a
//! whole-process `crm find` neither rebuilds it from every profile nor copies it.
//!
//! Layout (little-endian): magic `CRMSIDX\0`, version u16, zero u16, slot count u32, then
//! blocks, each a u64 byte length, its content and zero bytes up to a multiple of 8, so
//! every block starts 8-byte aligned relative to the start of the payload: record text;
//! record ends (u64 each); masks (u64 each); pair masks (4 u64 each); anchor pairs (4 u64
//! each, see `keys::record_anchors`); ordered pairs (4 u64 each, `keys::record_order`);
//! id text and ends;
//! name text and ends; the posting directory (3 u64 per list, sorted by key: first char |
//! second char << 32; word length | whole id << 8 | entry count << 32; end of the list in
//! the next block); the posting lists as `postings::encode` writes them, back to back.
//! Only live slots are written.
//!
//! Reading checks the header, every block length and the directory, so truncated or
//! foreign bytes give `None`. The blocks are then used where they lie: records and
//! strings are checked when read (damaged ones read as empty), posting lists decoded only
//! when a search reads them. The payload carries no checksum of its own: the snapshot
//! file that holds it checks one over the whole payload, and checking another here would
//! read every page of a payload that a search mostly never touches.

use std::sync::Arc;

use zerocopy::IntoBytes;

use super::buf::{Aligned, Buf, Pod, SharedBytes};
use super::keys::PostingKey;
use super::postings::{encode, PostingList, Postings};
use super::{SearchIndex, Strings};

const MAGIC: &[u8; 8] = b"CRMSIDX\0";
/// 4: records hold pinyin readings (`keys::Kind::NameReading`); an older snapshot is
/// refused and rebuilt from the profiles, never searched without them.
const VERSION: u16 = 4;

impl SearchIndex {
    pub fn to_bytes(&self) -> Vec<u8> {
        let view = self.view();
        let mut new_slot = vec![u32::MAX; view.slots()];
        let mut text = Vec::new();
        let (mut ends, mut masks, mut pairs) = (Vec::new(), Vec::new(), Vec::new());
        let (mut anchors, mut order) = (Vec::new(), Vec::new());
        let (mut ids, mut names) = (Strings::default(), Strings::default());
        for slot in (0..view.slots()).filter(|&s| view.alive[s]) {
            new_slot[slot] = masks.len() as u32;
            text.extend_from_slice(view.record(slot).as_bytes());
            ends.push(text.len() as u64);
            masks.push(view.masks[slot]);
            pairs.push(view.pairs[slot]);
            anchors.push(view.anchors[slot]);
            order.push(view.order[slot]);
            ids.push(view.ids.get(slot));
            names.push(view.names.get(slot));
        }
        let mut lists: Vec<(PostingKey, (Vec<u8>, usize))> = self
            .postings
            .lists
            .iter()
            .map(|(key, list)| {
                let mut list = list.clone();
                list.settle();
                // Renumbering keeps slot order, so the list stays sorted.
                let live = list.cursor().filter_map(|(bound, s)| {
                    let s = new_slot.get(s as usize).copied()?;
                    (s != u32::MAX).then_some((bound, s))
                });
                (*key, encode(live))
            })
            .filter(|(_, (_, len))| *len > 0)
            .collect();
        // Map order is random; sorted lists make the bytes reproducible.
        lists.sort_by_key(|(key, _)| *key);
        let mut directory: Vec<u64> = Vec::with_capacity(lists.len() * 3);
        let mut data = Vec::new();
        for (key, (bytes, len)) in &lists {
            data.extend_from_slice(bytes);
            directory.push(u64::from(key.a) | u64::from(key.b) << 32);
            directory.push(u64::from(key.len) | u64::from(key.id) << 8 | (*len as u64) << 32);
            directory.push(data.len() as u64);
        }
        let mut out = Vec::with_capacity(text.len() + masks.len() * 144 + data.len() + 256);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&VERSION.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out.extend_from_slice(&(masks.len() as u32).to_le_bytes());
        put(&mut out, &text);
        put(&mut out, &ends);
        put(&mut out, &masks);
        put(&mut out, &pairs);
        put(&mut out, &anchors);
        put(&mut out, &order);
        put(&mut out, ids.buf.as_slice());
        put(&mut out, ids.ends.as_slice());
        put(&mut out, names.buf.as_slice());
        put(&mut out, names.ends.as_slice());
        put(&mut out, &directory);
        put(&mut out, &data);
        out
    }

    /// The index written by `to_bytes`, or `None` for anything else (another version,
    /// truncated or damaged bytes). Copies the bytes once; `from_shared` copies nothing.
    pub fn from_bytes(bytes: &[u8]) -> Option<SearchIndex> {
        SearchIndex::from_shared(Arc::new(Aligned::copy_of(bytes)), 0)
    }

    /// The index whose payload (as `to_bytes` writes it) is `bytes[start..]`, reading its
    /// blocks in place: `bytes` is kept alive by the index and must not change. A block
    /// not 8-byte aligned in memory (or any block on a big-endian machine) is copied
    /// instead. `None` for anything `from_bytes` refuses.
    pub fn from_shared(bytes: SharedBytes, start: usize) -> Option<SearchIndex> {
        let mut r = Reader {
            shared: &bytes,
            all: (*bytes).as_ref(),
            pos: start,
        };
        if r.take(8)? != MAGIC
            || u16::from_le_bytes(r.array()?) != VERSION
            || u16::from_le_bytes(r.array()?) != 0
        {
            return None;
        }
        let n = u32::from_le_bytes(r.array()?) as usize;
        let text = r.block::<u8>()?;
        let ends = r.exactly::<u64>(n)?;
        let masks = r.exactly::<u64>(n)?;
        let pairs = r.exactly::<[u64; 4]>(n)?;
        let anchors = r.exactly::<[u64; 4]>(n)?;
        let order = r.exactly::<[u64; 4]>(n)?;
        let ids = Strings {
            buf: r.block()?,
            ends: r.exactly(n)?,
        };
        let names = Strings {
            buf: r.block()?,
            ends: r.exactly(n)?,
        };
        let directory = r.block::<u64>()?;
        let (data_start, data_len) = r.span()?;
        if r.pos != r.all.len() {
            return None;
        }
        let mut postings = Postings::default();
        let mut at = 0;
        for entry in directory.as_slice().chunks(3) {
            let &[chars, shape, end] = entry else {
                return None;
            };
            let key = PostingKey {
                a: char::from_u32(chars as u32)?,
                b: char::from_u32((chars >> 32) as u32)?,
                len: shape as u8,
                id: match (shape >> 8) as u32 & 0xFF_FF_FF {
                    0 => false,
                    1 => true,
                    _ => return None,
                },
            };
            let len = (shape >> 32) as usize;
            let end = usize::try_from(end).ok()?;
            // Every entry takes at least one byte, so a count beyond that is damage.
            if end < at || end > data_len || len > end - at {
                return None;
            }
            let list = Buf::view(&bytes, data_start + at, data_start + end)?;
            if postings
                .lists
                .insert(key, PostingList::from_encoded(list, len))
                .is_some()
            {
                return None;
            }
            at = end;
        }
        if at != data_len {
            return None;
        }
        let mut index = SearchIndex::new();
        index.text = text;
        index.ends = ends;
        index.masks = masks;
        index.pairs = pairs;
        index.anchors = anchors;
        index.order = order;
        index.alive = vec![true; n];
        index.ids = ids;
        index.names = names;
        index.postings = postings;
        index.slot_of = None;
        index.live = n;
        Some(index)
    }
}

/// A block: its byte length, its values, zero bytes up to a multiple of 8.
fn put<T: Pod>(out: &mut Vec<u8>, values: &[T]) {
    let bytes = values.as_bytes();
    out.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
    if cfg!(target_endian = "little") {
        out.extend_from_slice(bytes);
    } else {
        for v in values {
            v.encode(out);
        }
    }
    out.resize(out.len() + padding(bytes.len()), 0);
}

fn padding(len: usize) -> usize {
    (8 - len % 8) % 8
}

struct Reader<'a> {
    shared: &'a SharedBytes,
    all: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, len: usize) -> Option<&'a [u8]> {
        let end = self.pos.checked_add(len)?;
        let slice = self.all.get(self.pos..end)?;
        self.pos = end;
        Some(slice)
    }

    fn array<const N: usize>(&mut self) -> Option<[u8; N]> {
        self.take(N)?.try_into().ok()
    }

    /// The next block's content as (start, byte length), past its zero padding.
    fn span(&mut self) -> Option<(usize, usize)> {
        let len = usize::try_from(u64::from_le_bytes(self.array()?)).ok()?;
        let start = self.pos;
        self.take(len)?;
        if self.take(padding(len))?.iter().any(|&b| b != 0) {
            return None;
        }
        Some((start, len))
    }

    fn block<T: Pod>(&mut self) -> Option<Buf<T>> {
        let (start, len) = self.span()?;
        Buf::view(self.shared, start, start + len)
    }

    /// A block of exactly `n` values.
    fn exactly<T: Pod>(&mut self, n: usize) -> Option<Buf<T>> {
        let (start, len) = self.span()?;
        if len != n.checked_mul(std::mem::size_of::<T>())? {
            return None;
        }
        Buf::view(self.shared, start, start + len)
    }
}
