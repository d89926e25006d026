//! `codexa events append`.

use codexa::domain::identity;
use codexa::store::{Actor, NewEvent, StreamRef};
use codexa::{Error, Result};

use crate::commands::{Ctx, read_input};

/// Append one event to this clone's chain and print its id. With an
/// idempotency key already in the log, print the first event's id and
/// append nothing.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Event type, e.g. `note.added`.
    #[arg(long = "type", value_name = "TYPE")]
    pub kind: String,
    /// What the event is about, as TYPE:ID, e.g. `thread:th_01`.
    #[arg(long, value_name = "TYPE:ID")]
    pub stream: String,
    /// The payload: a JSON object, `@FILE`, or `-` for stdin.
    #[arg(long, value_name = "JSON|@FILE|-")]
    pub data: String,
    /// Who acts, as KIND:ID (user, agent or service). Default:
    /// `agent:$CODEXA_AGENT`, else the git user.
    #[arg(long, value_name = "KIND:ID")]
    pub actor: Option<String>,
    /// Retrying with the same key returns the first event.
    #[arg(long, value_name = "KEY")]
    pub idempotency_key: Option<String>,
    /// Groups events of one piece of work, for drill-down.
    #[arg(long, value_name = "ID")]
    pub correlation_id: Option<String>,
    /// The event that caused this one.
    #[arg(long, value_name = "ID")]
    pub causation_id: Option<String>,
}

/// Where codexa's own idempotency keys live: its event types' namespaces
/// (`approval.requested:…`, `report.governance:…`) and the seeding of
/// planned threads (`seed:…`).
const SEED_KEY_PREFIX: &str = "seed:";

/// The namespace `key` takes from codexa's own commands, if it does. A
/// script's event holding such a key first would make the command that
/// later uses it find "its" event already recorded and skip its own (an
/// approval request answered by a planted event).
pub fn reserved_key(key: &str) -> Option<&'static str> {
    codexa::store::event::RESERVED_PREFIXES
        .iter()
        .copied()
        .chain([SEED_KEY_PREFIX])
        .find(|p| key.starts_with(p))
}

/// The refusal of a reserved key, for `events append` and `events import`.
pub fn reserved_key_message(key: &str, namespace: &str) -> String {
    format!(
        "idempotency key `{key}` is in codexa's own namespace `{namespace}`; scripts may not use it"
    )
}

pub const RESERVED_KEY_HINT: &str = "choose a key of your own, e.g. `mytool:<id>` (codexa's commands key their events under their event types and `seed:`)";

pub fn run(ctx: &Ctx, args: Args) -> Result<u8> {
    let ws = ctx.workspace()?;
    if codexa::store::event::reserved_type(&args.kind) {
        return Err(codexa::Error::user(format!(
            "`{}` is one of codexa's own event types; scripts may not append it",
            args.kind
        ))
        .hint("use the command that writes it (post, thread, approve, policy eval …), or a type of your own such as `note.added`"));
    }
    if let Some(key) = &args.idempotency_key
        && let Some(namespace) = reserved_key(key)
    {
        return Err(Error::user(reserved_key_message(key, namespace)).hint(RESERVED_KEY_HINT));
    }
    let stream = StreamRef::parse(&args.stream)?;
    let text = read_input(&args.data, "--data")?;
    let data: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
        Error::user(format!(
            "--data is not valid JSON (line {}, column {}): {e}",
            e.line(),
            e.column()
        ))
        .hint("pass a JSON object, e.g. --data '{\"text\": \"hello\"}'")
    })?;
    let speaker = identity::resolve(&ws.store, &ws.config.value, None)?;
    let actor = match &args.actor {
        Some(a) => {
            let actor = Actor::parse(a)?;
            identity::vouch(&speaker, &actor)?;
            actor
        }
        None => speaker.actor(),
    };
    let mut event = NewEvent::new(&args.kind, stream, actor, data);
    event.idempotency_key = args.idempotency_key;
    event.correlation_id = args.correlation_id;
    event.causation_id = args.causation_id;
    let report = ws.append(vec![event])?;
    for h in &report.housekeeping {
        ctx.printer
            .status(&format!("note: recorded {} ({})", h.kind, h.id));
    }
    let result = report
        .results
        .into_iter()
        .next()
        .ok_or_else(|| Error::io("append returned no event"))?;
    if ctx.printer.is_json() {
        ctx.printer.raw_line(&result.event.to_line())?;
    } else {
        ctx.printer.line(&result.event.id)?;
        if result.new {
            ctx.printer.status(&format!(
                "appended {} (seq {}) to {}",
                result.event.kind, result.event.seq, result.event.writer
            ));
        } else {
            ctx.printer
                .status("already recorded under this idempotency key; nothing appended");
        }
    }
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codexas_own_keys_are_reserved() {
        assert_eq!(reserved_key("approval.requested:x"), Some("approval."));
        assert_eq!(reserved_key("report.governance:a:b"), Some("report."));
        assert_eq!(reserved_key("seed:th_1:p:c"), Some("seed:"));
        assert_eq!(reserved_key("mytool:42"), None);
        assert_eq!(reserved_key("approvals-import-7"), None);
    }

    /// Every key prefix codexa's own code writes (`format!("<prefix>:…")`
    /// setting an idempotency key, or building a `key`) is reserved,
    /// so a new one cannot be added without this door closing on it.
    #[test]
    fn every_key_codexa_writes_is_reserved() {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut found = Vec::new();
        let mut dirs = vec![src];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap();
                let lines: Vec<&str> = text.lines().collect();
                for (i, line) in lines.iter().enumerate() {
                    let keyed = line.contains("idempotency_key = Some(format!(")
                        || line.contains("let key = format!(");
                    if !keyed {
                        continue;
                    }
                    // The format string: on this line or the next.
                    let tail = lines[i..(i + 2).min(lines.len())].join(" ");
                    let Some(start) = tail.find("format!(").map(|at| at + "format!(".len()) else {
                        continue;
                    };
                    let Some(literal) = tail[start..].trim_start().strip_prefix('"') else {
                        continue;
                    };
                    let prefix: String = literal
                        .chars()
                        .take_while(|c| *c != '{' && *c != '"')
                        .collect();
                    // Keys name their namespace before a colon.
                    if prefix.ends_with(':') {
                        found.push((path.display().to_string(), prefix));
                    }
                }
            }
        }
        for expected in ["approval.requested:", "report.governance:", "seed:"] {
            assert!(
                found.iter().any(|(_, p)| p == expected),
                "the scan no longer finds `{expected}`: {found:?}"
            );
        }
        for (file, prefix) in &found {
            assert!(
                reserved_key(prefix).is_some(),
                "{file}: `{prefix}` is not reserved"
            );
        }
    }
}
