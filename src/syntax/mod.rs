//! Parsing: policy text → typed AST.
//!
//! pest does the recognising; [`lower`] and [`expr`] turn pest pairs into
//! [`crate::ast`] nodes, one function per grammar rule. Nothing pest-shaped
//! leaves this module. A file with several syntax errors reports each one: after
//! an error, parsing resumes at the next line that starts a declaration.

mod error;
mod expr;
mod limits;
mod lower;

use std::sync::Arc;

use pest::Parser as _;
use pest::error::{ErrorVariant, InputLocation};

pub use error::SyntaxError;
pub use limits::{MAX_DEFINITION_DEPTH, MAX_EXPR_DEPTH, MAX_NESTING, MAX_SOURCE_BYTES};

use crate::ast;
use crate::source::{SourceFile, Span};

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/rung.pest"]
struct RungParser;

/// What the REPL typed: declarations to add, or an expression to evaluate.
#[derive(Debug, Clone, PartialEq)]
pub enum ReplInput {
    /// One or more declarations.
    Decls(Vec<ast::Decl>),
    /// An expression.
    Expr(ast::Expr),
}

/// Words that start a declaration at the beginning of a line: where parsing
/// resumes after an error.
const DECL_STARTS: &[&str] = &[
    "enum", "record", "facts", "ladder", "let", "rules", "warn", "test",
];

/// Parses a whole policy file, reporting every syntax error it can find.
pub fn parse_file(file: &Arc<SourceFile>) -> Result<ast::File, Vec<SyntaxError>> {
    limits::check(file).map_err(|e| vec![e])?;
    match parse_range(file, 0, file.text.len()) {
        Ok(decls) => Ok(ast::File { decls }),
        Err(first) => Err(recover(file, first)),
    }
}

/// Parses the declarations in `file.text[start..end]`.
fn parse_range(
    file: &Arc<SourceFile>,
    start: usize,
    end: usize,
) -> Result<Vec<ast::Decl>, Vec<SyntaxError>> {
    let text = file.text.get(start..end).unwrap_or("");
    let mut pairs =
        RungParser::parse(Rule::file, text).map_err(|e| vec![from_pest(file, start, &e)])?;
    let lowerer = lower::Lowerer::new(file, start);
    let root = pairs
        .next()
        .ok_or_else(|| vec![lowerer.internal_at(start, "empty parse")])?;
    lowerer.file(root)
}

/// After a first error, parses each declaration-started chunk on its own.
fn recover(file: &Arc<SourceFile>, first: Vec<SyntaxError>) -> Vec<SyntaxError> {
    let starts = declaration_starts(&file.text);
    if starts.len() <= 1 {
        return first;
    }
    let mut errors = Vec::new();
    let mut bounds = starts.clone();
    bounds.push(file.text.len());
    for w in bounds.windows(2) {
        if let [a, b] = w
            && let Err(mut es) = parse_range(file, *a, *b)
        {
            errors.append(&mut es);
        }
    }
    // The text before the first declaration keyword (if any) is checked too.
    if let Some(&s) = starts.first()
        && s > 0
        && !file.text.get(..s).unwrap_or("").trim().is_empty()
        && let Err(mut es) = parse_range(file, 0, s)
    {
        es.append(&mut errors);
        errors = es;
    }
    if errors.is_empty() { first } else { errors }
}

/// Byte offsets of lines that begin (in column 0) with a declaration word.
fn declaration_starts(text: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let word: String = line
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if DECL_STARTS.contains(&word.as_str()) {
            out.push(offset);
        }
        offset += line.len();
    }
    out
}

/// Parses what was typed at the REPL prompt.
pub fn parse_repl(file: &Arc<SourceFile>) -> Result<ReplInput, Vec<SyntaxError>> {
    limits::check(file).map_err(|e| vec![e])?;
    let mut pairs = RungParser::parse(Rule::repl_input, &file.text)
        .map_err(|e| vec![from_pest(file, 0, &e)])?;
    let lowerer = lower::Lowerer::new(file, 0);
    let root = pairs
        .next()
        .ok_or_else(|| vec![lowerer.internal_at(0, "empty parse")])?;
    lowerer.repl_input(root)
}

