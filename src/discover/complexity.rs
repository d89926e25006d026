//! Cyclomatic complexity for `codexa discover`, per file and per function,
//! the way scc and lizard report it: 1 + the decision points. Rust, Python,
//! JavaScript/JSX, TypeScript/TSX and Go get a real parse (tree-sitter);
//! every other language gets a keyword count, flagged `estimated`, so a
//! guess never passes for a measurement.
//!
//! Counting rules (each decision point adds 1 to the file and to the
//! innermost named function around it; a function is 1 + its own points):
//! - `if`, and each `else if` / `elif` once; a plain `else` adds nothing.
//! - Each loop: Rust `for`/`while`/`loop` (`while let` too), Python
//!   `for`/`while`, JS/TS `for`/`for…in`/`for…of`/`while`/`do…while`, Go `for`.
//! - Each match/switch arm except a default: Rust every arm but a bare
//!   `_ =>`, Python every `case` but a bare `case _:`, JS/TS every `case`
//!   (not `default`), Go every `case` of `switch`, type switch and `select`
//!   (not `default`). A binding catch-all (`other =>`) counts: syntax cannot
//!   tell it from a test.
//! - A guard on an arm (Rust `pat if cond =>`, Python `case p if cond:`)
//!   adds 1 more, so `_ if cond =>` adds 1.
//! - Each `&&` and `||` (Python `and` / `or`), including Rust let-chains;
//!   not `??`, `&&=`, `||=`.
//! - Each ternary: JS/TS `a ? b : c`, Python `b if a else c`.
//! - Each `catch` (JS/TS) and `except` (Python) clause; `finally` adds nothing.
//! - Python comprehensions: each `for` and each `if` inside them.
//! - Not counted: Rust `?`, type-level conditionals (`T extends U ? X : Y`).
//!
//! Functions: Rust `fn` (`Type::method` in an impl, `Trait::method` for a
//! trait's default method), Python `def` (`Class.method`, nested classes
//! joined: `Outer.Inner.method`), JS/TS function declarations, methods
//! (`Class.method`) and object-literal methods, Go `func` and methods
//! (`Recv.Method`: the receiver's type name without `*` or type
//! parameters). A closure, lambda, arrow function, function expression or
//! Go func literal is a function of its own when bound to a name — a
//! variable (`let`, `const`, `var`, `:=`, `=`), an object key or a class
//! field — and is named after it; otherwise a function expression with a
//! name of its own keeps it, and an anonymous one counts toward its
//! enclosing function. Nested functions are functions of their own, under
//! their own name; their points are not their parent's.
//!
//! Estimate (no grammar): 1 + the words `if`, `elif`, `for`, `while`,
//! `case`, `catch`, `except` (case-sensitive, whole words) + each `&&` and
//! `||`, skipping lines that start with `//` or `#`; strings and block
//! comments are not recognised.

use std::cell::RefCell;
use std::collections::HashMap;

use tree_sitter::{Language, Node, Parser, Tree};

/// One function (or method, or a closure bound to a name) and its complexity.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FunctionComplexity {
    /// `name`, `Type::method` (Rust), `Class.method` (JS/TS/Python) or
    /// `Recv.Method` (Go).
    pub name: String,
    /// 1-based line the function starts on.
    pub line: u32,
    /// 1 + the decision points in its own body (nested functions excluded).
    pub complexity: u32,
}

/// A file's complexity and its functions'.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FileComplexity {
    /// The file's complexity: 1 + every decision point in the file (inside
    /// functions and at top level), so a file with no branches is 1.
    pub total: u32,
    /// True when the language has no grammar here and `total` is a
    /// keyword-count estimate (no functions listed).
    pub estimated: bool,
    /// In source order.
    pub functions: Vec<FunctionComplexity>,
}

/// Measure `source`. `language` is tokei's `LanguageType::name()`: "Rust",
/// "Python", "JavaScript", "JSX", "TypeScript", "TSX" and "Go" are parsed;
/// anything else is estimated. Never fails: a syntax error leaves ERROR nodes
/// in the tree and what parsed around them is still counted.
pub fn analyze(language: &str, source: &str) -> FileComplexity {
    let Some(lang) = Lang::from_name(language) else {
        return estimate(source);
    };
    match parse(lang, source) {
        Some(tree) => Walk::new(lang, source).run(&tree),
        // Only a grammar the linked tree-sitter cannot load gets here; a
        // keyword count is still better than no number.
        None => estimate(source),
    }
}

