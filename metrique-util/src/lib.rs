//! Opt-in utilities for metrique.
