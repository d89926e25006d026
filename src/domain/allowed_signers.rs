//! `.codexa/allowed_signers`, read the way `ssh-keygen -Y verify` reads
//! it (git's allowed-signers format: `PRINCIPALS [OPTIONS] KEYTYPE KEY
//! [COMMENT]` per line), for `codexa doctor`: is the file well formed, and
//! is the current person's key listed for their principal? Verification
//! itself is left to ssh-keygen; this only explains.

use std::path::Path;

use crate::config::{self, Finding};
use crate::domain::signature::{self, ALLOWED_SIGNERS, Settings};
use crate::store::Store;

/// One line of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub line: usize,
    /// Comma-separated patterns (`*`, `?`, a leading `!` negates).
    pub principals: String,
    pub key_type: String,
    pub key: String,
}

/// A line that is not an allowed signer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub line: usize,
    pub message: String,
}

/// Split on blanks, keeping double-quoted runs (option values) whole.
fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                cur.push(c);
            }
            c if c.is_whitespace() && !quoted => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
            c => cur.push(c),
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn is_key_type(word: &str) -> bool {
    ["ssh-", "ecdsa-sha2-", "sk-ssh-", "sk-ecdsa-sha2-"]
        .iter()
        .any(|p| word.starts_with(p))
}

fn is_base64(word: &str) -> bool {
    !word.is_empty()
        && word
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='))
}

/// Every entry, or every line that is not one.
pub fn parse(text: &str) -> std::result::Result<Vec<Entry>, Vec<ParseError>> {
    let mut entries = Vec::new();
    let mut errors = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let trimmed = raw.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let w = words(trimmed);
        // Options sit between the principals and the key type.
        let at = match w.get(1) {
            Some(t) if is_key_type(t) => 1,
            Some(_) => 2,
            None => w.len(),
        };
        match (w.get(at), w.get(at + 1)) {
            (Some(kt), Some(key)) if is_key_type(kt) && is_base64(key) => entries.push(Entry {
                line,
                principals: w[0].clone(),
                key_type: kt.clone(),
                key: key.clone(),
            }),
            _ => errors.push(ParseError {
                line,
                message: "expected `PRINCIPALS [OPTIONS] KEYTYPE KEY`, e.g. `you@example.com ssh-ed25519 AAAA…`".into(),
            }),
        }
    }
    if errors.is_empty() {
        Ok(entries)
    } else {
        Err(errors)
    }
}

/// `*` and `?` wildcards, as OpenSSH matches patterns.
fn glob(pattern: &[u8], text: &[u8]) -> bool {
    match (pattern.first(), text.first()) {
        (None, None) => true,
        (Some(b'*'), _) => {
            glob(&pattern[1..], text) || (!text.is_empty() && glob(pattern, &text[1..]))
        }
        (Some(b'?'), Some(_)) => glob(&pattern[1..], &text[1..]),
        (Some(p), Some(t)) if p.eq_ignore_ascii_case(t) => glob(&pattern[1..], &text[1..]),
        _ => false,
    }
}

/// Does a comma-separated pattern list take `principal`? A negated match
/// refuses whatever else matches.
pub fn principal_matches(patterns: &str, principal: &str) -> bool {
    let mut taken = false;
    for p in patterns.split(',') {
        match p.strip_prefix('!') {
            Some(neg) if glob(neg.as_bytes(), principal.as_bytes()) => return false,
            Some(_) => {}
            None => taken |= glob(p.as_bytes(), principal.as_bytes()),
        }
    }
    taken
}

/// The public half of a key file: the file itself when it is one, else
/// `KEY.pub` beside it. `(type, base64)`.
fn public_key(key: &Path) -> Option<(String, String)> {
    let candidates = [key.to_path_buf(), {
        let mut p = key.as_os_str().to_owned();
        p.push(".pub");
        p.into()
    }];
    candidates.iter().find_map(|p: &std::path::PathBuf| {
        let text = std::fs::read_to_string(p).ok()?;
        let mut w = text.split_whitespace();
        let (kt, b64) = (w.next()?, w.next()?);
        (is_key_type(kt) && is_base64(b64)).then(|| (kt.to_string(), b64.to_string()))
    })
}

const CHECK: &str = "approvals.signatures";

