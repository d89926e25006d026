//! YAML as codexa reads it: one document, parsed with saphyr into a
//! `serde_json::Value` (so JSON Schema can check it) plus a map from each
//! node's JSON pointer to the line that wrote it (so a schema error can name
//! `file:line`). Anchors, aliases, custom tags and non-string keys are
//! refused: an alias would make one line stand for values in several places,
//! and a config that reads differently in YAML and in JSON is a trap.

use std::collections::BTreeMap;

use saphyr::{MarkedYaml, Scalar, YamlData};
use serde_json::{Map, Number, Value};

/// A parsed document: the value and, for every node, the 1-based line of the
/// key (for a mapping entry) or the item (for a sequence entry) that set it.
#[derive(Debug, Clone, PartialEq)]
pub struct Doc {
    pub value: Value,
    pub lines: BTreeMap<String, usize>,
}

/// Why a document could not be read, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub line: usize,
    pub message: String,
    pub fix: String,
}

/// How deeply lists and mappings may nest. codexa's own files nest a few
/// levels; the limit is there so that a file built to be deep (an agent
/// can write `.codexa/`) is an error, not a stack overflow: both building
/// the tree and dropping it recurse once per level.
pub const MAX_DEPTH: usize = 64;

/// Parse `src`. An empty document (nothing, or only comments) is `null` at
/// line 1; callers decide whether that means "no settings".
pub fn parse(src: &str) -> Result<Doc, YamlError> {
    let docs = load(src).map_err(|e| match e {
        Loading::TooDeep(line) => YamlError {
            line: line.max(1),
            message: format!("lists and mappings nest more than {MAX_DEPTH} levels deep here"),
            fix: format!(
                "flatten the structure: codexa's files need a few levels, never {MAX_DEPTH}"
            ),
        },
        Loading::Syntax(e) => YamlError {
            line: e.marker().line().max(1),
            message: format!("YAML syntax error: {}", e.info()),
            fix: "correct the YAML at that line (indentation, a missing `:` or an unclosed quote are the usual causes)".into(),
        },
    })?;
    let mut docs = docs.into_iter();
    let Some(root) = docs.next() else {
        return Ok(Doc {
            value: Value::Null,
            lines: BTreeMap::from([(String::new(), 1)]),
        });
    };
    if let Some(second) = docs.next() {
        // Point at the `---` that starts the second document, not at its
        // first value: that marker is what the user has to remove.
        let content = second.span.start.line().max(1);
        let marker = src
            .lines()
            .take(content)
            .enumerate()
            .filter(|(_, l)| l.starts_with("---"))
            .map(|(i, _)| i + 1)
            .last();
        return Err(YamlError {
            line: marker.unwrap_or(content),
            message: "the file holds more than one YAML document (a second `---`)".into(),
            fix: "keep one document: remove the extra `---` and merge what follows into the first"
                .into(),
        });
    }
    // Index by character, as saphyr's markers count characters, not bytes.
    let chars: Vec<char> = src.chars().collect();
    let mut conv = Converter {
        chars: &chars,
        lines: BTreeMap::new(),
    };
    // An empty document comes back as a bad value with no content.
    if matches!(root.data, YamlData::BadValue) && src_is_blank(src) {
        conv.lines.insert(String::new(), 1);
        return Ok(Doc {
            value: Value::Null,
            lines: conv.lines,
        });
    }
    let line = root.span.start.line().max(1);
    let value = conv.node(&root, "", line)?;
    Ok(Doc {
        value,
        lines: conv.lines,
    })
}

/// Why loading stopped.
enum Loading {
    /// Nesting past `MAX_DEPTH`, at this line.
    TooDeep(usize),
    Syntax(saphyr::ScanError),
}

/// Load the documents in `src`, refusing nesting deeper than `MAX_DEPTH`
/// as the parser's events arrive, before the tree gets that deep. The
/// events are fed to saphyr's loader one by one: its own `load` walks the
/// document recursively, one call per level, as does dropping a tree.
fn load(src: &str) -> Result<Vec<MarkedYaml<'_>>, Loading> {
    use saphyr_parser::{Event, Parser, SpannedEventReceiver};
    let mut loader = saphyr::YamlLoader::<MarkedYaml<'_>>::default();
    let mut depth = 0usize;
    for item in Parser::new_from_str(src) {
        let (event, span) = match item {
            Ok(found) => found,
            // The scanner's own limit on brackets (255 levels, reached
            // while it looks ahead) is this same refusal.
            Err(e) if e.info() == "recursion limit exceeded" => {
                return Err(Loading::TooDeep(e.marker().line()));
            }
            Err(e) => return Err(Loading::Syntax(e)),
        };
        match event {
            Event::SequenceStart(..) | Event::MappingStart(..) => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(Loading::TooDeep(span.start.line()));
                }
            }
            Event::SequenceEnd | Event::MappingEnd => depth = depth.saturating_sub(1),
            _ => {}
        }
        loader.on_event(event, span);
        if let Some(e) = loader.error() {
            return Err(Loading::Syntax(e.clone()));
        }
    }
    Ok(loader.into_documents())
}

