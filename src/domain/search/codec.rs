//! The index as one compact byte string, read back in one sequential pass, so a
//! whole-process `crm find` need not rebuild it from every profile.
//!
//! Layout (little-endian): magic `CRMSIDX\0`, version u16, slot count u32, then blocks,
//! each a u64 byte length or count and its content: record text; record ends (u64 each);
//! masks (u64 each); pair masks (4 u64 each); id text and ends; name text and ends; the
//! posting lists (count, then per list: first char u32, second char u32 or 0, word length
//! u8, whole id u8, entry count u32, byte length u32 and the list as `postings::encode`
//! writes it); last, a CRC-32 of everything before it. Only live slots are written.
//! Reading checks the checksum and every length and offset, so damaged bytes give `None`;
//! posting lists are kept as they are and decoded only when a search reads them.

use super::keys::{Kind, PostingKey};
use super::postings::{encode, PostingList, Postings};
use super::{SearchIndex, Strings};

const MAGIC: &[u8; 8] = b"CRMSIDX\0";
const VERSION: u16 = 2;

impl SearchIndex {
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut new_slot = vec![u32::MAX; self.slots()];
        let mut text = String::new();
        let (mut ends, mut masks, mut pairs) = (Vec::new(), Vec::new(), Vec::new());
        let (mut ids, mut names) = (Strings::default(), Strings::default());
        for slot in (0..self.slots()).filter(|&s| self.alive[s]) {
            new_slot[slot] = masks.len() as u32;
            text.push_str(self.record(slot));
            ends.push(text.len() as u64);
            masks.push(self.masks[slot]);
            pairs.extend_from_slice(&self.pairs[slot]);
            ids.push(self.ids.get(slot));
            names.push(self.names.get(slot));
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
        let mut out = Vec::with_capacity(text.len() + masks.len() * 24 + 64);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&VERSION.to_le_bytes());
        out.extend_from_slice(&(masks.len() as u32).to_le_bytes());
        put_bytes(&mut out, text.as_bytes());
        put_u64s(&mut out, &ends);
        put_u64s(&mut out, &masks);
        put_u64s(&mut out, &pairs);
        put_strings(&mut out, &ids);
        put_strings(&mut out, &names);
        out.extend_from_slice(&(lists.len() as u64).to_le_bytes());
        for (key, (bytes, len)) in &lists {
            out.extend_from_slice(&(key.a as u32).to_le_bytes());
            out.extend_from_slice(&(key.b as u32).to_le_bytes());
            out.push(key.len);
            out.push(u8::from(key.id));
            out.extend_from_slice(&(*len as u32).to_le_bytes());
            out.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
            out.extend_from_slice(bytes);
        }
        let crc = crc32fast::hash(&out);
        out.extend_from_slice(&crc.to_le_bytes());
        out
    }

    /// The index written by `to_bytes`, or `None` for anything else (another version,
    /// truncated or damaged bytes).
    pub fn from_bytes(bytes: &[u8]) -> Option<SearchIndex> {
        let (bytes, crc) = bytes.split_last_chunk::<4>()?;
        if crc32fast::hash(bytes) != u32::from_le_bytes(*crc) {
            return None;
        }
        let mut r = Reader { bytes, pos: 0 };
        if r.take(8)? != MAGIC || u16::from_le_bytes(r.array()?) != VERSION {
            return None;
        }
        let n = u32::from_le_bytes(r.array()?) as usize;
        let text = std::str::from_utf8(r.block(1)?).ok()?.to_string();
        let ends = r.u64s(n)?;
        let mut starts = Vec::with_capacity(n + 1);
        starts.push(0);
        for &end in &ends {
            let end = usize::try_from(end).ok()?;
            let start = *starts.last()?;
            if end < start || end > text.len() {
                return None;
            }
            // A record is empty or opens with a field separator, so field slicing holds.
            if end > start && Kind::from_byte(text.as_bytes()[start]).is_none() {
                return None;
            }
            starts.push(end);
        }
        if *starts.last()? != text.len() {
            return None;
        }
        let masks = r.u64s(n)?;
        let pairs = r
            .u64s(n.checked_mul(4)?)?
            .chunks_exact(4)
            .map(|p| [p[0], p[1], p[2], p[3]])
            .collect();
        let ids = r.strings(n)?;
        let names = r.strings(n)?;
        let lists = usize::try_from(u64::from_le_bytes(r.array()?)).ok()?;
        let mut postings = Postings::default();
        for _ in 0..lists {
            let a = char::from_u32(u32::from_le_bytes(r.array()?))?;
            let b = char::from_u32(u32::from_le_bytes(r.array()?))?;
            let [len_byte, id] = r.array::<2>()?;
            let id = match id {
                0 => false,
                1 => true,
                _ => return None,
            };
            let len = u32::from_le_bytes(r.array()?) as usize;
            let size = u32::from_le_bytes(r.array()?) as usize;
            // Every entry takes at least one byte, so a count beyond that is damage.
            if len > size {
                return None;
            }
            let list = PostingList::from_encoded(r.take(size)?.to_vec(), len);
            let key = PostingKey {
                a,
                b,
                len: len_byte,
                id,
            };
            if postings.lists.insert(key, list).is_some() {
                return None;
            }
        }
        if r.pos != bytes.len() {
            return None;
        }
        let mut index = SearchIndex::new();
        index.text = text;
        index.starts = starts;
        index.masks = masks;
        index.pairs = pairs;
        index.alive = vec![true; n];
        index.ids = ids;
        index.names = names;
        index.postings = postings;
        index.slot_of = None;
        index.live = n;
        Some(index)
    }
}

fn put_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
    out.extend_from_slice(bytes);
}

fn put_u64s(out: &mut Vec<u8>, values: &[u64]) {
    out.extend_from_slice(&(values.len() as u64).to_le_bytes());
    for v in values {
        out.extend_from_slice(&v.to_le_bytes());
    }
}

fn put_strings(out: &mut Vec<u8>, strings: &Strings) {
    put_bytes(out, strings.buf.as_bytes());
    let ends: Vec<u64> = strings.ends.iter().map(|&e| e as u64).collect();
    put_u64s(out, &ends);
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, len: usize) -> Option<&'a [u8]> {
        let end = self.pos.checked_add(len)?;
        let slice = self.bytes.get(self.pos..end)?;
        self.pos = end;
        Some(slice)
    }

    fn array<const N: usize>(&mut self) -> Option<[u8; N]> {
        self.take(N)?.try_into().ok()
    }

    /// A length-prefixed block of `len * width` bytes.
    fn block(&mut self, width: usize) -> Option<&'a [u8]> {
        let len = usize::try_from(u64::from_le_bytes(self.array()?)).ok()?;
        self.take(len.checked_mul(width)?)
    }

    /// Exactly `n` u64 values.
    fn u64s(&mut self, n: usize) -> Option<Vec<u64>> {
        let raw = self.block(8)?;
        (raw.len() == n.checked_mul(8)?).then(|| {
            raw.chunks_exact(8)
                .map(|b| u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]))
                .collect()
        })
    }

    /// `n` strings: one text block and the end of each string in it.
    fn strings(&mut self, n: usize) -> Option<Strings> {
        let buf = std::str::from_utf8(self.block(1)?).ok()?.to_string();
        let mut ends = Vec::with_capacity(n.min(buf.len() + 1));
        let mut last = 0;
        for end in self.u64s(n)? {
            let end = usize::try_from(end).ok()?;
            if end < last || !buf.is_char_boundary(end) {
                return None;
            }
            ends.push(end);
            last = end;
        }
        Some(Strings { buf, ends })
    }
}
