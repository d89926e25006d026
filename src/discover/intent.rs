//! What each component is for, in its authors' words, with the source
//! named: the package description (already read with the manifest), else
//! the first paragraph of the component's README, else its module docs
//! (`//!` in `src/lib.rs` or `src/main.rs`, a Python package docstring, a
//! Go package comment).

use std::path::Path;

use super::components::Component;

/// Longest purpose kept, in characters.
const MAX_CHARS: usize = 300;

fn clip(text: &str) -> Option<String> {
    let one: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one.is_empty() {
        return None;
    }
    let mut out: String = one.chars().take(MAX_CHARS).collect();
    if one.chars().count() > MAX_CHARS {
        out.push('…');
    }
    Some(out)
}

/// The first paragraph of prose in a Markdown file: not a heading, a
/// badge line, an HTML tag or a code fence.
fn readme_paragraph(text: &str) -> Option<String> {
    let mut para: Vec<&str> = Vec::new();
    let mut fenced = false;
    for line in text.lines() {
        let t = line.trim();
        if t.starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if fenced {
            continue;
        }
        let noise = t.starts_with('#')
            || t.starts_with('<')
            || t.starts_with("[![")
            || t.starts_with("![")
            || t.starts_with('|')
            || t.starts_with("---");
        if t.is_empty() || noise {
            if !para.is_empty() {
                break;
            }
            continue;
        }
        para.push(t);
    }
    clip(&para.join(" "))
}

fn doc_comment(text: &str, marker: &str) -> Option<String> {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .skip_while(|l| l.is_empty() || l.starts_with("#!["))
        .take_while(|l| l.starts_with(marker))
        .map(|l| l[marker.len()..].trim())
        .take_while(|l| !l.is_empty())
        .collect();
    clip(&lines.join(" "))
}

fn python_docstring(text: &str) -> Option<String> {
    let t = text.trim_start();
    let quote = ["\"\"\"", "'''"].into_iter().find(|q| t.starts_with(q))?;
    let body = &t[3..];
    let end = body.find(quote)?;
    let first = body[..end].split("\n\n").next()?;
    clip(first)
}

fn join(dir: &str, file: &str) -> String {
    if dir == "." {
        file.to_string()
    } else {
        format!("{dir}/{file}")
    }
}

/// The purpose of the component in `dir`, and the file it came from.
fn find(root: &Path, dir: &str) -> Option<(String, String)> {
    let read = |rel: &str| std::fs::read_to_string(root.join(rel)).ok();
    for name in [
        "README.md",
        "README",
        "readme.md",
        "README.rst",
        "README.txt",
    ] {
        let rel = join(dir, name);
        if let Some(p) = read(&rel).as_deref().and_then(readme_paragraph) {
            return Some((p, rel));
        }
    }
    for file in ["src/lib.rs", "src/main.rs", "lib.rs", "main.rs"] {
        let rel = join(dir, file);
        if let Some(p) = read(&rel).as_deref().and_then(|t| doc_comment(t, "//!")) {
            return Some((p, rel));
        }
    }
    for file in ["__init__.py", "src/__init__.py", "__main__.py"] {
        let rel = join(dir, file);
        if let Some(p) = read(&rel).as_deref().and_then(python_docstring) {
            return Some((p, rel));
        }
    }
    for file in ["doc.go", "main.go"] {
        let rel = join(dir, file);
        if let Some(p) = read(&rel).as_deref().and_then(|t| doc_comment(t, "//")) {
            return Some((p, rel));
        }
    }
    None
}

/// Give every component without a declared purpose one from its files.
pub fn fill(root: &Path, components: &mut [Component]) {
    for c in components.iter_mut().filter(|c| c.purpose.is_none()) {
        if let Some((text, source)) = find(root, &c.path) {
            c.purpose = Some(text);
            c.purpose_source = Some(source);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readmes_give_their_first_paragraph() {
        let md = "# Shop\n\n[![ci](x)](y)\n\nThe shop sells\nthings online.\n\nMore.\n";
        assert_eq!(
            readme_paragraph(md).as_deref(),
            Some("The shop sells things online.")
        );
        assert_eq!(readme_paragraph("# Only a title\n"), None);
        let fenced = "```\ncode\n```\nProse after.\n";
        assert_eq!(readme_paragraph(fenced).as_deref(), Some("Prose after."));
    }

    #[test]
    fn module_docs_and_docstrings() {
        let rs = "#![warn(x)]\n//! Prices and\n//! discounts.\n//!\n//! Details.\nuse x;\n";
        assert_eq!(
            doc_comment(rs, "//!").as_deref(),
            Some("Prices and discounts.")
        );
        let py = "\"\"\"Billing helpers.\n\nLong text.\"\"\"\nimport os\n";
        assert_eq!(python_docstring(py).as_deref(), Some("Billing helpers."));
        assert_eq!(python_docstring("import os\n"), None);
    }
}