/// Parses a single expression (the REPL's `:type`).
pub fn parse_expr(file: &Arc<SourceFile>) -> Result<ast::Expr, Vec<SyntaxError>> {
    limits::check(file).map_err(|e| vec![e])?;
    let mut pairs = RungParser::parse(Rule::expr_input, &file.text)
        .map_err(|e| vec![from_pest(file, 0, &e)])?;
    let lowerer = lower::Lowerer::new(file, 0);
    let root = pairs
        .next()
        .ok_or_else(|| vec![lowerer.internal_at(0, "empty parse")])?;
    lowerer.expr_input(root)
}

/// Whether `text` looks unfinished (unbalanced brackets or a dangling
/// operator): the REPL then reads another line instead of reporting an error.
pub fn is_incomplete(text: &str) -> bool {
    let file = SourceFile::new("<input>", text);
    let err = match RungParser::parse(Rule::repl_input, text) {
        Ok(_) => return false,
        Err(e) => e,
    };
    let at = match err.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    };
    at >= file.text.trim_end().len()
}

/// Turns a pest error into a report naming what was expected in words.
fn from_pest(file: &Arc<SourceFile>, base: usize, err: &pest::error::Error<Rule>) -> SyntaxError {
    let pos = match err.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    } + base;
    let found = describe_found(&file.text, pos);
    let end = (pos + found.1).min(file.text.len());
    let span = Span::new(file, pos..end.max(pos));
    let (expected, help) = match &err.variant {
        ErrorVariant::ParsingError { positives, .. } => describe_expected(positives),
        ErrorVariant::CustomError { message } => (message.clone(), None),
    };
    SyntaxError::Unexpected {
        src: span.named_source(),
        span: span.source_span(),
        found: found.0,
        expected,
        help,
    }
}

/// The token at `pos`, in words, and its length in bytes.
fn describe_found(text: &str, pos: usize) -> (String, usize) {
    let rest = text.get(pos..).unwrap_or("");
    let Some(c) = rest.chars().next() else {
        return ("end of file".to_string(), 0);
    };
    if c.is_alphanumeric() || c == '_' {
        let word: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-')
            .collect();
        let len = word.len();
        return (format!("`{word}`"), len);
    }
    if c == '\n' || c == '\r' {
        return ("end of line".to_string(), 1);
    }
    if c == '"' {
        return ("a string".to_string(), 1);
    }
    (format!("`{c}`"), c.len_utf8())
}

/// Maps pest's expected rules to the words a policy author uses.
fn describe_expected(positives: &[Rule]) -> (String, Option<String>) {
    let mut words: Vec<&'static str> = Vec::new();
    let mut help = None;
    for r in positives {
        let word = rule_words(*r);
        if !words.contains(&word) {
            words.push(word);
        }
        if help.is_none() {
            help = rule_help(*r);
        }
    }
    let expected = match words.as_slice() {
        [] => "something else".to_string(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} or {}", init.join(", "), last),
    };
    (expected, help.map(str::to_string))
}

