//! The minijinja templates codexa renders into Markdown people and agents
//! read (`templates/*.j2`, embedded), each overridable by a file of the
//! same name in the project's `.codexa/templates/`.

use std::path::Path;

use serde::Serialize;

use crate::error::{Error, Result};

/// Every built-in template by name.
pub const BUILTIN: &[(&str, &str)] = &[
    (
        "change_zones.md.j2",
        include_str!("../templates/change_zones.md.j2"),
    ),
    (
        "intent_map.md.j2",
        include_str!("../templates/intent_map.md.j2"),
    ),
    ("focus.md.j2", include_str!("../templates/focus.md.j2")),
    ("plan.md.j2", include_str!("../templates/plan.md.j2")),
    ("seed.md.j2", include_str!("../templates/seed.md.j2")),
    ("wake.md.j2", include_str!("../templates/wake.md.j2")),
    (
        "governance.md.j2",
        include_str!("../templates/governance.md.j2"),
    ),
];

/// Where a template came from.
enum Origin {
    /// The project's override in `.codexa/templates/`.
    Override,
    /// Built into codexa.
    BuiltIn,
}

/// The template `name`: the project's override in `.codexa/templates/`, or
/// the built-in one; where it came from, and its name for error messages.
fn source(workdir: &Path, name: &str) -> Result<(String, Origin, String)> {
    let own = workdir.join(".codexa/templates").join(name);
    if own.is_file() {
        let text = fs_err::read_to_string(&own)?;
        return Ok((text, Origin::Override, format!(".codexa/templates/{name}")));
    }
    BUILTIN
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, t)| {
            let shown = format!("templates/{name} (built in)");
            (t.to_string(), Origin::BuiltIn, shown)
        })
        .ok_or_else(|| Error::internal(format!("no template `{name}`")))
}

/// `code`: text as a Markdown code span that survives a table: a fence of
/// more backticks than any run inside it, `|` escaped, line breaks as
/// spaces (a path may hold any of them).
fn code(text: String) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let body = text.replace(['\n', '\r'], " ").replace('|', "\\|");
    // A span that starts or ends with a backtick needs a space inside.
    let pad = if body.starts_with('`') || body.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{body}{pad}{fence}")
}

/// Render `name` with `context`.
pub fn render(workdir: &Path, name: &str, context: &impl Serialize) -> Result<String> {
    let (text, origin, shown) = source(workdir, name)?;
    let mut env = minijinja::Environment::new();
    if let Ok(syntax) = minijinja::syntax::SyntaxConfig::builder()
        .keep_trailing_newline(true)
        .build()
    {
        env.set_syntax(syntax);
    }
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    let bad = |e: minijinja::Error| {
        let line = e.line().map(|l| format!(" line {l}")).unwrap_or_default();
        let message = format!("template {shown}{line}: {e}");
        match origin {
            Origin::Override => Error::user(message)
                .hint("fix the template, or delete the override in .codexa/templates/ to use the built-in one"),
            // The built-in templates and what codexa gives them are tested
            // together: one that fails is codexa's bug.
            Origin::BuiltIn => Error::internal(message),
        }
    };
    env.add_filter("code", code);
    env.add_template_owned(name.to_string(), text)
        .map_err(bad)?;
    let tmpl = env.get_template(name).map_err(bad)?;
    tmpl.render(minijinja::value::Serde(context)).map_err(bad)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_spans_survive_tables() {
        assert_eq!(code("src/a.rs".into()), "`src/a.rs`");
        assert_eq!(code("a b/x|y.py".into()), "`a b/x\\|y.py`");
        assert_eq!(code("t`ick`.py".into()), "``t`ick`.py``");
        assert_eq!(code("`x".into()), "`` `x ``");
        assert_eq!(code("two\nlines".into()), "`two lines`");
    }

    #[test]
    fn overrides_win_and_errors_name_the_template() {
        let dir = tempfile::tempdir().unwrap();
        let ctx = serde_json::json!({"focus": "src", "head": null, "files": [], "code": 0,
            "complexity": 0, "functions": [], "partners": []});
        let built_in = render(dir.path(), "focus.md.j2", &ctx).unwrap();
        assert!(built_in.starts_with("# Focus: `src`"), "{built_in}");
        std::fs::create_dir_all(dir.path().join(".codexa/templates")).unwrap();
        std::fs::write(
            dir.path().join(".codexa/templates/focus.md.j2"),
            "F {{ focus }}\n",
        )
        .unwrap();
        assert_eq!(render(dir.path(), "focus.md.j2", &ctx).unwrap(), "F src\n");
        std::fs::write(
            dir.path().join(".codexa/templates/focus.md.j2"),
            "{{ nope.x }}\n",
        )
        .unwrap();
        let e = render(dir.path(), "focus.md.j2", &ctx).err().unwrap();
        assert!(
            e.message().contains(".codexa/templates/focus.md.j2 line 1"),
            "{}",
            e.message()
        );
        assert_eq!(e.kind(), crate::ErrorKind::User);
    }

    /// A built-in template that fails is codexa's bug, not the user's.
    #[test]
    fn a_failing_built_in_template_is_a_bug() {
        let dir = tempfile::tempdir().unwrap();
        let e = render(dir.path(), "focus.md.j2", &serde_json::json!({}))
            .err()
            .unwrap();
        assert_eq!(e.kind(), crate::ErrorKind::Internal, "{}", e.message());
        assert!(e.message().contains("templates/focus.md.j2 (built in)"));
        assert!(e.hint_text().is_some_and(|h| h.contains("bug in codexa")));
    }
}
