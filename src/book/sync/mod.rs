//! Field sync (docs/sync.md): two books exchange the events each lacks over any pipe.
//!
//! Both ends run the same exchange: say hello (book id, version vector), send the events
//! the other lacks (cut to what the peer may see), apply what arrives in batches, each
//! batch durable before it is acknowledged. Nothing else is kept between syncs but the
//! peers' version vectors and refused events (`state.rs`), so a sync cut at any byte
//! resumes by simply running again: the hellos say what is still missing, and an event
//! already held is never applied twice (`Store::apply_received`).

mod gate;
pub mod state;
pub mod wire;

use std::io::{BufReader, Read, Write};
use std::sync::mpsc;

use jiff::Timestamp;
use serde::Serialize;

use super::{Book, BookError};
use crate::domain::access::Session;
use crate::store::envelope::{BookId, EventId};
use crate::store::Event;
use gate::Gate;
use state::{PeerState, RefusedEvent, SyncState};
use wire::{Frame, Hello, Refusal};

/// How a sync is run.
pub struct Options<'a> {
    /// How the user named the peer (kept in `sync.json`).
    pub peer_name: String,
    /// The account on the other end as this machine's kernel knows it: its events are
    /// checked against it and what goes out is cut to what it may see. `None`: this end
    /// chose the peer and takes what it sends (the laptop dialling its server).
    pub peer: Option<Session>,
    /// `(received, planned)` events from the peer, as they become durable.
    pub progress: &'a mut dyn FnMut(u64, u64),
}

/// What one sync did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Report {
    pub peer: String,
    pub sent: u64,
    pub received: u64,
    /// Received events that were new here (the rest were held already).
    pub applied: u64,
    /// Events the peer would not take (kept in `sync.json`, shown by `--status`).
    pub refused_by_peer: u64,
    /// Events from the peer this end would not take (the peer keeps them).
    pub refused_here: u64,
}

/// Events applied per batch at most (one fsync each): big enough that 1,000 events cost a
/// handful of syncs, small enough that an acknowledgement is never far behind.
const BATCH: usize = 512;

/// What `crm sync --status` says.
#[derive(Debug, Clone, Serialize)]
pub struct Status {
    pub book: String,
    pub peers: Vec<PeerStatus>,
    pub refused: Vec<RefusedEvent>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PeerStatus {
    pub peer: String,
    pub name: String,
    pub last: Timestamp,
    pub complete: bool,
    /// Events here the peer did not hold at the last contact.
    pub to_send: u64,
    /// Events the peer had for this book and did not deliver (an interrupted sync).
    pub to_receive: u64,
}

fn failed(e: impl std::fmt::Display) -> BookError {
    BookError::unavailable(format!("sync: {e}"))
}

impl Book {
    /// This book's id (`DIR/book-id`).
    pub fn book_id(&self) -> BookId {
        self.store.book_id()
    }

    /// What waits to go each way, from what each peer held at the last contact.
    pub fn sync_status(&self) -> Result<Status, BookError> {
        let state = state::load(&self.dir)?;
        let mut peers = Vec::new();
        for (key, peer) in &state.peers {
            let to_send = self.store.events_unknown_to(&peer.known)?.len() as u64;
            peers.push(PeerStatus {
                peer: key.clone(),
                name: peer.name.clone(),
                last: peer.last,
                complete: peer.complete,
                to_send,
                to_receive: peer.waiting_here,
            });
        }
        Ok(Status {
            book: self.book_id().to_string(),
            peers,
            refused: state.refused,
        })
    }

    /// Someone has looked at the customer's "changed on two devices" fields: the card
    /// stops saying so here (the values stay as decided; a later conflict shows again).
    pub fn look_at_conflicts(&mut self, id: &str) -> Result<Vec<String>, BookError> {
        let Some(clocks) = self.store.profile_clocks(id)? else {
            return Ok(Vec::new());
        };
        let mut state = state::load(&self.dir)?;
        let fields = clocks.two_devices(state.looked.get(id).map_or(&[], Vec::as_slice));
        state.looked.insert(id.to_string(), clocks.looked());
        state::save(&self.dir, &state)?;
        Ok(fields)
    }

    /// The conflicts of a customer nobody here has looked at yet, by field name.
    pub(crate) fn unlooked_conflicts(
        &self,
        clocks: &crate::store::merge::ProfileClocks,
        id: &str,
    ) -> Result<Vec<String>, BookError> {
        if clocks.conflicts.is_empty() {
            return Ok(Vec::new());
        }
        let state = state::load(&self.dir)?;
        Ok(clocks.two_devices(state.looked.get(id).map_or(&[], Vec::as_slice)))
    }

    /// Forgets the refused events (someone has read them); returns how many there were.
    pub fn clear_refused(&mut self) -> Result<usize, BookError> {
        let mut state = state::load(&self.dir)?;
        let n = state.refused.len();
        state.refused.clear();
        state::save(&self.dir, &state)?;
        Ok(n)
    }