/// True when the text has nothing but whitespace, comments and document
/// markers: saphyr represents that as a bad value, which is not an error.
fn src_is_blank(src: &str) -> bool {
    src.lines().all(|l| {
        let t = l.trim();
        t.is_empty() || t.starts_with('#') || t == "---" || t == "..."
    })
}

/// Escape one JSON pointer segment (RFC 6901), as jsonschema reports them.
pub fn escape_segment(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

struct Converter<'a> {
    chars: &'a [char],
    lines: BTreeMap<String, usize>,
}

impl Converter<'_> {
    /// Convert one node found at `pointer`; `line` is where its key (or the
    /// item itself) begins, recorded as the line that set this pointer.
    fn node(
        &mut self,
        node: &MarkedYaml<'_>,
        pointer: &str,
        line: usize,
    ) -> Result<Value, YamlError> {
        self.lines.insert(pointer.to_string(), line);
        let here = node.span.start.line().max(1);
        self.refuse_anchor_or_alias(node, here)?;
        match &node.data {
            YamlData::Value(scalar) => scalar_to_json(scalar, here),
            YamlData::Sequence(items) => {
                let mut out = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    let item_line = item.span.start.line().max(1);
                    out.push(self.node(item, &format!("{pointer}/{i}"), item_line)?);
                }
                Ok(Value::Array(out))
            }
            YamlData::Mapping(entries) => {
                let mut out = Map::new();
                for (key, value) in entries {
                    let key_line = key.span.start.line().max(1);
                    self.refuse_anchor_or_alias(key, key_line)?;
                    let name = match &key.data {
                        YamlData::Value(Scalar::String(s)) => s.to_string(),
                        other => {
                            let shown = match other {
                                YamlData::Value(s) => scalar_to_json(s, key_line)
                                    .map(|v| v.to_string())
                                    .unwrap_or_else(|_| "?".into()),
                                YamlData::Sequence(_) => "a list".into(),
                                YamlData::Mapping(_) => "a mapping".into(),
                                _ => "a non-string value".into(),
                            };
                            return Err(YamlError {
                                line: key_line,
                                message: format!("mapping key {shown} is not a string"),
                                fix: format!(
                                    "quote the key (e.g. \"{}\": …); codexa's keys are names",
                                    shown.trim_matches('"')
                                ),
                            });
                        }
                    };
                    let child = format!("{pointer}/{}", escape_segment(&name));
                    let v = self.node(value, &child, key_line)?;
                    out.insert(name, v);
                }
                Ok(Value::Object(out))
            }
            YamlData::Tagged(tag, _) => Err(YamlError {
                line: here,
                message: format!("YAML tag `{tag}` is not supported"),
                fix: "remove the tag; write the value plainly (quote it to make it a string)".into(),
            }),
            YamlData::Alias(_) => Err(alias_error(here)),
            YamlData::BadValue | YamlData::Representation(..) => Err(YamlError {
                line: here,
                message: "a value that cannot be read (a tag that does not fit its value, or an empty document)".into(),
                fix: "write the value plainly, without a `!!` tag".into(),
            }),
        }
    }

    /// saphyr expands aliases while loading, so they are found in the text:
    /// a node's span starts at its properties, and a plain scalar can never
    /// begin with `&` or `*`, so either character there is an anchor or an
    /// alias (after an optional `!tag`).
    fn refuse_anchor_or_alias(&self, node: &MarkedYaml<'_>, line: usize) -> Result<(), YamlError> {
        let mut i = node.span.start.index();
        if self.chars.get(i) == Some(&'!') {
            while i < self.chars.len() && !self.chars[i].is_whitespace() {
                i += 1;
            }
            while i < self.chars.len() && (self.chars[i] == ' ' || self.chars[i] == '\t') {
                i += 1;
            }
        }
        match self.chars.get(i) {
            Some('&') => Err(YamlError {
                line,
                message: "YAML anchors (`&name`) are not supported".into(),
                fix:
                    "write the value out in full; to share settings between projects use `extends`"
                        .into(),
            }),
            Some('*') => Err(alias_error(line)),
            _ => Ok(()),
        }
    }
}

