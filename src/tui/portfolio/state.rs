//! The portfolio view's state: book-level figures as computed for `as_of`, the row selected
//! (a tier, a stage, a queue: Enter lists its customers) and the book list as it was before
//! one was drilled into.

use crate::domain::card::{Stage, Tier};
use crate::domain::portfolio::{Portfolio, QueueKind};
use crate::tui::document::Reading;
use crate::tui::list::Shown;

#[derive(Debug, Default)]
pub struct PortfolioState {
    /// `None` until first shown, and again after a write made it stale.
    pub portfolio: Option<Portfolio>,
    /// Asked for and not computed yet: the screen says so until it is.
    pub loading: bool,
    /// The selected row (`cursor`, among the rows Enter opens) and the first line shown.
    pub reading: Reading,
    /// A row's customers are listed in the book view: how the book list was shown before,
    /// brought back with the portfolio by Esc.
    pub drilled: Option<Shown>,
}

/// What a row of the portfolio stands for: Enter lists these customers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Tier(Tier),
    Stage(Stage),
    Queue(QueueKind),
}
