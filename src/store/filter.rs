//! Which events a query wants. A filter is one list of conditions
//! ([`Filter::conditions`]), read two ways: tested against an event in
//! memory (following the log, and checking each line the index points at)
//! and written as the read index's WHERE clause. Both readings sit here,
//! side by side, so they cannot drift apart.

use std::borrow::Cow;
use std::cmp::Ordering;

use crate::store::Event;

/// Which events a query wants. Empty fields match everything.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Exact type, or a prefix ending in `*` (`message.*`).
    pub kind: Option<String>,
    pub stream_type: Option<String>,
    pub stream_id: Option<String>,
    pub actor_kind: Option<String>,
    pub actor_id: Option<String>,
    /// Inclusive lower bound, envelope `ts` format.
    pub since: Option<String>,
    /// Exclusive upper bound, envelope `ts` format.
    pub until: Option<String>,
    pub correlation_id: Option<String>,
    pub writer: Option<String>,
    pub from_seq: Option<u64>,
}

/// A field of an event, which is also a column of the index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Type,
    StreamType,
    StreamId,
    ActorKind,
    ActorId,
    Ts,
    CorrelationId,
    Writer,
    Seq,
}

/// How a field compares with a condition's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Eq,
    AtLeast,
    Below,
}

/// A field's value, or what it is compared with. Text compares byte by
/// byte, as SQLite's default collation does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Operand<'a> {
    Text(Cow<'a, str>),
    Number(u64),
}

impl<'a> Operand<'a> {
    fn text(s: &'a str) -> Self {
        Operand::Text(Cow::Borrowed(s))
    }
}

/// One test of a filter: `field op value`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition<'a> {
    pub field: Field,
    pub op: Op,
    pub value: Operand<'a>,
}

impl Filter {
    /// What the filter asks, as conditions that must all hold.
    ///
    /// A type prefix (`message.*`) is the range from the prefix up to the
    /// prefix followed by the last code point: the index can scan that
    /// range, where it could not use `LIKE`. For every valid type name
    /// (lowercase words joined by dots) the range holds exactly the types
    /// that start with the prefix.
    pub fn conditions(&self) -> Vec<Condition<'_>> {
        let mut out = Vec::new();
        let mut push = |field, op, value| out.push(Condition { field, op, value });
        if let Some(kind) = &self.kind {
            match kind.strip_suffix('*') {
                Some(prefix) => {
                    push(Field::Type, Op::AtLeast, Operand::text(prefix));
                    push(
                        Field::Type,
                        Op::Below,
                        Operand::Text(Cow::Owned(format!("{prefix}\u{10FFFF}"))),
                    );
                }
                None => push(Field::Type, Op::Eq, Operand::text(kind)),
            }
        }
        let exact = [
            (Field::StreamType, &self.stream_type),
            (Field::StreamId, &self.stream_id),
            (Field::ActorKind, &self.actor_kind),
            (Field::ActorId, &self.actor_id),
        ];
        for (field, value) in exact {
            if let Some(v) = value {
                push(field, Op::Eq, Operand::text(v));
            }
        }
        if let Some(v) = &self.since {
            push(Field::Ts, Op::AtLeast, Operand::text(v));
        }
        if let Some(v) = &self.until {
            push(Field::Ts, Op::Below, Operand::text(v));
        }
        if let Some(v) = &self.correlation_id {
            push(Field::CorrelationId, Op::Eq, Operand::text(v));
        }
        if let Some(v) = &self.writer {
            push(Field::Writer, Op::Eq, Operand::text(v));
        }
        if let Some(v) = self.from_seq {
            push(Field::Seq, Op::AtLeast, Operand::Number(v));
        }
        out
    }

    /// The filter in memory, for lines read while following the log and
    /// for checking what the index found.
    pub fn matches(&self, e: &Event) -> bool {
        self.conditions().iter().all(|c| c.holds(e))
    }
}

impl Field {
    /// The index column.
    pub fn column(self) -> &'static str {
        match self {
            Field::Type => "type",
            Field::StreamType => "stream_type",
            Field::StreamId => "stream_id",
            Field::ActorKind => "actor_kind",
            Field::ActorId => "actor_id",
            Field::Ts => "ts",
            Field::CorrelationId => "correlation_id",
            Field::Writer => "writer",
            Field::Seq => "seq",
        }
    }

    /// The event's value of the field; none for a correlation id it does
    /// not have (NULL in the index).
    pub fn of(self, e: &Event) -> Option<Operand<'_>> {
        let text = match self {
            Field::Type => &e.kind,
            Field::StreamType => &e.stream.kind,
            Field::StreamId => &e.stream.id,
            Field::ActorKind => &e.actor.kind,
            Field::ActorId => &e.actor.id,
            Field::Ts => &e.ts,
            Field::CorrelationId => e.correlation_id.as_ref()?,
            Field::Writer => &e.writer,
            Field::Seq => return Some(Operand::Number(e.seq)),
        };
        Some(Operand::text(text))
    }
}

impl Op {
    /// The SQL operator.
    pub fn sql(self) -> &'static str {
        match self {
            Op::Eq => "=",
            Op::AtLeast => ">=",
            Op::Below => "<",
        }
    }

    /// Whether a field that compares with the value as `ordering` passes.
    fn accepts(self, ordering: Ordering) -> bool {
        match self {
            Op::Eq => ordering.is_eq(),
            Op::AtLeast => ordering.is_ge(),
            Op::Below => ordering.is_lt(),
        }
    }
}

impl Condition<'_> {
    /// Whether `e` meets the condition. A missing field meets none, as a
    /// NULL column compares false in SQL.
    pub fn holds(&self, e: &Event) -> bool {
        let ordering = match (self.field.of(e), &self.value) {
            (Some(Operand::Text(have)), Operand::Text(want)) => have.as_ref().cmp(want.as_ref()),
            (Some(Operand::Number(have)), Operand::Number(want)) => have.cmp(want),
            _ => return false,
        };
        self.op.accepts(ordering)
    }

    /// The condition as SQL with one `?` for its value, and the value.
    /// Numbers are bound as SQLite's integers, as the index stores them.
    pub fn sql(&self) -> (String, rusqlite::types::Value) {
        let value = match &self.value {
            Operand::Text(t) => rusqlite::types::Value::Text(t.to_string()),
            Operand::Number(n) => rusqlite::types::Value::Integer(*n as i64),
        };
        (
            format!("{} {} ?", self.field.column(), self.op.sql()),
            value,
        )
    }
}
