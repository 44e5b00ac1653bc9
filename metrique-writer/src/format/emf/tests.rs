//! Unit tests of the EMF format.
