//! The PDCA review (view 4) and a cycle's page: state, updates, the list, the page, the charts and their shared words.
//! One folder per screen: its state, its update (messages in) and its view (drawing).

pub mod chart;
pub mod page;
pub mod state;
pub mod update;
pub mod view;
pub mod words;
