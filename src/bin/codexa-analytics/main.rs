//! `codexa-analytics`: codexa with DuckDB linked in. `codexa` hands it the
//! analytics commands (`sql`, `analyze`, `export`, `report`, `snapshot`)
//! with the same arguments; run directly, it is a whole codexa.

mod analytics;
mod commands;

fn main() -> std::process::ExitCode {
    codexa::cli::main(codexa::cli::Analytics::Here(commands::run))
}
