//! The journal's byte layout: a file header and self-describing records.
//!
//! Framing 2 (written today):
//!
//! ```text
//! file header, 24 bytes: "CRMJRNL\0" | u16 framing (2) | u16 0 | u64 seq floor | u32 crc32 of the 20 before
//! record:                0xC7 "REC" | u32 payload length | u64 seq | u32 crc32 of payload
//!                        | u32 crc32 of the 20 header bytes before | payload
//! ```
//!
//! Every record names itself (magic, sequence, length, both checksummed), so a reader that
//! meets a damaged record can find the next good one and tell damage in the middle (good
//! records follow) from a torn tail (nothing good follows). The magic starts with 0xC7, a
//! UTF-8 lead byte that must be followed by a continuation byte, so it never occurs in
//! the text of a note. The seq floor is the highest sequence number used when the file was
//! written (0 but after a repair): the next record takes one above both it and the last
//! record, so the numbers of records a repair lost are never reused.
//!
//! Framing 1 (journals written before): records `[u32 LE length][u32 LE crc32][payload]`
//! from byte 0, the sequence only inside the payload. Still read; upgraded to framing 2 by
//! rewriting the file (temporary file, fsync, rename) before the first append.

pub(crate) const FILE_MAGIC: [u8; 8] = *b"CRMJRNL\0";
pub(crate) const FRAMING: u16 = 2;
pub(crate) const FILE_HEADER: u64 = 24;
pub(crate) const RECORD_MAGIC: [u8; 4] = [0xC7, b'R', b'E', b'C'];
pub(crate) const RECORD_HEADER: u64 = 24;
pub(crate) const V1_HEADER: u64 = 8;
/// The smallest payload ever written: a codec envelope is a 2-byte version and a body.
pub(crate) const MIN_PAYLOAD: u64 = 3;

/// Which layout a journal file has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Framing {
    /// No bytes at all: a new book.
    Empty,
    V1,
    V2,
}

impl Framing {
    /// Bytes before a record's payload.
    pub fn record_header(self) -> u64 {
        match self {
            Framing::V2 => RECORD_HEADER,
            _ => V1_HEADER,
        }
    }

    /// Where the first record starts.
    pub fn first_record(self) -> u64 {
        match self {
            Framing::V2 => FILE_HEADER,
            _ => 0,
        }
    }
}

/// What the first bytes of a journal say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Head {
    Empty,
    V1,
    /// A framing-2 header; `floor` is `None` when the header is torn or damaged.
    V2 {
        floor: Option<u64>,
    },
    /// A header written by a newer crm.
    Future(u16),
}

pub(crate) fn file_header(floor: u64) -> [u8; FILE_HEADER as usize] {
    let mut out = [0u8; FILE_HEADER as usize];
    out[..8].copy_from_slice(&FILE_MAGIC);
    out[8..10].copy_from_slice(&FRAMING.to_le_bytes());
    out[12..20].copy_from_slice(&floor.to_le_bytes());
    let crc = crc32fast::hash(&out[..20]);
    out[20..24].copy_from_slice(&crc.to_le_bytes());
    out
}

pub(crate) fn head(bytes: &[u8]) -> Head {
    if bytes.is_empty() {
        return Head::Empty;
    }
    let magic_len = bytes.len().min(FILE_MAGIC.len());
    if bytes[..magic_len] != FILE_MAGIC[..magic_len] {
        return Head::V1;
    }
    let Some(header) = bytes.get(..FILE_HEADER as usize) else {
        return Head::V2 { floor: None };
    };
    if crc32fast::hash(&header[..20]) != u32_at(header, 20) {
        return Head::V2 { floor: None };
    }
    let framing = u16::from_le_bytes([header[8], header[9]]);
    if framing > FRAMING {
        return Head::Future(framing);
    }
    if framing != FRAMING {
        return Head::V2 { floor: None };
    }
    Head::V2 {
        floor: Some(u64_at(header, 12)),
    }
}