/// Does `language` (tokei's name) get a real parse rather than an estimate?
pub fn has_grammar(language: &str) -> bool {
    Lang::from_name(language).is_some()
}

/// The parsed languages. JSX is JavaScript's grammar (it includes JSX);
/// TSX needs its own, because `<T>` means a cast in one and a tag in the other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lang {
    Rust,
    Python,
    JavaScript,
    TypeScript,
    Tsx,
    Go,
}

/// How many `Lang`s there are: one cached parser slot each.
const LANGS: usize = 6;

impl Lang {
    fn from_name(name: &str) -> Option<Lang> {
        match name {
            "Rust" => Some(Lang::Rust),
            "Python" => Some(Lang::Python),
            "JavaScript" | "JSX" => Some(Lang::JavaScript),
            "TypeScript" => Some(Lang::TypeScript),
            "TSX" => Some(Lang::Tsx),
            "Go" => Some(Lang::Go),
            _ => None,
        }
    }

    fn grammar(self) -> Language {
        match self {
            Lang::Rust => tree_sitter_rust::LANGUAGE.into(),
            Lang::Python => tree_sitter_python::LANGUAGE.into(),
            Lang::JavaScript => tree_sitter_javascript::LANGUAGE.into(),
            Lang::TypeScript => tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
            Lang::Tsx => tree_sitter_typescript::LANGUAGE_TSX.into(),
            Lang::Go => tree_sitter_go::LANGUAGE.into(),
        }
    }

    fn is_js(self) -> bool {
        matches!(self, Lang::JavaScript | Lang::TypeScript | Lang::Tsx)
    }

    /// Between a container's name and a method's.
    fn separator(self) -> &'static str {
        match self {
            Lang::Rust => "::",
            _ => ".",
        }
    }
}

thread_local! {
    /// One parser per language per thread: `discover` measures files on a
    /// rayon pool, and a parser keeps its allocations between files.
    static PARSERS: RefCell<[Option<Parser>; LANGS]> = RefCell::new(Default::default());
}

fn parse(lang: Lang, source: &str) -> Option<Tree> {
    PARSERS.with(|cell| {
        let mut parsers = cell.borrow_mut();
        let slot = &mut parsers[lang as usize];
        if slot.is_none() {
            let mut parser = Parser::new();
            parser.set_language(&lang.grammar()).ok()?;
            *slot = Some(parser);
        }
        slot.as_mut()?.parse(source, None)
    })
}

/// What a node opened, closed again when the walk leaves it.
enum Scope {
    /// Index into the functions found so far.
    Function(usize),
    /// A class, impl or trait (its name qualifies the methods directly
    /// inside), or an unnamed one (an object literal, an anonymous class)
    /// that stops outer names from qualifying what is inside it.
    Container(Option<String>),
}

struct Frame {
    /// Tree depth of the node that opened the scope.
    depth: usize,
    scope: Scope,
}

/// One pass over the tree with a cursor: no recursion, so nesting depth is
/// bounded by memory, not by the stack.
struct Walk<'s> {
    lang: Lang,
    source: &'s str,
    total: u32,
    functions: Vec<FunctionComplexity>,
    scopes: Vec<Frame>,
    /// Function expressions about to be visited, by node id, with the name
    /// they are bound to (`const f = () => …`).
    bound: HashMap<usize, String>,
}

impl<'s> Walk<'s> {
    fn new(lang: Lang, source: &'s str) -> Self {
        Walk {
            lang,
            source,
            total: 1,
            functions: Vec::new(),
            scopes: Vec::new(),
            bound: HashMap::new(),
        }
    }

