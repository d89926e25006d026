//! Links codexa's programs as position-dependent executables on Linux.
//!
//! A position-independent executable is relocated by the dynamic loader at
//! every start: each pointer in its read-only data (vtables, string tables,
//! panic locations; about 40,000 of them) is rewritten, and every page that
//! holds one is copied. For a program that agents run several times a turn
//! and whose own work takes a few milliseconds, that was a third of the run
//! (`bench/start_bench.py` measures it). Linked at a fixed address, those
//! pages stay shared and untouched. The cost is that the executable's own
//! image is not placed at a random address (shared libraries, the stack
//! and the heap still are).

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo::rustc-link-arg-bins=-no-pie");
    }
}
