//! The book list (view 1): every customer, filtered and sorted.
//! One folder per screen: its state, its update (messages in) and its view (drawing).

pub mod update;
pub mod view;
