//! `codexa events query`.

use crate::Result;
use crate::store::index::{Filter, Index};

use super::print_event;
use crate::cli::{Ctx, ExitStatus};

/// Filters shared by `query` and `tail`.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct FilterArgs {
    /// Event type, or a prefix ending in `*` (`message.*`).
    #[arg(long = "type", value_name = "TYPE")]
    pub kind: Option<String>,
    /// TYPE:ID for one stream, or TYPE for all streams of a type.
    #[arg(long, value_name = "TYPE[:ID]")]
    pub stream: Option<String>,
    /// KIND:ID, or just ID.
    #[arg(long, value_name = "[KIND:]ID")]
    pub actor: Option<String>,
    /// Only events at or after this time (RFC 3339, a date, or an age: 2h, 1d).
    #[arg(long, value_name = "TIME")]
    pub since: Option<String>,
    /// Only events before this time.
    #[arg(long, value_name = "TIME")]
    pub until: Option<String>,
    #[arg(long, value_name = "ID")]
    pub correlation_id: Option<String>,
    /// Only this writer's chain (one per clone).
    #[arg(long, value_name = "WRITER")]
    pub writer: Option<String>,
    /// Only events whose per-writer `seq` is at least N: the resume cursor.
    /// With several writers, add `--writer` to follow one chain exactly.
    #[arg(long, value_name = "N")]
    pub from_seq: Option<u64>,
}

impl FilterArgs {
    pub fn to_filter(&self) -> Result<Filter> {
        let time = |t: &Option<String>, flag: &str| -> Result<Option<String>> {
            t.as_deref()
                .map(|t| {
                    crate::clock::parse_time_arg(t)
                        .map_err(|m| crate::Error::user(format!("{flag}: {m}")))
                })
                .transpose()
        };
        let (stream_type, stream_id) = match self.stream.as_deref() {
            None => (None, None),
            Some(s) => match s.split_once(':') {
                Some((t, i)) => (Some(t.to_string()), Some(i.to_string())),
                None => (Some(s.to_string()), None),
            },
        };
        let (actor_kind, actor_id) = match self.actor.as_deref() {
            None => (None, None),
            Some(a) => match a.split_once(':') {
                Some((k, i)) => (Some(k.to_string()), Some(i.to_string())),
                None => (None, Some(a.to_string())),
            },
        };
        Ok(Filter {
            kind: self.kind.clone(),
            stream_type,
            stream_id,
            actor_kind,
            actor_id,
            since: time(&self.since, "--since")?,
            until: time(&self.until, "--until")?,
            correlation_id: self.correlation_id.clone(),
            writer: self.writer.clone(),
            from_seq: self.from_seq,
        })
    }
}

/// Print events matching filters, oldest first, as JSON Lines.
///
/// Print the events that match every filter, oldest first (by time, then
/// id), as JSON Lines (`--format text` for columns).
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub filter: FilterArgs,
    /// At most N events.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(..=i64::MAX as u64))]
    pub limit: Option<u64>,
}

pub fn run(ctx: &Ctx, args: Args) -> Result<ExitStatus> {
    let store = ctx.store()?;
    let filter = args.filter.to_filter()?;
    if !store.exists() {
        return Ok(ExitStatus::Success);
    }
    let index = Index::open(&store)?;
    for (line, _) in index.lines(&store.events_dir(), &filter, args.limit, false)? {
        print_event(ctx, &line)?;
    }
    Ok(ExitStatus::Success)
}