/// `approvals.signatures` for `codexa doctor`: the setting, the allowed
/// signers file, and whether this person's key is listed in it.
pub fn doctor(store: &Store) -> Vec<Finding> {
    let Ok(resolved) = config::load(&store.workdir) else {
        // The config's own findings say what is wrong with it.
        return Vec::new();
    };
    let settings = Settings::from_config(&resolved.approvals);
    let path = store.workdir.join(ALLOWED_SIGNERS);
    let file = Some(ALLOWED_SIGNERS.to_string());
    let text = std::fs::read_to_string(&path).ok();
    if !settings.require && text.is_none() {
        return vec![Finding::ok(
            CHECK,
            "off: approval decisions are not signed (approvals.require_signature)",
            None,
        )];
    }
    let mut out = Vec::new();
    if settings.require && crate::domain::signature::trusted_ssh_keygen().is_none() {
        out.push(Finding::error(
            CHECK,
            "approvals.require_signature is on but no ssh-keygen is on PATH in a folder only root can write: no decision can be signed or verified",
            Some("install OpenSSH's client tools from the system's packages (e.g. `apt-get install openssh-client`, which puts ssh-keygen in /usr/bin)".into()),
            None,
            None,
        ));
    }
    let Some(text) = text else {
        out.push(Finding::error(
            CHECK,
            format!("approvals.require_signature is on but there is no {ALLOWED_SIGNERS}: no decision counts"),
            Some(format!(
                "list each person who decides: `echo \"you@example.com $(cat ~/.ssh/id_ed25519.pub)\" >> {ALLOWED_SIGNERS}`, then commit it"
            )),
            file,
            None,
        ));
        return out;
    };
    let entries = match parse(&text) {
        Ok(entries) => entries,
        Err(errors) => {
            for e in errors {
                out.push(Finding::error(
                    CHECK,
                    format!(
                        "{ALLOWED_SIGNERS}:{} is not an allowed signer: {}",
                        e.line, e.message
                    ),
                    Some(format!(
                        "fix or remove line {} of {ALLOWED_SIGNERS}",
                        e.line
                    )),
                    file.clone(),
                    Some(e.line),
                ));
            }
            return out;
        }
    };
    let state = if settings.require { "on" } else { "off" };
    match signature::signer(store, &settings) {
        Err(e) => out.push(Finding::warn(
            CHECK,
            format!(
                "require_signature {state}, {} signer(s) in {ALLOWED_SIGNERS}; you cannot sign: {}",
                entries.len(),
                e.message()
            ),
            e.hint_text().map(str::to_string),
            file,
        )),
        Ok(signer) => match public_key(&signer.key) {
            None => out.push(Finding::warn(
                CHECK,
                format!(
                    "cannot read the public half of {} (from {})",
                    signer.key.display(),
                    signer.key_from
                ),
                Some(format!(
                    "write it beside the key: `ssh-keygen -y -f {k} > {k}.pub`",
                    k = signer.key.display()
                )),
                file,
            )),
            Some((kt, b64)) => {
                let listed = entries.iter().any(|e| {
                    e.key_type == kt
                        && e.key == b64
                        && principal_matches(&e.principals, &signer.principal)
                });
                if listed {
                    out.push(Finding::ok(
                        CHECK,
                        format!(
                            "require_signature {state}; your key {} is listed for {} in {ALLOWED_SIGNERS} ({} signer(s))",
                            signer.key.display(),
                            signer.principal,
                            entries.len()
                        ),
                        file,
                    ));
                } else {
                    out.push(Finding::warn(
                        CHECK,
                        format!(
                            "require_signature {state}; your key {} is not listed for {} in {ALLOWED_SIGNERS}: your decisions would not count",
                            signer.key.display(),
                            signer.principal
                        ),
                        Some(format!(
                            "echo \"{} {kt} {b64}\" >> {ALLOWED_SIGNERS}, then have it reviewed and committed",
                            signer.principal
                        )),
                        file,
                    ));
                }
            }
        },
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_parse_with_and_without_options() {
        let text = "# people who decide\n\
                    a@x.org ssh-ed25519 AAAAC3Nz comment here\n\
                    \n\
                    b@x.org,c@x.org namespaces=\"git,codexa-approval@v1\" ssh-rsa AAAAB3Nz\n";
        let e = parse(text).unwrap();
        assert_eq!(e.len(), 2);
        assert_eq!((e[0].line, e[0].key_type.as_str()), (2, "ssh-ed25519"));
        assert_eq!(e[1].principals, "b@x.org,c@x.org");
        assert_eq!(e[1].key, "AAAAB3Nz");
    }

    #[test]
    fn broken_lines_are_named() {
        let err = parse("a@x.org ssh-ed25519 AAAA\nnot a signer\nb@x.org\n").unwrap_err();
        assert_eq!(err.iter().map(|e| e.line).collect::<Vec<_>>(), vec![2, 3]);
    }

    #[test]
    fn principals_match_as_openssh_does() {
        assert!(principal_matches("a@x.org", "a@x.org"));
        assert!(principal_matches("*@x.org", "a@x.org"));
        assert!(principal_matches("b@y,?@x.org", "a@x.org"));
        assert!(!principal_matches("*@x.org,!a@x.org", "a@x.org"));
        assert!(!principal_matches("b@x.org", "a@x.org"));
    }
}
