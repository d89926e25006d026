//! Reading a program's options as getopt does (with `+`: up to the first
//! operand), for the wrappers and tools whose options hide what they run.

use super::lex::Word;

/// One option as parsed: its letter or long name, and its value.
pub(super) struct Opt {
    pub(super) name: String,
    pub(super) value: Option<Word>,
}

impl Opt {
    fn is(&self, names: &[&str]) -> bool {
        names.contains(&self.name.as_str())
    }
}

/// A program's options: the letters and long names that take a value.
pub(super) struct Spec {
    pub(super) values: &'static str,
    pub(super) long_values: &'static [&'static str],
}

pub(super) const FLAGS_ONLY: Spec = Spec {
    values: "",
    long_values: &[],
};

/// Options up to the first operand (or past `--`), as getopt with `+`
/// reads them; and where the operands start.
pub(super) fn options(args: &[Word], spec: &Spec) -> (Vec<Opt>, usize) {
    let mut opts = Vec::new();
    let mut i = 0;
    while let Some(w) = args.get(i) {
        let t = w.text.as_str();
        if t == "--" {
            return (opts, i + 1);
        }
        if t == "-" || !t.starts_with('-') {
            break;
        }
        i += 1;
        if let Some(long) = t.strip_prefix("--") {
            match long.split_once('=') {
                Some((name, value)) => opts.push(Opt {
                    name: name.to_string(),
                    value: Some(Word {
                        text: value.to_string(),
                        ..w.clone()
                    }),
                }),
                None if spec.long_values.contains(&long) => {
                    opts.push(Opt {
                        name: long.to_string(),
                        value: args.get(i).cloned(),
                    });
                    i += 1;
                }
                None => opts.push(Opt {
                    name: long.to_string(),
                    value: None,
                }),
            }
            continue;
        }
        let letters = &t[1..];
        for (k, c) in letters.char_indices() {
            if spec.values.contains(c) {
                let rest = &letters[k + c.len_utf8()..];
                let value = if rest.is_empty() {
                    i += 1;
                    args.get(i - 1).cloned()
                } else {
                    Some(Word {
                        text: rest.to_string(),
                        ..w.clone()
                    })
                };
                opts.push(Opt {
                    name: c.to_string(),
                    value,
                });
                break;
            }
            opts.push(Opt {
                name: c.to_string(),
                value: None,
            });
        }
    }
    (opts, i.min(args.len()))
}

pub(super) fn has(opts: &[Opt], names: &[&str]) -> bool {
    opts.iter().any(|o| o.is(names))
}

pub(super) fn value<'o>(opts: &'o [Opt], names: &[&str]) -> Option<&'o Word> {
    opts.iter()
        .rev()
        .find(|o| o.is(names))
        .and_then(|o| o.value.as_ref())
}