    /// Runs one sync over `input`/`output` (a pipe to `crm sync --stdio` on the peer).
    pub fn sync(
        &mut self,
        input: &mut dyn Read,
        output: &mut (dyn Write + Send),
        options: Options<'_>,
    ) -> Result<Report, BookError> {
        let mut state = state::load(&self.dir)?;
        let mut run = Run {
            report: Report {
                peer: options.peer_name.clone(),
                ..Report::default()
            },
            peer_book: None,
            peer_plan: 0,
            acked: 0,
        };
        let mut input = BufReader::with_capacity(1 << 16, input);
        let result = self.exchange(
            &mut input,
            output,
            &options.peer,
            options.progress,
            &mut state,
            &mut run,
        );
        // Whatever happened, keep what was learnt (refusals, how far the peer got).
        if let Some((book, known)) = run.peer_book.clone() {
            let complete = result.is_ok();
            state.peers.insert(
                SyncState::peer_key(book),
                PeerState {
                    name: options.peer_name.clone(),
                    known,
                    waiting_here: run.peer_plan.saturating_sub(run.report.received),
                    last: Timestamp::now(),
                    complete,
                },
            );
        }
        let saved = state::save(&self.dir, &state);
        // The book's own caches (search, figures) follow from the journal again.
        if run.report.applied > 0 {
            self.index = Default::default();
            self.derived = None;
            self.snapshot_stale.set(true);
        }
        let report = result?;
        saved?;
        Ok(report)
    }

    fn exchange(
        &mut self,
        input: &mut BufReader<&mut dyn Read>,
        output: &mut (dyn Write + Send),
        peer: &Option<Session>,
        progress: &mut dyn FnMut(u64, u64),
        state: &mut SyncState,
        run: &mut Run,
    ) -> Result<Report, BookError> {
        let own = self.store.book_id();
        let hello = Hello {
            protocol: wire::PROTOCOL,
            book: own,
            known: self.store.version_vector()?,
        };
        wire::write(output, &Frame::Hello(hello)).map_err(failed)?;
        output.flush().map_err(failed)?;
        let theirs = match wire::read(input).map_err(failed)? {
            Some(Frame::Hello(h)) => h,
            Some(Frame::Error(e)) => return Err(failed(format!("the peer says: {e}"))),
            Some(_) => return Err(failed("the peer did not start with a hello")),
            None => return Err(failed("the peer closed the connection before its hello")),
        };
        if theirs.protocol != wire::PROTOCOL {
            return Err(failed(format!(
                "the peer speaks sync protocol {}, this crm {}; use the same crm version on both",
                theirs.protocol,
                wire::PROTOCOL
            )));
        }
        if theirs.book == own {
            return Err(failed("both ends are the same book"));
        }
        let mut peer_known = theirs.known.clone();
        run.peer_book = Some((theirs.book, peer_known.clone()));
        let gate = match peer {
            Some(session) => Some(Gate::new(&*self.store, session.clone())?),
            None => None,
        };
        let mut outgoing = Vec::new();
        for event in self.store.events_unknown_to(&theirs.known)? {
            let event = match &gate {
                Some(gate) => gate.project(&*self.store, event)?,
                None => Some(event),
            };
            outgoing.extend(event);
        }
        let sent_ids: Vec<(EventId, String, String, Timestamp)> = outgoing
            .iter()
            .map(|e| (e.id, e.change.describe(), e.actor.clone(), e.at))
            .collect();
        let planned = outgoing.len() as u64;
        let (control, inbox) = mpsc::channel::<Frame>();
        std::thread::scope(|scope| -> Result<(), BookError> {
            let writer = scope.spawn(move || send_all(output, outgoing, inbox));
            let read = self.receive(
                input,
                &control,
                gate.as_ref(),
                progress,
                planned,
                run,
                state,
                &theirs.book,
                &sent_ids,
            );
            drop(control);
            let written = writer
                .join()
                .unwrap_or_else(|_| Err("the sending thread failed".into()));
            read?;
            written.map_err(failed)?;
            Ok(())
        })
        .map(|()| {
            for (id, ..) in &sent_ids {
                peer_known.note(id);
            }
            run.peer_book = Some((theirs.book, peer_known));
            run.report.sent = planned;
            run.report.clone()
        })
    }

