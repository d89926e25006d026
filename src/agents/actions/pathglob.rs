//! Matching a glob a command line writes to (`rm -rf .c*`) against the
//! control paths it could name, as bash expands it: `*`, `?`, `[…]` and
//! `{a,b}` within one path component, a leading `.` matched only literally.

use std::path::{Component, Path};

/// Whether `pattern` (with `*`, `?`, `[…]`, `{a,b}` per component) matches
/// `path` or one of its ancestors component by component. A leading `.`
/// must be matched literally, as bash's globs do.
pub(super) fn path_glob(pattern: &Path, path: &Path) -> bool {
    let pat: Vec<String> = pattern
        .components()
        .filter(|c| !matches!(c, Component::RootDir))
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let names: Vec<String> = path
        .components()
        .filter(|c| !matches!(c, Component::RootDir))
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    // Either may be the longer: a glob naming a control directory's
    // ancestor (`rm -rf .c*`) or a file inside one (`.codexa/*.yaml`).
    pat.iter().zip(&names).all(|(p, n)| {
        braces(p)
            .iter()
            .any(|alt| (n.starts_with('.') == alt.starts_with('.')) && fnmatch(alt, n))
    })
}

/// `a{b,c}d` → `abd`, `acd` (one level).
fn braces(p: &str) -> Vec<String> {
    if let (Some(open), Some(close)) = (p.find('{'), p.find('}'))
        && open < close
    {
        return p[open + 1..close]
            .split(',')
            .map(|alt| format!("{}{alt}{}", &p[..open], &p[close + 1..]))
            .collect();
    }
    vec![p.to_string()]
}

/// `*`, `?` and `[…]` against one name, in time proportional to their
/// lengths' product (a `*` is retried from one remembered place only).
fn fnmatch(pattern: &str, name: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    let (mut pi, mut ni) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ni < n.len() {
        let step = match p.get(pi) {
            Some('*') => {
                star = Some((pi, ni));
                pi += 1;
                continue;
            }
            Some('?') => Some(1),
            Some('[') => class(&p[pi..], n[ni]),
            Some(c) if *c == n[ni] => Some(1),
            _ => None,
        };
        match (step, star) {
            (Some(len), _) => {
                pi += len;
                ni += 1;
            }
            (None, Some((sp, sn))) => {
                pi = sp + 1;
                ni = sn + 1;
                star = Some((sp, sn + 1));
            }
            (None, None) => return false,
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

/// At `[`: the pattern length of the class when it matches `c` (a `[`
/// without its `]` is itself).
fn class(p: &[char], c: char) -> Option<usize> {
    let Some(end) = p.iter().skip(2).position(|&x| x == ']').map(|e| e + 2) else {
        return (c == '[').then_some(1);
    };
    let set = &p[1..end];
    let (negated, set) = match set.first() {
        Some('!' | '^') => (true, &set[1..]),
        _ => (false, set),
    };
    let mut hit = false;
    let mut k = 0;
    while k < set.len() {
        if k + 2 < set.len() && set[k + 1] == '-' {
            hit |= (set[k]..=set[k + 2]).contains(&c);
            k += 3;
        } else {
            hit |= set[k] == c;
            k += 1;
        }
    }
    (hit != negated).then_some(end + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_match_as_bash_does() {
        let p = |s: &str| std::path::PathBuf::from(s);
        assert!(path_glob(&p("/r/.c*"), &p("/r/.codexa")));
        assert!(path_glob(&p("/r/.c?dexa/*"), &p("/r/.codexa/policy.yaml")));
        assert!(path_glob(&p("/r/.[cg]*"), &p("/r/.git")));
        assert!(path_glob(&p("/r/.{git,x}"), &p("/r/.git")));
        assert!(!path_glob(&p("/r/*"), &p("/r/.codexa")));
        assert!(!path_glob(&p("/r/src/*"), &p("/r/.codexa")));
        assert!(fnmatch("*a*b", "xaab"));
        assert!(!fnmatch("*a*b", "xaaa"));
        assert!(fnmatch("[!x]?", "ab"));
        // A pattern of many stars costs little against a name that misses.
        let stars = format!("{}x", "*.".repeat(1000));
        assert!(!fnmatch(&stars, &".a".repeat(500)));
    }
}
