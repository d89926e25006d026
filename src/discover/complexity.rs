//! Complexity: being written.