fn rule_words(r: Rule) -> &'static str {
    use Rule::*;
    match r {
        EOI => "end of file",
        file | decl | enum_decl | record_decl | facts_decl | ladder_decl | let_decl
        | rules_decl | warn_decl | test_decl => {
            "a declaration (`enum`, `record`, `facts`, `ladder`, `let`, `rules`, `warn`, `test`)"
        }
        ident | named_type | rule_label => "a name",
        keyword => "a keyword",
        expr | operation | body | unary | primary | term | paren | list | call | quantifier
        | expr_input | repl_input => "an expression",
        op_not | op_neg | op_field | op_is_present | op_is_absent => "an operator",
        op_or | op_and | op_eq | op_ne | op_le | op_ge | op_lt | op_gt | op_in | op_not_in
        | op_otherwise | op_add | op_sub | op_mul | op_div => "an operator",
        type_expr | optional_type | list_type | rung_type => "a type",
        field_decl => "a field (`name: type`)",
        range_constraint | unique_constraint | default_value => "a constraint",
        signed_int | integer => "a whole number",
        rung_decl => "a rung (`name \"description\"`)",
        rule_item => "a rule (`recommend` or `forbid`)",
        prefix | postfix | infix | body_infix => "an operator",
        effect | recommend | forbid => "`recommend` or `forbid`",
        rung_spec => "a rung name",
        and_above => "`and above`",
        and_below => "`and below`",
        to_rung => "`to`",
        when_clause | kw_when => "`when`",
        because | kw_because => "`because \"...\"`",
        cites | kw_cites => "`cites`",
        string | json_string => "a string in double quotes",
        escape => "an escape (`\\\"`, `\\\\`, `\\n`, `\\t`)",
        boolean => "`true` or `false`",
        date => "a date (`2023-07-11`)",
        duration => "a duration (`365d`)",
        decimal => "a decimal number",
        quant | any | all | none => "`any`, `all` or `no`",
        kw_has => "`has`",
        test_facts | kw_facts => "`facts`",
        json_object => "a JSON object",
        expectation | kw_expect => "`expect`",
        snapshot | kw_snapshot => "`snapshot`",
        expect_what
        | expect_top
        | expect_recommended
        | expect_not_recommended
        | expect_forbidden
        | expect_status
        | expect_fired
        | expect_not_fired
        | expect_no_decision
        | kw_top
        | kw_recommends
        | kw_forbids
        | kw_status
        | kw_fires
        | kw_no
        | kw_decision => {
            "an expectation (`top`, `recommends`, `not recommends`, `forbids`, `status`, `fires`, `not fires`, `no decision`)"
        }
        kw_and => "`and`",
        kw_or => "`or`",
        kw_not => "`not`",
        kw_in => "`in`",
        kw_where => "`where`",
        kw_is => "`is`",
        kw_present => "`present`",
        kw_absent => "`absent`",
        kw_otherwise => "`otherwise`",
        kw_enum => "`enum`",
        kw_record => "`record`",
        kw_list => "`list`",
        kw_of => "`of`",
        kw_optional => "`optional`",
        kw_rung => "`rung`",
        kw_unique => "`unique`",
        kw_default => "`default`",
        kw_ladder => "`ladder`",
        kw_let => "`let`",
        kw_rules => "`rules`",
        kw_for => "`for`",
        kw_each => "`each`",
        kw_grouped => "`grouped`",
        kw_by => "`by`",
        kw_above => "`above`",
        kw_below => "`below`",
        kw_to => "`to`",
        kw_warn => "`warn`",
        kw_test => "`test`",
        WHITESPACE | COMMENT | ident_char => "more text",
    }
}

fn rule_help(r: Rule) -> Option<&'static str> {
    use Rule::*;
    match r {
        because => Some("every rule needs a justification: `because \"why this response fits\"`"),
        ident => Some(
            "names start with a letter or `_` and hold letters, digits and `_`; keywords such as `and`, `where`, `any` cannot be names",
        ),
        string => Some("strings are written in double quotes: \"like this\""),
        rung_decl => Some("each rung is a name followed by its description in double quotes"),
        kw_grouped => Some(
            "a rules block reads `rules LADDER for each SUBJECT, ITEMS in LIST grouped by KEY { ... }`",
        ),
        expr | operation | unary | primary => Some(
            "an expression is a value such as `3`, `high`, `now - 365d`, `count(acts)` or `any acts has severity >= 4`",
        ),
        EOI => Some("check for an unclosed bracket or a stray word before this point"),
        _ => None,
    }
}