    fn run(mut self, tree: &Tree) -> FileComplexity {
        let mut cursor = tree.walk();
        let mut depth = 0usize;
        'walk: loop {
            while self.scopes.last().is_some_and(|f| f.depth >= depth) {
                self.scopes.pop();
            }
            self.visit(cursor.node(), depth);
            if cursor.goto_first_child() {
                depth += 1;
                continue;
            }
            while !cursor.goto_next_sibling() {
                if !cursor.goto_parent() {
                    break 'walk;
                }
                depth -= 1;
            }
        }
        FileComplexity {
            total: self.total,
            estimated: false,
            functions: self.functions,
        }
    }

    fn visit(&mut self, node: Node, depth: usize) {
        // Every node that counts is named; punctuation and keywords (half
        // the tree) are skipped before any string compare.
        if !node.is_named() {
            return;
        }
        let points = decision_points(self.lang, node);
        if points > 0 {
            self.count(points);
        }
        if let Some(name) = self.function_name(node) {
            let name = self.qualify(name);
            let line = u32::try_from(node.start_position().row + 1).unwrap_or(u32::MAX);
            self.functions.push(FunctionComplexity {
                name,
                line,
                complexity: 1,
            });
            let scope = Scope::Function(self.functions.len() - 1);
            self.scopes.push(Frame { depth, scope });
        } else if let Some(name) = container_name(self.lang, node, self.source) {
            let scope = Scope::Container(name);
            self.scopes.push(Frame { depth, scope });
        }
        if let Some((value, name)) = binding(self.lang, node, self.source) {
            self.bound.insert(value.id(), name);
        }
    }

    /// Add decision points to the file and to the innermost function.
    fn count(&mut self, points: u32) {
        self.total = self.total.saturating_add(points);
        let innermost = self.scopes.iter().rev().find_map(|f| match f.scope {
            Scope::Function(i) => Some(i),
            Scope::Container(_) => None,
        });
        if let Some(f) = innermost.and_then(|i| self.functions.get_mut(i)) {
            f.complexity = f.complexity.saturating_add(points);
        }
    }

    /// The name of the function `node` starts, if it starts a named one.
    fn function_name(&mut self, node: Node) -> Option<String> {
        match function_form(self.lang, node)? {
            Form::Declared => declared_name(self.lang, node, self.source),
            Form::Expression => self
                .bound
                .remove(&node.id())
                .or_else(|| field_text(node, "name", self.source)),
        }
    }

    /// Prefix the names of the containers the function sits directly in.
    fn qualify(&self, name: String) -> String {
        let mut parts = vec![name];
        for frame in self.scopes.iter().rev() {
            match &frame.scope {
                Scope::Container(Some(c)) => parts.push(c.clone()),
                Scope::Container(None) | Scope::Function(_) => break,
            }
        }
        parts.reverse();
        parts.join(self.lang.separator())
    }
}

/// How a function node gets its name.
enum Form {
    /// From its own `name` field (and a Go method from its receiver too).
    Declared,
    /// From what it is bound to, else its own name if any, else anonymous.
    Expression,
}

fn function_form(lang: Lang, node: Node) -> Option<Form> {
    let kind = node.kind();
    let form = match lang {
        Lang::Rust => match kind {
            "function_item" => Form::Declared,
            "closure_expression" => Form::Expression,
            _ => return None,
        },
        Lang::Python => match kind {
            "function_definition" => Form::Declared,
            "lambda" => Form::Expression,
            _ => return None,
        },
        Lang::JavaScript | Lang::TypeScript | Lang::Tsx => match kind {
            "function_declaration" | "generator_function_declaration" | "method_definition" => {
                Form::Declared
            }
            "arrow_function" | "function_expression" | "generator_function" => Form::Expression,
            _ => return None,
        },
        Lang::Go => match kind {
            "function_declaration" | "method_declaration" => Form::Declared,
            "func_literal" => Form::Expression,
            _ => return None,
        },
    };
    Some(form)
}

fn declared_name(lang: Lang, node: Node, source: &str) -> Option<String> {
    let name = field_text(node, "name", source)?;
    if lang == Lang::Go && node.kind() == "method_declaration" {
        let receiver = node
            .child_by_field_name("receiver")
            .and_then(|list| list.named_child(0))
            .and_then(|param| param.child_by_field_name("type"))
            .and_then(|ty| type_name(ty, source));
        if let Some(receiver) = receiver {
            return Some(format!("{receiver}.{name}"));
        }
    }
    Some(name)
}

/// A type's bare name: `*Srv[T]` → `Srv`, `&Foo<T>` → `Foo`.
fn type_name(mut ty: Node, source: &str) -> Option<String> {
    loop {
        let inner = match ty.kind() {
            "generic_type" | "reference_type" => ty.child_by_field_name("type"),
            "pointer_type" => ty.named_child(0),
            _ => None,
        };
        match inner {
            Some(inner) => ty = inner,
            None => return node_text(ty, source),
        }
    }
}

