//! The `codexa` binary. DuckDB is not linked in: the analytics commands
//! (`sql`, `analyze`, `export`, `report`, `snapshot`) run in
//! `codexa-analytics`, installed beside it, so every other command starts
//! like a small program.

fn main() -> std::process::ExitCode {
    codexa::cli::main(codexa::cli::Analytics::Elsewhere)
}
