//! A customer's card: its document (`doc.rs`), how keys move and act on it, how it is drawn.
//! One folder per screen: its state, its update (messages in) and its view (drawing).

pub mod call;
pub mod conflicts;
pub mod doc;
pub mod header;
pub mod state;
pub mod update;
pub mod view;