/// `Some(name)` for a named container, `Some(None)` for one that only
/// stops qualification, `None` for anything else.
fn container_name(lang: Lang, node: Node, source: &str) -> Option<Option<String>> {
    let kind = node.kind();
    match lang {
        Lang::Rust => match kind {
            "impl_item" => {
                let ty = node.child_by_field_name("type")?;
                Some(type_name(ty, source))
            }
            "trait_item" => Some(field_text(node, "name", source)),
            _ => None,
        },
        Lang::Python => (kind == "class_definition").then(|| field_text(node, "name", source)),
        Lang::JavaScript | Lang::TypeScript | Lang::Tsx => match kind {
            "class_declaration" | "class" | "abstract_class_declaration" => {
                Some(field_text(node, "name", source))
            }
            "object" => Some(None),
            _ => None,
        },
        Lang::Go => None,
    }
}

/// A binding of a function expression to a name: the value node and the name.
fn binding<'t>(lang: Lang, node: Node<'t>, source: &str) -> Option<(Node<'t>, String)> {
    let (target, value) = match (lang, node.kind()) {
        (Lang::Rust, "let_declaration") => (
            node.child_by_field_name("pattern")?,
            node.child_by_field_name("value")?,
        ),
        (Lang::Python, "assignment") => (
            node.child_by_field_name("left")?,
            node.child_by_field_name("right")?,
        ),
        (l, "variable_declarator") if l.is_js() => (
            node.child_by_field_name("name")?,
            node.child_by_field_name("value")?,
        ),
        (l, "assignment_expression") if l.is_js() => (
            node.child_by_field_name("left")?,
            node.child_by_field_name("right")?,
        ),
        (l, "pair") if l.is_js() => (
            node.child_by_field_name("key")?,
            node.child_by_field_name("value")?,
        ),
        (l, "field_definition") if l.is_js() => (
            node.child_by_field_name("property")?,
            node.child_by_field_name("value")?,
        ),
        (l, "public_field_definition") if l.is_js() => (
            node.child_by_field_name("name")?,
            node.child_by_field_name("value")?,
        ),
        (Lang::Go, "short_var_declaration" | "assignment_statement") => (
            only_named_child(node.child_by_field_name("left")?)?,
            only_named_child(node.child_by_field_name("right")?)?,
        ),
        (Lang::Go, "var_spec") => {
            // `var a, b = …` binds two names; only `var f = func…` names one.
            let mut cursor = node.walk();
            let mut names = node.children_by_field_name("name", &mut cursor);
            let target = names.next()?;
            names.next().is_none().then_some(())?;
            (
                target,
                only_named_child(node.child_by_field_name("value")?)?,
            )
        }
        _ => return None,
    };
    let names_a_function = matches!(function_form(lang, value), Some(Form::Expression));
    let simple_target = matches!(
        target.kind(),
        "identifier"
            | "attribute"
            | "member_expression"
            | "property_identifier"
            | "private_property_identifier"
            | "string"
            | "selector_expression"
    );
    if !(names_a_function && simple_target) {
        return None;
    }
    // A quoted object key (`"on-click": () => …`) is named without quotes.
    let name = node_text(target, source)?;
    let name = name.trim_matches(['"', '\'', '`']).to_string();
    (!name.is_empty()).then_some((value, name))
}

fn only_named_child(list: Node) -> Option<Node> {
    (list.named_child_count() == 1).then(|| list.named_child(0))?
}

/// How many decision points `node` itself is.
fn decision_points(lang: Lang, node: Node) -> u32 {
    let kind = node.kind();
    match lang {
        Lang::Rust => match kind {
            "if_expression" | "while_expression" | "loop_expression" | "for_expression" => 1,
            "match_arm" => rust_arm_points(node),
            "binary_expression" => logical_operator(node),
            "let_chain" => count_children(node, |k| matches!(k, "&&" | "||")),
            _ => 0,
        },
        Lang::Python => match kind {
            "if_statement"
            | "elif_clause"
            | "for_statement"
            | "while_statement"
            | "except_clause"
            | "conditional_expression"
            | "boolean_operator"
            | "for_in_clause"
            | "if_clause" => 1,
            "case_clause" => u32::from(!python_wildcard_case(node)),
            _ => 0,
        },
        Lang::JavaScript | Lang::TypeScript | Lang::Tsx => match kind {
            "if_statement" | "for_statement" | "for_in_statement" | "while_statement"
            | "do_statement" | "switch_case" | "catch_clause" | "ternary_expression" => 1,
            "binary_expression" => logical_operator(node),
            _ => 0,
        },
        Lang::Go => match kind {
            "if_statement" | "for_statement" | "expression_case" | "type_case"
            | "communication_case" => 1,
            "binary_expression" => logical_operator(node),
            _ => 0,
        },
    }
}

