//! The sync protocol's frames (docs/sync.md): `[u32 LE length][u8 kind][payload]`, the
//! length counting kind and payload. An event travels as its stored encoding (the store
//! codec, format-versioned), so the bytes on the wire are the events' encoded size plus
//! five bytes each.

use std::io::{self, BufRead, Read, Write};

use serde::{Deserialize, Serialize};

use crate::store::codec;
use crate::store::envelope::{BookId, EventId, VersionVector};
use crate::store::Event;

/// The protocol version this crm speaks; a peer with another is refused by name.
pub const PROTOCOL: u16 = 1;

/// The largest frame accepted: an import event can be hundreds of megabytes.
const MAX_FRAME: u32 = 1 << 31;

/// What the two ends say first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hello {
    pub protocol: u16,
    pub book: BookId,
    /// What this end holds.
    pub known: VersionVector,
}

/// An event refused by the receiver, and why (in the receiver's words).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refusal {
    pub id: EventId,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Frame {
    Hello(Hello),
    /// How many events this end is about to send (for the peer's progress).
    Plan(u64),
    Event(Box<Event>),
    /// The first N events the peer sent are durable here (applied, known, or refused).
    Ack(u64),
    Refused(Refusal),
    /// Every planned event is sent.
    Done,
    /// The end gives up, saying why.
    Error(String),
}

const HELLO: u8 = 1;
const PLAN: u8 = 2;
const EVENT: u8 = 3;
const ACK: u8 = 4;
const REFUSED: u8 = 5;
const DONE: u8 = 6;
const ERROR: u8 = 7;

fn plain<T: Serialize>(value: &T) -> io::Result<Vec<u8>> {
    codec::encode_plain(value).map_err(io::Error::other)
}

/// Writes one frame (not flushed).
pub fn write(out: &mut dyn Write, frame: &Frame) -> io::Result<()> {
    let (kind, payload) = match frame {
        Frame::Hello(hello) => (HELLO, plain(hello)?),
        Frame::Plan(n) => (PLAN, n.to_le_bytes().to_vec()),
        Frame::Event(event) => (
            EVENT,
            codec::encode(event.as_ref()).map_err(io::Error::other)?,
        ),
        Frame::Ack(n) => (ACK, n.to_le_bytes().to_vec()),
        Frame::Refused(refusal) => (REFUSED, plain(refusal)?),
        Frame::Done => (DONE, Vec::new()),
        Frame::Error(text) => (ERROR, text.as_bytes().to_vec()),
    };
    let len = u32::try_from(payload.len() + 1)
        .ok()
        .filter(|&len| len <= MAX_FRAME)
        .ok_or_else(|| io::Error::other("a frame larger than 2 GiB"))?;
    out.write_all(&len.to_le_bytes())?;
    out.write_all(&[kind])?;
    out.write_all(&payload)
}

/// Reads one frame; `Ok(None)` at a clean end of input (between frames). A frame cut
/// short, of an unknown kind or that does not decode is an `InvalidData` error.
pub fn read(input: &mut dyn BufRead) -> io::Result<Option<Frame>> {
    let mut len = [0u8; 4];
    match input.read(&mut len[..1])? {
        0 => return Ok(None),
        _ => input.read_exact(&mut len[1..]).map_err(cut)?,
    }
    let len = u32::from_le_bytes(len);
    if len == 0 || len > MAX_FRAME {
        return Err(bad(format!("a frame of {len} bytes")));
    }
    let mut kind = [0u8; 1];
    input.read_exact(&mut kind).map_err(cut)?;
    let mut payload = Vec::new();
    let want = u64::from(len - 1);
    io::Read::take(&mut *input, want).read_to_end(&mut payload)?;
    if payload.len() as u64 != want {
        return Err(cut(io::ErrorKind::UnexpectedEof.into()));
    }
    let number = |p: &[u8]| -> io::Result<u64> {
        <[u8; 8]>::try_from(p)
            .map(u64::from_le_bytes)
            .map_err(|_| bad("a count that is not 8 bytes".into()))
    };
    let frame = match kind[0] {
        HELLO => Frame::Hello(codec::decode_plain(&payload).map_err(|e| bad(e.to_string()))?),
        PLAN => Frame::Plan(number(&payload)?),
        EVENT => Frame::Event(Box::new(
            codec::decode(&payload).map_err(|e| bad(e.to_string()))?,
        )),
        ACK => Frame::Ack(number(&payload)?),
        REFUSED => Frame::Refused(codec::decode_plain(&payload).map_err(|e| bad(e.to_string()))?),
        DONE => Frame::Done,
        ERROR => Frame::Error(String::from_utf8_lossy(&payload).into_owned()),
        other => return Err(bad(format!("a frame of unknown kind {other}"))),
    };
    Ok(Some(frame))
}

