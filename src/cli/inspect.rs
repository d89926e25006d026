//! `codexa inspect run ID` and `codexa inspect --correlation C`.

use crate::Result;
use crate::domain::runs::inspect;

use super::{Ctx, ExitStatus};

/// Drill into a run, or everything sharing a correlation id: the tree run
/// → steps → tool calls and artifacts, with the events behind each node
/// (time, type, actor). `--format json` gives the same as a nested
/// object.
#[derive(clap::Args, Debug)]
#[command(group(clap::ArgGroup::new("what").required(true).args(["target", "correlation"])))]
pub struct Args {
    /// `run ID`.
    #[arg(num_args = 2, value_names = ["run", "ID"])]
    pub target: Option<Vec<String>>,
    /// Every run and event carrying this correlation id.
    #[arg(long, value_name = "ID")]
    pub correlation: Option<String>,
}

pub fn run(ctx: &Ctx, args: Args) -> Result<ExitStatus> {
    let ws = ctx.workspace()?;
    let lines = match (args.target, args.correlation) {
        (Some(target), _) => {
            let [what, id] =
                <[String; 2]>::try_from(target).map_err(|_| crate::Error::user("give `run ID`"))?;
            if what != "run" {
                return Err(crate::Error::user(format!("cannot inspect `{what}`"))
                    .hint("inspect a run (`codexa inspect run ID`) or a correlation id (`--correlation C`)"));
            }
            let run = crate::domain::runs::load(&ws, &id)?;
            if ctx.printer.is_json() {
                ctx.printer.json(&run)?;
                return Ok(ExitStatus::Success);
            }
            inspect::run_text(&run)
        }
        (None, Some(c)) => {
            let found = inspect::correlated(&ws, &c)?;
            if ctx.printer.is_json() {
                ctx.printer.json(&found)?;
                return Ok(ExitStatus::Success);
            }
            inspect::correlated_text(&found)
        }
        (None, None) => unreachable!("clap requires `run ID` or `--correlation`"),
    };
    ctx.printer.lines(lines)?;
    Ok(ExitStatus::Success)
}
