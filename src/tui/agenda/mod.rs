//! The agenda (view 2): today's follow-ups and next-best-actions.
//! One folder per screen: its state, its update (messages in) and its view (drawing).

pub mod state;
pub mod update;
pub mod view;