/// 1 for `&&` / `||`, 0 for any other binary operator.
fn logical_operator(node: Node) -> u32 {
    let op = node.child_by_field_name("operator").map(|o| o.kind());
    u32::from(matches!(op, Some("&&" | "||")))
}

fn count_children(node: Node, wanted: impl Fn(&str) -> bool) -> u32 {
    let mut cursor = node.walk();
    let n = node
        .children(&mut cursor)
        .filter(|c| wanted(c.kind()))
        .count();
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// An arm is 1 unless its pattern is a bare `_`; a guard adds 1.
fn rust_arm_points(arm: Node) -> u32 {
    let Some(pattern) = arm.child_by_field_name("pattern") else {
        return 1;
    };
    let wildcard = pattern.child(0).is_some_and(|c| c.kind() == "_");
    let guard = pattern.child_by_field_name("condition").is_some();
    u32::from(!wildcard) + u32::from(guard)
}

/// `case _:` (with or without a guard, which is counted as an `if_clause`).
fn python_wildcard_case(clause: Node) -> bool {
    let mut cursor = clause.walk();
    let patterns: Vec<Node> = clause
        .named_children(&mut cursor)
        .filter(|c| c.kind() == "case_pattern")
        .collect();
    match patterns.as_slice() {
        [only] => only.child_count() == 1 && only.child(0).is_some_and(|c| c.kind() == "_"),
        _ => false,
    }
}

fn field_text(node: Node, field: &str, source: &str) -> Option<String> {
    node_text(node.child_by_field_name(field)?, source)
}

/// A node's text with whitespace runs collapsed; `None` when empty (a
/// MISSING node the parser invented to recover from an error).
fn node_text(node: Node, source: &str) -> Option<String> {
    let text = source.get(node.byte_range())?;
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    (!text.is_empty()).then_some(text)
}

/// Words that open a decision in most languages, for the estimate.
const ESTIMATE_WORDS: [&str; 7] = ["if", "elif", "for", "while", "case", "catch", "except"];

/// The keyword count for languages without a grammar.
fn estimate(source: &str) -> FileComplexity {
    let points = source
        .lines()
        .filter(|line| {
            let line = line.trim_start();
            !(line.starts_with("//") || line.starts_with('#'))
        })
        .map(estimate_line)
        .fold(0u32, u32::saturating_add);
    FileComplexity {
        total: points.saturating_add(1),
        estimated: true,
        functions: Vec::new(),
    }
}

fn estimate_line(line: &str) -> u32 {
    let bytes = line.as_bytes();
    let mut points = 0u32;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if is_word_byte(b) {
            let start = i;
            while i < bytes.len() && is_word_byte(bytes[i]) {
                i += 1;
            }
            let word = &bytes[start..i];
            if ESTIMATE_WORDS.iter().any(|w| w.as_bytes() == word) {
                points += 1;
            }
        } else if (b == b'&' || b == b'|') && bytes.get(i + 1) == Some(&b) {
            points += 1;
            i += 2;
        } else {
            i += 1;
        }
    }
    points
}

/// Identifier bytes; non-ASCII counts as a letter so `éif` is not `if`.
fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The functions as `(name, line, complexity)`, for compact asserts.
    fn functions(r: &FileComplexity) -> Vec<(&str, u32, u32)> {
        r.functions
            .iter()
            .map(|f| (f.name.as_str(), f.line, f.complexity))
            .collect()
    }

    const RUST: &str = r#"struct Stack<T>(Vec<T>);