fn bad(what: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, format!("the peer sent {what}"))
}

fn cut(e: io::Error) -> io::Error {
    if e.kind() == io::ErrorKind::UnexpectedEof {
        io::Error::new(
            io::ErrorKind::UnexpectedEof,
            "the connection ended inside a frame",
        )
    } else {
        e
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Change;

    fn round_trip(frame: Frame) {
        let mut bytes = Vec::new();
        write(&mut bytes, &frame).unwrap();
        let mut input = std::io::BufReader::new(bytes.as_slice());
        assert_eq!(read(&mut input).unwrap(), Some(frame));
        assert_eq!(read(&mut input).unwrap(), None);
    }

    #[test]
    fn every_frame_round_trips() {
        let book = BookId([3; 16]);
        let mut known = VersionVector::default();
        known.note(&EventId {
            origin: book,
            counter: 9,
        });
        round_trip(Frame::Hello(Hello {
            protocol: PROTOCOL,
            book,
            known,
        }));
        round_trip(Frame::Plan(12));
        let user = crate::domain::model::User {
            login: "li".into(),
            name: "Li".into(),
            role: crate::domain::model::Role::Rep,
            team: None,
        };
        let mut event = Event::held(
            4,
            jiff::Timestamp::UNIX_EPOCH,
            "li".into(),
            Change::PutUser(user),
        );
        event.id.origin = book;
        round_trip(Frame::Event(Box::new(event)));
        round_trip(Frame::Ack(3));
        round_trip(Frame::Refused(Refusal {
            id: EventId {
                origin: book,
                counter: 2,
            },
            reason: "no".into(),
        }));
        round_trip(Frame::Done);
        round_trip(Frame::Error("gone".into()));
    }

    #[test]
    fn an_event_frame_is_its_encoding_plus_five_bytes() {
        let event = Event::held(
            1,
            jiff::Timestamp::UNIX_EPOCH,
            "li".into(),
            Change::PutUser(crate::domain::model::User {
                login: "a".into(),
                name: "A".into(),
                role: crate::domain::model::Role::Rep,
                team: None,
            }),
        );
        let mut bytes = Vec::new();
        write(&mut bytes, &Frame::Event(Box::new(event.clone()))).unwrap();
        assert_eq!(bytes.len(), codec::encode(&event).unwrap().len() + 5);
    }

    #[test]
    fn cut_or_garbled_input_is_an_error_never_a_panic() {
        let mut bytes = Vec::new();
        write(&mut bytes, &Frame::Plan(7)).unwrap();
        for cut_at in 1..bytes.len() {
            let mut input = std::io::BufReader::new(&bytes[..cut_at]);
            assert!(read(&mut input).is_err(), "cut at {cut_at}");
        }
        let mut input = std::io::BufReader::new(&[2u8, 0, 0, 0, 99, 1][..]);
        assert!(read(&mut input).is_err());
        let mut input = std::io::BufReader::new(&[0u8, 0, 0, 0][..]);
        assert!(read(&mut input).is_err());
    }
}
