//! Opt-in utilities for metrique, each behind its own feature.
//!
//! - `state`: [`State<T>`](State), a swappable shared value whose handles each emit one
//!   snapshot, and [`LatestRef`].
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]

#[cfg(feature = "state")]
mod state;

#[cfg(feature = "state")]
pub use state::{LatestRef, State};
