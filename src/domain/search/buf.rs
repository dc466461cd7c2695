//! A block of the index that is either owned or read in place from shared bytes (a
//! memory-mapped snapshot), so loading an index costs no copy of its big blocks.

use std::fmt;
use std::sync::Arc;

use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout};

/// Bytes an index may borrow its blocks from; they never change while shared.
pub type SharedBytes = Arc<dyn AsRef<[u8]> + Send + Sync>;

/// Plain little-endian values a block can hold.
pub(crate) trait Pod: FromBytes + IntoBytes + Immutable + KnownLayout + Copy {
    /// Decodes little-endian bytes (a whole number of values), for bytes that cannot be
    /// used in place: misaligned, or on a big-endian machine.
    fn decode(bytes: &[u8]) -> Vec<Self>;

    /// Appends the value's little-endian bytes.
    fn encode(&self, out: &mut Vec<u8>);
}

impl Pod for u8 {
    fn decode(bytes: &[u8]) -> Vec<u8> {
        bytes.to_vec()
    }

    fn encode(&self, out: &mut Vec<u8>) {
        out.push(*self);
    }
}

impl Pod for u64 {
    fn decode(bytes: &[u8]) -> Vec<u64> {
        bytes
            .chunks_exact(8)
            .map(|b| {
                let mut a = [0u8; 8];
                a.copy_from_slice(b);
                u64::from_le_bytes(a)
            })
            .collect()
    }

    fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.to_le_bytes());
    }
}

impl Pod for [u64; 4] {
    fn decode(bytes: &[u8]) -> Vec<[u64; 4]> {
        u64::decode(bytes)
            .chunks_exact(4)
            .map(|p| [p[0], p[1], p[2], p[3]])
            .collect()
    }

    fn encode(&self, out: &mut Vec<u8>) {
        for v in self {
            v.encode(out);
        }
    }
}

pub(crate) struct Buf<T: Pod> {
    /// The values when not shared (empty while shared).
    owned: Vec<T>,
    shared: Option<Span>,
}

/// `bytes[start..end]`, which was castable to `[T]` when the view was made.
#[derive(Clone)]
struct Span {
    bytes: SharedBytes,
    start: usize,
    end: usize,
}

impl<T: Pod> Buf<T> {
    /// The values in `bytes[start..end]`, in place when they are aligned and the machine
    /// is little-endian, else decoded into an owned copy; `None` when the range is outside
    /// the bytes or not a whole number of values.
    pub(crate) fn view(bytes: &SharedBytes, start: usize, end: usize) -> Option<Buf<T>> {
        let raw = (**bytes).as_ref().get(start..end)?;
        if raw.len() % std::mem::size_of::<T>() != 0 {
            return None;
        }
        if cfg!(target_endian = "little") && <[T]>::ref_from_bytes(raw).is_ok() {
            Some(Buf {
                owned: Vec::new(),
                shared: Some(Span {
                    bytes: Arc::clone(bytes),
                    start,
                    end,
                }),
            })
        } else {
            Some(Buf::from(T::decode(raw)))
        }
    }

    pub(crate) fn as_slice(&self) -> &[T] {
        match &self.shared {
            None => &self.owned,
            // Checked when the view was made; bytes that changed since read as empty.
            Some(span) => (*span.bytes)
                .as_ref()
                .get(span.start..span.end)
                .and_then(|raw| <[T]>::ref_from_bytes(raw).ok())
                .unwrap_or(&[]),
        }
    }

    /// The values to change, copied out of the shared bytes the first time.
    pub(crate) fn to_mut(&mut self) -> &mut Vec<T> {
        if self.shared.is_some() {
            self.owned = self.as_slice().to_vec();
            self.shared = None;
        }
        &mut self.owned
    }

    pub(crate) fn is_shared(&self) -> bool {
        self.shared.is_some()
    }
}

impl<T: Pod> From<Vec<T>> for Buf<T> {
    fn from(owned: Vec<T>) -> Self {
        Buf {
            owned,
            shared: None,
        }
    }
}

impl<T: Pod> Default for Buf<T> {
    fn default() -> Self {
        Buf::from(Vec::new())
    }
}

impl<T: Pod> Clone for Buf<T> {
    fn clone(&self) -> Self {
        Buf {
            owned: self.owned.clone(),
            shared: self.shared.clone(),
        }
    }
}

impl<T: Pod> fmt::Debug for Buf<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let how = if self.is_shared() { "shared" } else { "owned" };
        write!(f, "Buf({how}, {} values)", self.as_slice().len())
    }
}

/// A copy of bytes at an 8-byte-aligned address, for a payload given as a plain slice.
pub(crate) struct Aligned {
    words: Vec<u64>,
    len: usize,
}

impl Aligned {
    pub(crate) fn copy_of(bytes: &[u8]) -> Aligned {
        let mut words = vec![0u64; bytes.len().div_ceil(8)];
        words.as_mut_bytes()[..bytes.len()].copy_from_slice(bytes);
        Aligned {
            words,
            len: bytes.len(),
        }
    }
}

impl AsRef<[u8]> for Aligned {
    fn as_ref(&self) -> &[u8] {
        &self.words.as_bytes()[..self.len]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shared(bytes: Vec<u8>) -> SharedBytes {
        Arc::new(Aligned::copy_of(&bytes))
    }

    #[test]
    fn aligned_blocks_are_read_in_place_and_others_copied() {
        let mut raw = vec![0xAAu8];
        raw.extend_from_slice(&[0u8; 7]);
        raw.extend_from_slice(&7u64.to_le_bytes());
        raw.extend_from_slice(&9u64.to_le_bytes());
        let bytes = shared(raw);
        let aligned: Buf<u64> = Buf::view(&bytes, 8, 24).unwrap();
        assert_eq!(aligned.as_slice(), [7, 9]);
        assert_eq!(aligned.is_shared(), cfg!(target_endian = "little"));
        // Starting at byte 1 the values are misaligned: decoded into a copy instead.
        let misaligned: Buf<u64> = Buf::view(&bytes, 1, 9).unwrap();
        assert!(!misaligned.is_shared());
        assert_eq!(misaligned.as_slice(), [7u64 << 56]);
        assert!(Buf::<u64>::view(&bytes, 8, 23).is_none());
        assert!(Buf::<u64>::view(&bytes, 8, 32).is_none());
    }

    #[test]
    fn a_shared_block_is_copied_on_the_first_change() {
        let bytes = shared([3u64, 4].iter().flat_map(|v| v.to_le_bytes()).collect());
        let mut buf: Buf<u64> = Buf::view(&bytes, 0, 16).unwrap();
        let copy = buf.clone();
        buf.to_mut().push(5);
        assert!(!buf.is_shared());
        assert_eq!(buf.as_slice(), [3, 4, 5]);
        assert_eq!(copy.as_slice(), [3, 4]);
    }
}
