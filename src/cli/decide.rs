//! `codexa approve|deny|hold`: a person's decision on an approval request,
//! named by id or by its subject.

use crate::Result;
use crate::domain::approvals::{self, Choice};
use crate::domain::policy::Policy;

use super::approval::render_row;
use super::thread::speaker;
use super::{Ctx, ExitStatus};

const WHO_DECIDES: &str = "Only a person (or a role listed under `approvers:` in \
                           .codexa/policy.yaml) may decide a request, and never on \
                           their own request.";

// One set of arguments for `approve`, `deny` and `hold`: each variant's doc
// comment names what it does, and who may decide is said once, after the
// options, since a doc comment here would be hidden by the variants'.
#[derive(clap::Args, Debug)]
#[command(after_long_help = WHO_DECIDES)]
pub struct Args {
    /// An approval id (`appr_…`), or a subject with exactly one open request.
    #[arg(value_name = "ID-OR-SUBJECT")]
    pub target: String,
    /// With a subject: only its request of this kind.
    #[arg(long, value_name = "KIND")]
    pub kind: Option<String>,
    /// Why, recorded with the decision.
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
}

pub fn run(ctx: &Ctx, args: Args, choice: Choice) -> Result<ExitStatus> {
    let (ws, who) = speaker(ctx)?;
    let policy = Policy::load(&ws.store.workdir, &ws.policy_cache())?;
    let a = approvals::decide(
        &ws,
        &policy,
        &who,
        &args.target,
        args.kind.as_deref(),
        choice,
        args.reason.as_deref(),
    )?;
    if ctx.printer.is_json() {
        ctx.printer.json(&a)?;
    } else {
        ctx.printer.line(&render_row(&a))?;
    }
    Ok(ExitStatus::Success)
}
