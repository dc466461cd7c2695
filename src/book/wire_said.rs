//! The messages a card or an agenda carries beside its English sentences (evidence,
//! actions, reasons, the ladder note) are not part of their JSON (`crm show --json` is the
//! contract's), so `crm serve` sends them next to it, under `said`: a client then says them
//! in its own reader's language. Additive both ways: an older client ignores `said`, and an
//! answer without it (an older server) leaves the English lines to be shown.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::domain::agenda::Agenda;
use crate::domain::card::Card;
use crate::domain::text::Text;

/// An action's words and its reasons, as messages.
type ActionSaid = (Text, Vec<Text>);

#[derive(Debug, Default, Serialize, Deserialize)]
struct CardSaid {
    #[serde(default)]
    stage_evidence: Vec<Text>,
    #[serde(default)]
    level_note: Option<Text>,
    #[serde(default)]
    next_actions: Vec<ActionSaid>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct AgendaSaid {
    #[serde(default)]
    actions: Vec<ActionSaid>,
}

const KEY: &str = "said";

/// Adds `said` to an answer's JSON object (anything else is left as it is).
fn attach(mut json: Value, said: impl Serialize) -> Value {
    if let (Value::Object(map), Ok(said)) = (&mut json, serde_json::to_value(said)) {
        map.insert(KEY.to_string(), said);
    }
    json
}

/// Takes `said` out of an answer's JSON object, if it is there and readable.
fn detach<T: for<'de> Deserialize<'de>>(json: &mut Value) -> Option<T> {
    let said = json.as_object_mut()?.remove(KEY)?;
    serde_json::from_value(said).ok()
}

pub fn card_json(card: &Card, json: Value) -> Value {
    attach(
        json,
        CardSaid {
            stage_evidence: card.stage_evidence_said.clone(),
            level_note: card.level_note_said.clone(),
            next_actions: card
                .next_actions
                .iter()
                .map(|a| (a.action_said.clone(), a.why_said.clone()))
                .collect(),
        },
    )
}

pub fn agenda_json(agenda: &Agenda, json: Value) -> Value {
    attach(
        json,
        AgendaSaid {
            actions: agenda
                .actions
                .iter()
                .map(|a| (a.action_said.clone(), a.why_said.clone()))
                .collect(),
        },
    )
}

/// A card from an answer, with its messages when the server sent them.
pub fn card_from(mut json: Value) -> serde_json::Result<Card> {
    let said: Option<CardSaid> = detach(&mut json);
    let mut card: Card = serde_json::from_value(json)?;
    if let Some(said) = said {
        // Only when they line up with the sentences: a message never says another line.
        if said.stage_evidence.len() == card.stage_evidence.len() {
            card.stage_evidence_said = said.stage_evidence;
        }
        if card.level_note.is_some() {
            card.level_note_said = said.level_note;
        }
        if said.next_actions.len() == card.next_actions.len() {
            for (action, (text, why)) in card.next_actions.iter_mut().zip(said.next_actions) {
                action.action_said = text;
                action.why_said = why;
            }
        }
    }
    Ok(card)
}

/// An agenda from an answer, with its messages when the server sent them.
pub fn agenda_from(mut json: Value) -> serde_json::Result<Agenda> {
    let said: Option<AgendaSaid> = detach(&mut json);
    let mut agenda: Agenda = serde_json::from_value(json)?;
    if let Some(said) = said.filter(|s| s.actions.len() == agenda.actions.len()) {
        for (action, (text, why)) in agenda.actions.iter_mut().zip(said.actions) {
            action.action_said = text;
            action.why_said = why;
        }
    }
    Ok(agenda)
}