    #[allow(clippy::too_many_arguments)]
    fn receive(
        &mut self,
        input: &mut BufReader<&mut dyn Read>,
        control: &mpsc::Sender<Frame>,
        gate: Option<&Gate>,
        progress: &mut dyn FnMut(u64, u64),
        planned: u64,
        run: &mut Run,
        state: &mut SyncState,
        peer_book: &BookId,
        sent: &[(EventId, String, String, Timestamp)],
    ) -> Result<(), BookError> {
        let peer_name = run.report.peer.clone();
        let mut batch: Vec<Event> = Vec::new();
        let mut peer_done = false;
        loop {
            // Nothing more at hand (a read would wait): apply what came, so the peer hears
            // its acknowledgement before it sends more.
            let idle = input.buffer().is_empty() || batch.len() >= BATCH;
            if !batch.is_empty() && (idle || peer_done) {
                self.take(&mut batch, control, gate, run)?;
                (progress)(run.report.received, run.peer_plan);
            }
            if peer_done && batch.is_empty() && run.acked >= planned {
                return Ok(());
            }
            let frame = match wire::read(input).map_err(failed)? {
                Some(frame) => frame,
                None => {
                    return Err(failed(format!(
                        "the connection to {peer_name} ended early ({} of {} events received, {} of {} sent were taken); run crm sync again to finish",
                        run.report.received + batch.len() as u64,
                        run.peer_plan,
                        run.acked,
                        planned
                    )))
                }
            };
            match frame {
                Frame::Plan(n) => run.peer_plan = n,
                Frame::Event(event) => batch.push(*event),
                Frame::Ack(n) => run.acked = run.acked.max(n),
                Frame::Refused(Refusal { id, reason }) => {
                    let (what, actor, at) = sent
                        .iter()
                        .find(|(sent, ..)| *sent == id)
                        .map(|(_, what, actor, at)| (what.clone(), actor.clone(), *at))
                        .unwrap_or_default();
                    state.refuse(RefusedEvent {
                        id,
                        peer: peer_book.to_string(),
                        what,
                        actor,
                        at,
                        reason,
                    });
                    state::save(&self.dir, state)?;
                    run.report.refused_by_peer += 1;
                }
                Frame::Done => peer_done = true,
                Frame::Error(e) => return Err(failed(format!("{peer_name} says: {e}"))),
                Frame::Hello(_) => return Err(failed("the peer said hello twice")),
            }
        }
    }

    /// Checks and applies a batch of received events (durable together), then acknowledges
    /// them: refusals first, so the peer records them before it sees them counted.
    fn take(
        &mut self,
        batch: &mut Vec<Event>,
        control: &mpsc::Sender<Frame>,
        gate: Option<&Gate>,
        run: &mut Run,
    ) -> Result<(), BookError> {
        let events = std::mem::take(batch);
        let mut accepted = Vec::with_capacity(events.len());
        let mut refusals = Vec::new();
        for event in events {
            if event.id.origin == BookId::HOLDER {
                return Err(failed("the peer sent an event without its origin"));
            }
            let why = match gate {
                Some(gate) => gate.refusal(&*self.store, &event)?,
                None => None,
            };
            match why {
                Some(reason) => refusals.push(Refusal {
                    id: event.id,
                    reason,
                }),
                None => accepted.push(event),
            }
        }
        let applied = self.store.apply_received(&accepted)?;
        run.report.applied += applied.iter().filter(|s| s.is_some()).count() as u64;
        run.report.refused_here += refusals.len() as u64;
        run.report.received += (accepted.len() + refusals.len()) as u64;
        for refusal in refusals {
            let _ = control.send(Frame::Refused(refusal));
        }
        let _ = control.send(Frame::Ack(run.report.received));
        Ok(())
    }
}

/// Where one sync stands.
struct Run {
    report: Report,
    peer_book: Option<(BookId, crate::store::envelope::VersionVector)>,
    peer_plan: u64,
    acked: u64,
}

/// The sending half: the plan, every event, done; then acknowledgements and refusals
/// from the receiving half until it is finished. Control frames go out between events,
/// so the peer hears its acknowledgements while a long send is under way.
fn send_all(
    output: &mut (dyn Write + Send),
    events: Vec<Event>,
    inbox: mpsc::Receiver<Frame>,
) -> Result<(), String> {
    let mut out = std::io::BufWriter::with_capacity(1 << 16, output);
    let fail = |e: std::io::Error| format!("sending: {e}");
    wire::write(&mut out, &Frame::Plan(events.len() as u64)).map_err(fail)?;
    for event in events {
        wire::write(&mut out, &Frame::Event(Box::new(event))).map_err(fail)?;
        let mut flushed = false;
        while let Ok(frame) = inbox.try_recv() {
            wire::write(&mut out, &frame).map_err(fail)?;
            flushed = true;
        }
        if flushed {
            out.flush().map_err(fail)?;
        }
    }
    wire::write(&mut out, &Frame::Done).map_err(fail)?;
    out.flush().map_err(fail)?;
    while let Ok(frame) = inbox.recv() {
        wire::write(&mut out, &frame).map_err(fail)?;
        if let Ok(next) = inbox.try_recv() {
            wire::write(&mut out, &next).map_err(fail)?;
        }
        out.flush().map_err(fail)?;
    }
    out.flush().map_err(fail)
}