fn alias_error(line: usize) -> YamlError {
    YamlError {
        line,
        message: "YAML aliases (`*name`) are not supported".into(),
        fix: "write the value out in full; to share settings between projects use `extends`".into(),
    }
}

fn scalar_to_json(scalar: &Scalar<'_>, line: usize) -> Result<Value, YamlError> {
    Ok(match scalar {
        Scalar::Null => Value::Null,
        Scalar::Boolean(b) => Value::Bool(*b),
        Scalar::Integer(i) => Value::Number((*i).into()),
        Scalar::FloatingPoint(f) => {
            let f = f.into_inner();
            Value::Number(Number::from_f64(f).ok_or_else(|| YamlError {
                line,
                message: format!("the number {f} cannot be represented in JSON"),
                fix: "use a finite number, or quote it to make it a string".into(),
            })?)
        }
        Scalar::String(s) => Value::String(s.to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn maps_pointers_to_lines() {
        let doc = parse(
            "version: 1\nstore:\n  segment_max_bytes: 70000\nextends:\n  - a.yaml\n  - b.yaml\n",
        )
        .unwrap();
        assert_eq!(
            doc.value,
            json!({"version": 1, "store": {"segment_max_bytes": 70000}, "extends": ["a.yaml", "b.yaml"]})
        );
        assert_eq!(doc.lines["/version"], 1);
        assert_eq!(doc.lines["/store"], 2);
        assert_eq!(doc.lines["/store/segment_max_bytes"], 3);
        assert_eq!(doc.lines["/extends"], 4);
        assert_eq!(doc.lines["/extends/0"], 5);
        assert_eq!(doc.lines["/extends/1"], 6);
    }

    #[test]
    fn escapes_pointer_segments() {
        let doc = parse("\"a/b\":\n  \"c~d\": 1\n").unwrap();
        assert_eq!(doc.lines["/a~1b/c~0d"], 2);
    }

    #[test]
    fn scalars_convert() {
        let doc = parse("a: ~\nb: true\nc: 1.5\nd: '7'\ne: \"x\"\nf: -3\n").unwrap();
        assert_eq!(
            doc.value,
            json!({"a": null, "b": true, "c": 1.5, "d": "7", "e": "x", "f": -3})
        );
    }

    #[test]
    fn empty_and_comment_only_documents_are_null() {
        assert_eq!(parse("").unwrap().value, Value::Null);
        assert_eq!(parse("# nothing here\n\n").unwrap().value, Value::Null);
    }

    #[test]
    fn syntax_error_names_line() {
        let err = parse("version: 1\nstore:\n  a: [1, 2\n").unwrap_err();
        assert!(err.message.starts_with("YAML syntax error"), "{err:?}");
        assert!(err.line >= 3, "{err:?}");
        let err = parse("a: 1\nb: \"unclosed\nc: 2\n").unwrap_err();
        assert!(err.line >= 2, "{err:?}");
    }

    #[test]
    fn duplicate_keys_are_refused() {
        let err = parse("a: 1\nb: 2\na: 3\n").unwrap_err();
        assert!(err.message.contains("duplicated key"), "{err:?}");
        assert_eq!(err.line, 3);
    }

    #[test]
    fn anchors_and_aliases_are_refused() {
        let err = parse("base: &b\n  x: 1\nother: 2\n").unwrap_err();
        assert!(err.message.contains("anchors"), "{err:?}");
        assert_eq!(err.line, 1);
        let err = parse("a: &x 1\nb: 2\n").unwrap_err();
        assert!(err.message.contains("anchors"), "{err:?}");
        let err = parse("a: !!str &x 1\n").unwrap_err();
        assert!(err.message.contains("anchors"), "{err:?}");
        let err = parse("list:\n  - &i one\n  - *i\n").unwrap_err();
        assert!(err.message.contains("anchors"), "{err:?}");
        assert_eq!(err.line, 2);
        // Text that merely contains the characters is fine.
        let doc = parse("a: 'x &y *z'\nb: \"*\"\nc: a&b\n").unwrap();
        assert_eq!(doc.value, json!({"a": "x &y *z", "b": "*", "c": "a&b"}));
    }

    #[test]
    fn non_string_keys_are_refused() {
        let err = parse("ok: 1\n5: five\n").unwrap_err();
        assert!(err.message.contains("key 5 is not a string"), "{err:?}");
        assert_eq!(err.line, 2);
        let err = parse("true: 1\n").unwrap_err();
        assert!(err.message.contains("not a string"), "{err:?}");
    }

    #[test]
    fn custom_tags_are_refused() {
        let err = parse("a: 1\nb: !custom x\n").unwrap_err();
        assert!(err.message.contains("tag"), "{err:?}");
        assert_eq!(err.line, 2);
    }

    #[test]
    fn core_tags_are_accepted() {
        let doc = parse("a: !!str 5\n").unwrap();
        assert_eq!(doc.value, json!({"a": "5"}));
    }

    #[test]
    fn deep_nesting_is_refused_before_a_tree_is_built() {
        let deep = 20_000;
        let texts = [
            // Block lists nest on one line; flow collections in brackets.
            format!("{}x\n", "- ".repeat(deep)),
            format!("{}{}\n", "[".repeat(deep), "]".repeat(deep)),
            format!("{}1{}\n", "{a: ".repeat(deep), "}".repeat(deep)),
            format!(
                "x: 1\n{}",
                (0..200)
                    .map(|i| format!("{}a:\n", " ".repeat(i)))
                    .collect::<String>()
            ),
        ];
        for text in &texts {
            let err = parse(text).unwrap_err();
            assert!(err.message.contains("nest more than 64"), "{err:?}");
        }
        let err = parse(&texts[3]).unwrap_err();
        assert_eq!(err.line, 1 + MAX_DEPTH + 1, "{err:?}");
        // At the limit it reads.
        let fits = format!("{}x\n", "- ".repeat(MAX_DEPTH));
        assert!(parse(&fits).is_ok());
    }

    #[test]
    fn several_documents_are_refused() {
        let err = parse("a: 1\n---\nb: 2\n").unwrap_err();
        assert!(
            err.message.contains("more than one YAML document"),
            "{err:?}"
        );
        assert_eq!(err.line, 2);
    }
}

/// JSON read with object keys kept in the order they were written, so a
/// struct's fields come out in declaration order (a `serde_json::Value`
/// would sort them).
#[derive(serde::Deserialize)]
#[serde(untagged)]
enum Ordered {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Ordered>),
    Map(indexmap::IndexMap<String, Ordered>),
}

fn to_node(v: Ordered) -> saphyr::Yaml<'static> {
    use saphyr::Yaml;
    use std::borrow::Cow;
    match v {
        Ordered::Null => Yaml::Value(Scalar::Null),
        Ordered::Bool(b) => Yaml::Value(Scalar::Boolean(b)),
        Ordered::Int(i) => Yaml::Value(Scalar::Integer(i)),
        // Written as text: manifests keep numbers integral, and a float's
        // shortest form is what a reader expects anyway.
        Ordered::Float(f) => Yaml::Value(Scalar::String(Cow::Owned(f.to_string()))),
        Ordered::Str(s) => Yaml::Value(Scalar::String(Cow::Owned(s))),
        Ordered::Seq(items) => Yaml::Sequence(items.into_iter().map(to_node).collect()),
        Ordered::Map(m) => {
            let mut out = saphyr::Mapping::new();
            for (k, v) in m {
                out.insert(Yaml::Value(Scalar::String(Cow::Owned(k))), to_node(v));
            }
            Yaml::Mapping(out)
        }
    }
}

/// `value` as a YAML document, fields in declaration order, deterministic
/// (the same value always gives the same bytes), ending in a newline.
pub fn to_text<T: serde::Serialize>(value: &T) -> Result<String, String> {
    let json = serde_json::to_string(value).map_err(|e| e.to_string())?;
    let ordered: Ordered = serde_json::from_str(&json).map_err(|e| e.to_string())?;
    let mut out = String::new();
    saphyr::YamlEmitter::new(&mut out)
        .dump(&to_node(ordered))
        .map_err(|e| e.to_string())?;
    // The emitter starts documents with `---` and ends without a newline.
    let body = out.strip_prefix("---\n").unwrap_or(&out);
    Ok(format!("{body}\n"))
}

#[cfg(test)]
mod writing {
    use super::*;

    #[test]
    fn written_yaml_reads_back_in_field_order() {
        #[derive(serde::Serialize)]
        struct S {
            zeta: u32,
            alpha: Vec<&'static str>,
            text: &'static str,
            none: Option<u32>,
        }
        let text = to_text(&S {
            zeta: 1,
            alpha: vec!["yes", "a: b", "7"],
            text: "line",
            none: None,
        })
        .unwrap();
        assert!(text.starts_with("zeta: 1\nalpha:"), "{text}");
        let back = parse(&text).unwrap().value;
        assert_eq!(
            back,
            serde_json::json!({"zeta": 1, "alpha": ["yes", "a: b", "7"], "text": "line", "none": null})
        );
    }
}
