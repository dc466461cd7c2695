//! Frames on the book's socket: one JSON document per line. A frame is read whole, within a
//! size limit and a deadline, before anything acts on it, so a slow, stuck or hostile peer
//! costs only its own connection: never the book's lock, never memory beyond the limit.

use std::io::{ErrorKind, Read, Write};
use std::os::unix::net::UnixStream;
use std::time::{Duration, Instant};

/// Why no frame could be read. Each is answered (where the peer can still hear it) with a
/// typed error, then the connection ends: after a bad frame nothing else can be framed.
#[derive(Debug)]
pub enum FrameError {
    /// The peer closed the connection between frames: the normal end.
    Closed,
    /// The peer closed the connection inside a frame (`bytes` read, no end of line).
    Truncated {
        bytes: usize,
    },
    /// More than `limit` bytes without an end of line; the rest is never read.
    Oversized {
        limit: usize,
    },
    /// Nothing (or not the whole frame) arrived in time.
    TimedOut {
        waited: Duration,
    },
    Io(std::io::Error),
}

impl std::fmt::Display for FrameError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FrameError::Closed => f.write_str("connection closed"),
            FrameError::Truncated { bytes } => write!(
                f,
                "truncated frame: the connection closed after {bytes} bytes without an end of line"
            ),
            FrameError::Oversized { limit } => {
                write!(f, "frame longer than {limit} bytes refused")
            }
            FrameError::TimedOut { waited } => {
                write!(f, "no complete frame within {} s", waited.as_secs())
            }
            FrameError::Io(e) => write!(f, "{e}"),
        }
    }
}

/// Reads line frames from a stream, keeping bytes that arrived after a frame's end for the
/// next one (a client may send several requests before reading the answers).
pub struct FrameReader {
    stream: UnixStream,
    pending: Vec<u8>,
}

const CHUNK: usize = 64 * 1024;

impl FrameReader {
    pub fn new(stream: UnixStream) -> FrameReader {
        FrameReader {
            stream,
            pending: Vec::new(),
        }
    }

    pub fn stream(&self) -> &UnixStream {
        &self.stream
    }

    /// The next frame without its end of line. `idle` bounds the wait for its first byte
    /// (`None`: wait as long as it takes), `whole` the time from its first byte to its
    /// last, so a peer trickling a byte at a time is cut off too.
    pub fn next(
        &mut self,
        limit: usize,
        idle: Option<Duration>,
        whole: Duration,
    ) -> Result<Vec<u8>, FrameError> {
        let mut started: Option<Instant> = None;
        let mut searched = 0;
        loop {
            if let Some(end) = self.pending[searched..].iter().position(|&b| b == b'\n') {
                let end = searched + end;
                if end > limit {
                    return Err(FrameError::Oversized { limit });
                }
                let mut frame: Vec<u8> = self.pending.drain(..=end).collect();
                frame.pop();
                return Ok(frame);
            }
            searched = self.pending.len();
            if self.pending.len() > limit {
                return Err(FrameError::Oversized { limit });
            }
            if !self.pending.is_empty() && started.is_none() {
                started = Some(Instant::now());
            }
            let timeout = match started {
                Some(at) => match whole.checked_sub(at.elapsed()) {
                    Some(left) if !left.is_zero() => Some(left),
                    _ => return Err(FrameError::TimedOut { waited: whole }),
                },
                None => idle,
            };
            self.stream
                .set_read_timeout(timeout)
                .map_err(FrameError::Io)?;
            // Never more than one byte past the limit: that is enough to refuse.
            let room = (limit + 1 - self.pending.len().min(limit)).min(CHUNK);
            let at = self.pending.len();
            self.pending.resize(at + room, 0);
            let read = self.stream.read(&mut self.pending[at..]);
            let got = match read {
                Ok(n) => n,
                Err(e) => {
                    self.pending.truncate(at);
                    match e.kind() {
                        ErrorKind::Interrupted => continue,
                        ErrorKind::WouldBlock | ErrorKind::TimedOut => {
                            let waited = match started {
                                Some(_) => whole,
                                None => idle.unwrap_or_default(),
                            };
                            return Err(FrameError::TimedOut { waited });
                        }
                        _ => return Err(FrameError::Io(e)),
                    }
                }
            };
            self.pending.truncate(at + got);
            if got == 0 {
                return Err(match self.pending.len() {
                    0 => FrameError::Closed,
                    bytes => FrameError::Truncated { bytes },
                });
            }
            if started.is_none() {
                started = Some(Instant::now());
            }
        }
    }
}

