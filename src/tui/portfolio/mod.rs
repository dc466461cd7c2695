//! The portfolio (view 3): the book's figures, queues and capacity plan.
//! One folder per screen: its state, its update (messages in) and its view (drawing).

pub mod state;
pub mod update;
pub mod view;