impl<T> Stack<T> {
    fn push(&mut self, v: T) {
        if self.full() && !self.grow() {
            return;
        } else if self.0.is_empty() {
            self.first = true;
        } else {
            self.first = false;
        }
        for _x in 0..3 {}
        while let Some(_y) = it.next() {}
        loop {
            break;
        }
        let _r = match v {
            A => 1,
            B | C => 2,
            D(n) if n > 0 => 3,
            _ => 4,
        };
        let _f = foo()?;
    }
}
trait Shape {
    fn area(&self) -> f64 {
        if a { 1.0 } else { 2.0 }
    }
    fn sides(&self) -> u32;
}
fn outer() -> u32 {
    fn inner(x: i32) -> u32 {
        if x > 1 || x < 0 { 1 } else { 0 }
    }
    let add = |a: u32| if a > 0 { a } else { 0 };
    items.iter().filter(|x| x.ok() && x.big()).count();
    if let Some(v) = opt && v > 2 {}
    match x {
        _ if c => 1,
        _ => 2,
    }
}
"#;

    #[test]
    fn rust_functions_methods_closures_and_arms() {
        let r = analyze("Rust", RUST);
        assert!(!r.estimated);
        assert_eq!(
            functions(&r),
            vec![
                // if, &&, else if, for, while let, loop, 3 arms + 1 guard.
                ("Stack::push", 3, 11),
                ("Shape::area", 26, 2),
                // &&, if let, let-chain &&, guard on `_` (the arms: 0).
                ("outer", 31, 5),
                ("inner", 32, 3),
                ("add", 35, 2),
            ]
        );
        assert_eq!(r.total, 1 + 10 + 1 + 4 + 2 + 1);
    }

    const PYTHON: &str = r#"import os

def top(a, b):
    if a and b or not a:
        return 1
    elif b:
        pass
    else:
        pass
    for i in range(3):
        while i:
            i -= 1
    try:
        pass
    except ValueError:
        pass
    except (KeyError, OSError):
        pass
    finally:
        pass
    x = 1 if a else 2
    ys = [y for y in b if y]
    def helper(z):
        if z:
            return z
    sq = lambda n: n if n else 0
    return sorted(b, key=lambda k: k or 0)

class Shape:
    @property
    def area(self):
        match self.kind:
            case "square":
                return 1
            case "circle" if self.r:
                return 2
            case _:
                return 0

    class Inner:
        def m(self):
            pass

if __name__ == "__main__":
    top(1, 2)
"#;

    #[test]
    fn python_defs_methods_nested_and_lambdas() {
        let r = analyze("Python", PYTHON);
        assert_eq!(
            functions(&r),
            vec![
                // if, and, or, elif, for, while, 2 except, ternary,
                // comprehension for + if, the anonymous lambda's `or`.
                ("top", 3, 13),
                ("helper", 23, 2),
                ("sq", 26, 2),
                // two cases, one guard; `case _` is not counted.
                ("Shape.area", 31, 4),
                ("Shape.Inner.m", 41, 1),
            ]
        );
        // The functions' points plus the top-level `if`.
        assert_eq!(r.total, 1 + 12 + 1 + 1 + 3 + 1);
    }

    const JAVASCRIPT: &str = r#"function classify(n) {
  if (n < 0) {
    return "neg";
  } else if (n === 0) {
    return "zero";
  } else {
    return n > 10 ? "big" : "small";
  }
}
const sum = (xs) => {
  let t = 0;
  for (const x of xs) { t += x; }
  for (let i = 0; i < 2; i++) {}
  while (t > 100 && t < 1000) { t--; }
  do { t++; } while (t < 0 || t > 5);
  xs.forEach((x) => { if (x) t++; });
  return t;
};
class Parser {
  parse(s) {
    switch (s) {
      case "a": return 1;
      case "b": return 2;
      default: return 0;
    }
  }
  handler = () => { try { run(); } catch (e) { log(e); } };
}
const legacy = function named() { return a ?? b; };
const api = { get(k) { return k || null; }, "on-load": () => 1 };
exports.run = function () {};
if (typeof module !== "undefined") module.exports = classify;
"#;

    #[test]
    fn javascript_declarations_arrows_and_classes() {
        let r = analyze("JavaScript", JAVASCRIPT);
        assert_eq!(
            functions(&r),
            vec![
                // if, else if, ternary.
                ("classify", 1, 4),
                // for…of, for, while + &&, do…while + ||, the callback's if.
                ("sum", 10, 8),
                ("Parser.parse", 20, 3),
                ("Parser.handler", 27, 2),
                // `??` is not counted.
                ("legacy", 29, 1),
                // Object-literal methods are not qualified.
                ("get", 30, 2),
                ("on-load", 30, 1),
                ("exports.run", 31, 1),
            ]
        );
        assert_eq!(r.total, 1 + 3 + 7 + 2 + 1 + 1 + 1);
        // JSX is the same grammar.
        assert_eq!(analyze("JSX", JAVASCRIPT), r);
    }

    const TYPESCRIPT: &str = r#"interface Shape { area(): number; }
