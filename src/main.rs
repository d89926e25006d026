//! The `codexa` binary: parse, dispatch, map errors to exit codes.

mod commands;
mod ui;

fn main() -> std::process::ExitCode {
    commands::main()
}
