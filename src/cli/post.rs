//! `codexa post`.

use crate::Result;
use crate::domain::threads::{self, Post, PostOutcome};

use super::thread::speaker;
use super::{Ctx, ExitStatus, read_input};

/// Post a message to a thread.
///
/// Post a message (markdown) to a thread; prints the message id. The text
/// comes from the argument, `--file`, or stdin. Secrets in it are masked
/// before it is written. Refused by a governance guard: exit 3, with the
/// reason code. With `--wake`, the thread's other participants who have it
/// unread are woken (see `codexa trigger`), each by a worker of its own.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The thread id (`th_…`).
    pub thread: String,
    /// The message; omit it to read `--file` or stdin.
    pub text: Option<String>,
    /// Read the message from this file.
    #[arg(long, value_name = "FILE", conflicts_with = "text")]
    pub file: Option<String>,
    /// The message this one answers.
    #[arg(long, value_name = "MSG")]
    pub reply_to: Option<String>,
    /// Call a participant's attention (repeatable).
    #[arg(long = "mention", value_name = "NAME")]
    pub mentions: Vec<String>,
    /// A retry with the same key returns the first message and posts nothing.
    #[arg(long, value_name = "KEY")]
    pub idempotency_key: Option<String>,
    /// Wake the thread's other participants who have it unread.
    #[arg(long)]
    pub wake: bool,
}

pub fn run(ctx: &Ctx, args: Args) -> Result<ExitStatus> {
    let (ws, who) = speaker(ctx)?;
    let body = match (&args.text, &args.file) {
        (Some(t), _) => t.clone(),
        (None, Some(f)) => read_input(&format!("@{f}"), "the message")?,
        (None, None) => read_input("-", "the message")?,
    };
    crate::store::event::refuse_reserved_key(args.idempotency_key.as_deref())?;
    let outcome = threads::post(
        &ws,
        &who,
        &args.thread,
        Post {
            body: &body,
            reply_to: args.reply_to.as_deref(),
            mentions: &args.mentions,
            idempotency_key: args.idempotency_key.as_deref(),
        },
    )?;
    let p = &ctx.printer;
    match &outcome {
        PostOutcome::Posted { message, new } => {
            if p.is_json() {
                p.json(&outcome)?;
            } else {
                p.line(&message.id)?;
                if *new {
                    p.status(&format!(
                        "posted #{} in {} as {}",
                        message.number, message.thread, message.author
                    ));
                } else {
                    p.status(&format!(
                        "already posted as #{} under this idempotency key; nothing appended",
                        message.number
                    ));
                }
            }
            for r in &message.redactions {
                p.warning(&format!(
                    "masked a secret before logging: {} ({}×); it is stored as [REDACTED:{}]",
                    r["kind"].as_str().unwrap_or("secret"),
                    r["count"].as_u64().unwrap_or(1),
                    r["kind"].as_str().unwrap_or("secret"),
                ));
            }
            if args.wake {
                let woken = crate::trigger::wake_thread(&ws, &who, &message.thread)?;
                super::trigger::report_wakes(ctx, &message.thread, &woken)?;
            }
            Ok(ExitStatus::Success)
        }
        PostOutcome::Blocked(b) => {
            if p.is_json() {
                // The refusal is on stdout, in the shape scripts read.
                p.json(&outcome)?;
                return Err(b.to_error().reported());
            }
            Err(b.to_error())
        }
    }
}