export class Circle implements Shape {
  constructor(private r: number) {}
  area(): number {
    return this.r > 0 && this.r < 10 ? 3.14 * this.r * this.r : 0;
  }
}
export abstract class Base {
  abstract run(): void;
  helper = function (): void {};
}
function overload(a: string): string;
function overload(a: number): number;
function overload(a: any): any {
  if (typeof a === "string") { return a; }
  return a;
}
export const pick = <T>(xs: T[], ok: (x: T) => boolean): T | undefined => {
  for (const x of xs) { if (ok(x)) return x; }
  return undefined;
};
type Cond<T> = T extends string ? "s" : "n";
"#;

    #[test]
    fn typescript_methods_overloads_and_generic_arrows() {
        let r = analyze("TypeScript", TYPESCRIPT);
        assert_eq!(
            functions(&r),
            vec![
                ("Circle.constructor", 3, 1),
                ("Circle.area", 4, 3),
                // Abstract methods and overload signatures have no body.
                ("Base.helper", 10, 1),
                ("overload", 14, 2),
                ("pick", 18, 3),
            ]
        );
        // The conditional type is not a decision point.
        assert_eq!(r.total, 1 + 2 + 1 + 2);
    }

    #[test]
    fn tsx_components() {
        let src = r#"const List = ({ items }: { items: string[] }) => (
  <ul>{items.length > 0 && items.map((i) => <li key={i}>{i || "?"}</li>)}</ul>
);
function App(): JSX.Element {
  return <List items={[]} />;
}
"#;
        let r = analyze("TSX", src);
        assert_eq!(functions(&r), vec![("List", 1, 3), ("App", 4, 1)]);
        assert_eq!(r.total, 3);
    }

    const GO: &str = r#"package main

type Server struct{}

func (s *Server) Handle(req int) int {
	switch {
	case req < 0:
		return -1
	case req == 0 || req > 9:
		return 0
	default:
	}
	select {
	case v := <-ch:
		_ = v
	default:
	}
	for i := 0; i < 3; i++ {
		if i%2 == 0 && req > 0 {
			continue
		} else if i == 1 {
			break
		} else {
		}
	}
	return req
}

func (g Grid[T]) Size() int { return 0 }