/// One record in framing 2.
pub(crate) fn encode_record(seq: u64, payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(RECORD_HEADER as usize + payload.len());
    out.extend_from_slice(&RECORD_MAGIC);
    out.extend_from_slice(&(payload.len() as u32).to_le_bytes());
    out.extend_from_slice(&seq.to_le_bytes());
    out.extend_from_slice(&crc32fast::hash(payload).to_le_bytes());
    let crc = crc32fast::hash(&out[..20]);
    out.extend_from_slice(&crc.to_le_bytes());
    out.extend_from_slice(payload);
    out
}

/// What a record's header says, before its payload is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Header {
    pub payload_len: u64,
    /// `None` in framing 1, where only the payload names it.
    pub seq: Option<u64>,
    pub payload_crc: u32,
}

/// Parses the record header at the start of `bytes`; `Err` says why it is not one.
pub(crate) fn header(framing: Framing, bytes: &[u8]) -> Result<Header, &'static str> {
    match framing {
        Framing::V2 => {
            let Some(h) = bytes.get(..RECORD_HEADER as usize) else {
                return Err("record header cut short");
            };
            if h[..4] != RECORD_MAGIC {
                return Err("no record starts here");
            }
            if crc32fast::hash(&h[..20]) != u32_at(h, 20) {
                return Err("record header checksum mismatch");
            }
            Ok(Header {
                payload_len: u64::from(u32_at(h, 4)),
                seq: Some(u64_at(h, 8)),
                payload_crc: u32_at(h, 16),
            })
        }
        _ => {
            let Some(h) = bytes.get(..V1_HEADER as usize) else {
                return Err("record header cut short");
            };
            Ok(Header {
                payload_len: u64::from(u32_at(h, 0)),
                seq: None,
                payload_crc: u32_at(h, 4),
            })
        }
    }
}

pub(crate) fn u32_at(bytes: &[u8], at: usize) -> u32 {
    let mut word = [0u8; 4];
    word.copy_from_slice(&bytes[at..at + 4]);
    u32::from_le_bytes(word)
}

pub(crate) fn u64_at(bytes: &[u8], at: usize) -> u64 {
    let mut word = [0u8; 8];
    word.copy_from_slice(&bytes[at..at + 8]);
    u64::from_le_bytes(word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_round_trips_through_its_header() {
        let record = encode_record(42, b"\x02\x00abc");
        assert_eq!(record.len(), 24 + 5);
        assert_eq!(&record[..4], &[0xC7, b'R', b'E', b'C']);
        let parsed = header(Framing::V2, &record).unwrap();
        assert_eq!(parsed.payload_len, 5);
        assert_eq!(parsed.seq, Some(42));
        assert_eq!(parsed.payload_crc, crc32fast::hash(b"\x02\x00abc"));
    }

    #[test]
    fn a_flipped_header_bit_is_caught_by_the_header_checksum() {
        let record = encode_record(7, b"\x02\x00xyz");
        for bit in 0..20 * 8 {
            let mut bad = record.clone();
            bad[bit / 8] ^= 1 << (bit % 8);
            assert!(header(Framing::V2, &bad).is_err(), "bit {bit}");
        }
    }

    #[test]
    fn the_file_header_names_framing_and_floor() {
        assert_eq!(head(&file_header(9)), Head::V2 { floor: Some(9) });
        assert_eq!(head(&file_header(0)[..5]), Head::V2 { floor: None });
        assert_eq!(head(b""), Head::Empty);
        assert_eq!(head(&[5, 0, 0, 0, 1, 2, 3, 4, 2, 0, 1]), Head::V1);
        let mut future = file_header(0);
        future[8] = 3;
        let crc = crc32fast::hash(&future[..20]);
        future[20..24].copy_from_slice(&crc.to_le_bytes());
        assert_eq!(head(&future), Head::Future(3));
    }
}