/// Writes one frame (the document and its end of line) in one write.
pub fn write_frame(stream: &mut impl Write, json: &[u8]) -> std::io::Result<()> {
    let mut frame = Vec::with_capacity(json.len() + 1);
    frame.extend_from_slice(json);
    frame.push(b'\n');
    stream.write_all(&frame)?;
    stream.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    const LONG: Duration = Duration::from_secs(30);

    #[test]
    fn frames_are_split_at_ends_of_line_and_kept_across_reads() {
        let (mut a, b) = UnixStream::pair().unwrap();
        a.write_all(b"{\"a\":1}\n{\"b\":2}\n{\"c\"").unwrap();
        let mut reader = FrameReader::new(b);
        assert_eq!(reader.next(64, Some(LONG), LONG).unwrap(), b"{\"a\":1}");
        assert_eq!(reader.next(64, Some(LONG), LONG).unwrap(), b"{\"b\":2}");
        a.write_all(b":3}\n").unwrap();
        assert_eq!(reader.next(64, Some(LONG), LONG).unwrap(), b"{\"c\":3}");
        drop(a);
        assert!(matches!(
            reader.next(64, Some(LONG), LONG),
            Err(FrameError::Closed)
        ));
    }

    #[test]
    fn a_frame_cut_by_the_peer_closing_is_truncated() {
        let (mut a, b) = UnixStream::pair().unwrap();
        a.write_all(b"{\"op\":\"fi").unwrap();
        drop(a);
        let mut reader = FrameReader::new(b);
        assert!(matches!(
            reader.next(64, Some(LONG), LONG),
            Err(FrameError::Truncated { bytes: 9 })
        ));
    }

    /// 10 bytes allowed: a 10-byte frame passes, an 11-byte one is refused having read at
    /// most one byte more than the limit (the rest stays in the socket).
    #[test]
    fn a_frame_over_the_limit_is_refused_after_limit_plus_one_bytes() {
        let (mut a, b) = UnixStream::pair().unwrap();
        a.write_all(b"0123456789\n").unwrap();
        let mut reader = FrameReader::new(b);
        assert_eq!(reader.next(10, Some(LONG), LONG).unwrap(), b"0123456789");
        a.write_all(&[b'x'; 4096]).unwrap();
        assert!(matches!(
            reader.next(10, Some(LONG), LONG),
            Err(FrameError::Oversized { limit: 10 })
        ));
        assert_eq!(reader.pending.len(), 11);
    }

    #[test]
    fn an_idle_peer_times_out() {
        let (_a, b) = UnixStream::pair().unwrap();
        let mut reader = FrameReader::new(b);
        assert!(matches!(
            reader.next(10, Some(Duration::from_millis(20)), LONG),
            Err(FrameError::TimedOut { .. })
        ));
    }

    /// A peer that starts a frame and stops is cut off after `whole`, however long `idle`.
    #[test]
    fn a_frame_started_but_never_finished_times_out() {
        let (mut a, b) = UnixStream::pair().unwrap();
        a.write_all(b"{\"op\"").unwrap();
        let mut reader = FrameReader::new(b);
        assert!(matches!(
            reader.next(64, None, Duration::from_millis(20)),
            Err(FrameError::TimedOut { .. })
        ));
    }
}