func main() {
	worker := func(n int) bool { return n > 0 && n < 5 }
	go func() {
		if worker(1) {
		}
	}()
	switch x := any(1).(type) {
	case int:
		_ = x
	case string:
	default:
	}
}
"#;

    #[test]
    fn go_functions_methods_and_cases() {
        let r = analyze("Go", GO);
        assert_eq!(
            functions(&r),
            vec![
                // 2 cases + ||, 1 select case, for, if + &&, else if.
                ("Server.Handle", 5, 9),
                ("Grid.Size", 29, 1),
                // The goroutine's if, two type cases.
                ("main", 31, 4),
                ("worker", 32, 2),
            ]
        );
        assert_eq!(r.total, 1 + 8 + 3 + 1);
    }

    #[test]
    fn else_if_counts_once_and_plain_else_not_at_all() {
        let chain = "fn f(a: u8) { if a == 1 {} else if a == 2 {} else if a == 3 {} else {} }";
        assert_eq!(analyze("Rust", chain).functions[0].complexity, 4);
        let plain = "fn f(a: u8) { if a == 1 {} else {} }";
        assert_eq!(analyze("Rust", plain).functions[0].complexity, 2);
        let py = "def f(a):\n    if a:\n        pass\n    elif b:\n        pass\n    else:\n        pass\n";
        assert_eq!(analyze("Python", py).functions[0].complexity, 3);
        let js = "function f(a) { if (a) {} else if (b) {} else {} }";
        assert_eq!(analyze("JavaScript", js).functions[0].complexity, 3);
        let go = "package p\nfunc f() { if a {} else if b {} else {} }\n";
        assert_eq!(analyze("Go", go).functions[0].complexity, 3);
    }

    #[test]
    fn every_boolean_operator_counts() {
        let rust = "fn f() -> bool { a && b || c && !d }";
        assert_eq!(analyze("Rust", rust).functions[0].complexity, 4);
        let py = "def f():\n    return a and b or c and not d\n";
        assert_eq!(analyze("Python", py).functions[0].complexity, 4);
        let ts = "function f(): boolean { return a && b || c && !d || (e ?? g); }";
        assert_eq!(analyze("TypeScript", ts).functions[0].complexity, 5);
        // Comparisons and arithmetic are not decisions; a `||` closure is not `||`.
        let noise = "fn f() { let g = || a + b; let h = a == b | c; }";
        let r = analyze("Rust", noise);
        assert_eq!(functions(&r), vec![("f", 1, 1), ("g", 1, 1)]);
        assert_eq!(r.total, 1);
    }

    #[test]
    fn top_level_code_counts_toward_the_file_only() {
        let r = analyze("Python", "for x in y:\n    if x:\n        print(x)\n");
        assert_eq!(r.total, 3);
        assert!(r.functions.is_empty());
    }

    #[test]
    fn syntax_errors_are_counted_around_not_fatal() {
        let rust = "fn broken( { if x { \nfn fine(a: bool) { if a {} }\n";
        let r = analyze("Rust", rust);
        assert!(!r.estimated);
        assert!(r.total >= 2, "{r:?}");
        let py = "def f(:\n    if a:\n        pass\n    while (:\n";
        let r = analyze("Python", py);
        assert!(r.total >= 2, "{r:?}");
        for lang in ["JavaScript", "TypeScript", "TSX", "Go"] {
            let r = analyze(lang, "function ((( { if (a) {{{ case ? : && ]]] \u{0} é");
            assert!(r.total >= 1, "{lang}: {r:?}");
        }
    }

    #[test]
    fn empty_files_are_one() {
        for lang in [
            "Rust",
            "Python",
            "JavaScript",
            "JSX",
            "TypeScript",
            "TSX",
            "Go",
        ] {
            let r = analyze(lang, "");
            assert_eq!(
                r,
                FileComplexity {
                    total: 1,
                    estimated: false,
                    functions: vec![],
                },
                "{lang}"
            );
        }
        assert_eq!(analyze("Ruby", "").total, 1);
    }

    #[test]
    fn other_languages_are_estimated_from_keywords() {
        let shell = "#!/bin/sh\n# for each file, if any\nif [ -f x ] || [ -f y ]; then :; elif true; then :; fi\nfor f in *; do echo \"$f\"; done\n";
        let r = analyze("Shell", shell);
        assert_eq!(
            r,
            FileComplexity {
                total: 5,
                estimated: true,
                functions: vec![],
            }
        );
        // Whole words only; `elsif` is not in the list.
        let ruby = "def f(x)\n  if x && y\n    notify\n  elsif z\n  end\n  while true do end\n  case x when 1 then end\n  for_each(iffy)\nend\n";
        assert_eq!(analyze("Ruby", ruby).total, 5);
        assert!(!has_grammar("Ruby"));
        assert!(has_grammar("TSX") && has_grammar("JSX") && has_grammar("Go"));
    }

    #[test]
    fn deep_nesting_does_not_overflow_the_stack() {
        let depth = 5000;
        let src = format!(
            "fn f() {{ {} {} }}",
            "if a {".repeat(depth),
            "}".repeat(depth)
        );
        let r = analyze("Rust", &src);
        assert_eq!(r.total, 5001);
        assert_eq!(r.functions[0].complexity, 5001);
    }

    /// 10,000 lines of Rust: 1,000 functions of 10 lines and 4 points each.
    fn generated_rust() -> String {
        let mut src = String::new();
        for i in 0..1000 {
            src.push_str(&format!(
                "fn f{i}(a: u32, b: bool) -> u32 {{\n    if a > 1 && b {{\n        return 1;\n    }}\n    for x in 0..a {{\n        match x {{ 0 => return 2, _ => {{}} }}\n    }}\n    let g = |y: u32| y + 1;\n    g(a)\n}}\n"
            ));
        }
        src
    }

    #[test]
    #[allow(clippy::print_stderr)] // The timing is reported, not asserted: machines differ.
    fn a_ten_thousand_line_file_is_one_quick_pass() {
        let src = generated_rust();
        assert_eq!(src.lines().count(), 10_000);
        let start = std::time::Instant::now();
        let r = analyze("Rust", &src);
        let elapsed = start.elapsed();
        eprintln!("analyze: 10,000 lines of Rust in {elapsed:?}");
        assert_eq!(r.total, 4001);
        assert_eq!(r.functions.len(), 2000);
        assert_eq!(r.functions[0].complexity, 5);
        assert_eq!(r.functions[1].name, "g");
    }
}
