//! One borrowed view of a stored line, shared by everything that reads the
//! log in bulk (verify, the index, sync's summaries), so they all agree on
//! what counts as an event. `data` and `provenance` stay unparsed slices of
//! the line; strings that hold ids and hashes never need unescaping.

use std::borrow::Cow;

use serde::Deserialize;
use serde_json::value::RawValue;

use crate::store::event::valid_name;

#[derive(Deserialize)]
pub struct LineView<'a> {
    pub v: u32,
    #[serde(borrow)]
    pub id: &'a str,
    pub seq: u64,
    #[serde(borrow)]
    pub ts: &'a str,
    #[serde(borrow)]
    pub writer: &'a str,
    #[serde(borrow)]
    pub actor: KindId<'a>,
    #[serde(rename = "type", borrow)]
    pub kind: Cow<'a, str>,
    #[serde(borrow)]
    pub stream: TypeId<'a>,
    #[serde(default, borrow)]
    pub correlation_id: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    pub idempotency_key: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub data: &'a RawValue,
    #[serde(borrow)]
    pub prev: Option<&'a str>,
    #[serde(borrow)]
    pub hash: &'a str,
}

#[derive(Deserialize)]
pub struct KindId<'a> {
    #[serde(borrow)]
    pub kind: Cow<'a, str>,
    #[serde(borrow)]
    pub id: Cow<'a, str>,
}

#[derive(Deserialize)]
pub struct TypeId<'a> {
    #[serde(rename = "type", borrow)]
    pub kind: Cow<'a, str>,
    #[serde(borrow)]
    pub id: Cow<'a, str>,
}

impl<'a> LineView<'a> {
    /// Parse a line and check the envelope's shape; `None` for anything
    /// that is not an event codexa can read (a crash fragment, a damaged
    /// line). The hash is not checked here: that is verify's job.
    pub fn parse(line: &'a [u8]) -> Option<LineView<'a>> {
        let view: LineView = serde_json::from_slice(line).ok()?;
        let ok = view.v == 1
            && view.seq >= 1
            && view.id.starts_with("evt_")
            && valid_name(&view.kind)
            && valid_name(&view.stream.kind)
            && crate::store::event::Actor::KINDS.contains(&view.actor.kind.as_ref())
            && crate::clock::parse_ms(view.ts).is_some()
            && view.hash.starts_with("sha256:");
        ok.then_some(view)
    }
}
