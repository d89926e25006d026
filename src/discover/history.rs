//! History: being written.
