//! Parsing: policy text → typed AST.
//!
//! A whole file is first read by [`direct`], which builds the AST in one pass
//! for any file pest would accept and declines everything else (a `test`
//! declaration, a syntax error, a literal out of range). What it declines,
//! and everything else (REPL input, single items), pest parses:
//! [`lower`] and [`expr`] turn pest pairs into [`crate::ast`] nodes, one
//! function per grammar rule. The two agree node for node and span for span
//! (`direct`'s tests hold them to it); pest's path is the one that reports
//! errors. Nothing pest-shaped leaves this module. A file with several syntax errors reports each one: after
//! an error, every declaration and every item of a block is parsed on its own
//! (`recover`). Where pest stops, `hints` names common mistakes in words
//! (`&&` for `and`, a missing `because`, an unclosed string or bracket ...);
//! otherwise the report says what was found and, summarised, what was expected.
//! `limits` refuses input nested beyond what pest can recurse into, before
//! pest runs. Everything that reads policy text outside pest (hints, recovery,
//! limits, the formatter, the REPL) does it through [`lex`], the one tokenizer,
//! and names words through [`words`], the one table of words.

mod direct;
mod error;
mod expr;
mod grammar;
mod hints;
pub mod lex;
mod limits;
mod lower;
mod recover;
pub mod splice;
pub mod words;

use std::sync::Arc;

use pest::Parser as _;
use pest::error::{ErrorVariant, InputLocation};
use pest::iterators::Pairs;

pub use error::SyntaxError;
pub use limits::{MAX_DEFINITION_DEPTH, MAX_EXPR_DEPTH, MAX_NESTING, MAX_SOURCE_BYTES};

use crate::ast;
use crate::source::{SourceFile, Span};

use grammar::{Rule, RungParser};

/// What the REPL typed: declarations to add, or an expression to evaluate.
#[derive(Debug, Clone, PartialEq)]
pub enum ReplInput {
    /// One or more declarations.
    Decls(Vec<ast::Decl>),
    /// An expression.
    Expr(ast::Expr),
}

/// A stretch of a file parsed on its own, and the grammar rule it must match.
#[derive(Debug, Clone, Copy)]
struct Region {
    start: usize,
    end: usize,
    entry: Rule,
}

/// Parses a whole policy file, reporting every syntax error it can find.
pub fn parse_file(file: &Arc<SourceFile>) -> Result<ast::File, Vec<SyntaxError>> {
    limits::check(file).map_err(|e| vec![e])?;
    match direct::parse(file) {
        Some(decls) => Ok(ast::File { decls }),
        None => pest_file(file),
    }
}

/// [`parse_file`] without the direct reader: the parser of record alone.
/// Public so that the fuzz target `parse_direct` can hold the two to the
/// same trees; everything else calls [`parse_file`].
pub fn parse_file_by_pest(file: &Arc<SourceFile>) -> Result<ast::File, Vec<SyntaxError>> {
    limits::check(file).map_err(|e| vec![e])?;
    pest_file(file)
}

/// pest's parse of a file within the limits, every syntax error reported.
fn pest_file(file: &Arc<SourceFile>) -> Result<ast::File, Vec<SyntaxError>> {
    let region = Region {
        start: 0,
        end: file.text.len(),
        entry: Rule::file,
    };
    let parsed = pest_parse(Rule::file, &file.text)
        .map_err(|e| vec![from_pest(file, region, &file.text, &e)])
        .and_then(|mut pairs| {
            let lowerer = lower::Lowerer::new(file, 0);
            let root = pairs
                .next()
                .ok_or_else(|| vec![lowerer.internal_at(0, "empty parse")])?;
            lowerer.file(root)
        });
    match parsed {
        Ok(decls) => Ok(ast::File { decls }),
        Err(first) => {
            let all = recover::recover(file);
            let all = if all.is_empty() { first } else { all };
            Err(SyntaxError::fold_keyword_uses(&file.text, all))
        }
    }
}

/// Runs pest; on failure, runs it again collecting the details hints need
/// (the literal tokens that were expected). The details stay switched on:
/// switching them off again would race with other threads' parses.
fn pest_parse(rule: Rule, text: &str) -> Result<Pairs<'_, Rule>, pest::error::Error<Rule>> {
    RungParser::parse(rule, text).or_else(|_| {
        pest::set_error_detail(true);
        RungParser::parse(rule, text)
    })
}

/// Parses and lowers `text` (the text of `region`, possibly with parts blanked
/// out) and returns its errors.
fn check_region(file: &Arc<SourceFile>, region: Region, text: &str) -> Vec<SyntaxError> {
    let mut pairs = match pest_parse(region.entry, text) {
        Ok(p) => p,
        Err(e) => return vec![from_pest(file, region, text, &e)],
    };
    let lowerer = lower::Lowerer::new(file, region.start);
    let Some(root) = pairs.next() else {
        return vec![lowerer.internal_at(region.start, "empty parse")];
    };
    let lowered = if region.entry == Rule::file {
        lowerer.file(root).map(drop)
    } else {
        lowerer.item_input(root)
    };
    lowered.err().unwrap_or_default()
}

/// Parses what was typed at the REPL prompt.
pub fn parse_repl(file: &Arc<SourceFile>) -> Result<ReplInput, Vec<SyntaxError>> {
    limits::check(file).map_err(|e| vec![e])?;
    let region = Region {
        start: 0,
        end: file.text.len(),
        entry: Rule::repl_input,
    };
    let mut pairs = pest_parse(Rule::repl_input, &file.text)
        .map_err(|e| vec![from_pest(file, region, &file.text, &e)])?;
    let lowerer = lower::Lowerer::new(file, 0);
    let root = pairs
        .next()
        .ok_or_else(|| vec![lowerer.internal_at(0, "empty parse")])?;
    lowerer.repl_input(root)
}

/// Parses a single expression (the REPL's `:type`).
pub fn parse_expr(file: &Arc<SourceFile>) -> Result<ast::Expr, Vec<SyntaxError>> {
    limits::check(file).map_err(|e| vec![e])?;
    let region = Region {
        start: 0,
        end: file.text.len(),
        entry: Rule::expr_input,
    };
    let mut pairs = pest_parse(Rule::expr_input, &file.text)
        .map_err(|e| vec![from_pest(file, region, &file.text, &e)])?;
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

/// Where pest stopped, and what it would have accepted there.
struct Failure {
    /// Byte offset in the file.
    pos: usize,
    /// Grammar rules that could have matched at `pos`.
    rules: Vec<Rule>,
    /// Punctuation that could have matched at `pos`: `)`, `]`, `=`, `,` ...
    tokens: Vec<&'static str>,
}

/// Punctuation worth naming in "expected ...", in the order it is named.
const PUNCTUATION: &[&str] = &[")", "]", "}", ",", "=", ":", "{", ".."];

impl Failure {
    /// `parsed` is the text pest read, which starts at `region.start`.
    fn new(region: Region, parsed: &str, err: &pest::error::Error<Rule>) -> Self {
        let mut pos = match err.location {
            InputLocation::Pos(p) => p,
            InputLocation::Span((s, _)) => s,
        };
        let mut rules = match &err.variant {
            ErrorVariant::ParsingError { positives, .. } => unguard(positives.clone()),
            ErrorVariant::CustomError { .. } => Vec::new(),
        };
        let mut tokens = Vec::new();
        if let Some(attempts) = err.parse_attempts() {
            // pest's own position lags behind when the failing piece is a
            // literal (`=`, `)`); the attempts know how far parsing got.
            if attempts.max_position > pos && !rules.iter().copied().any(is_leaf) {
                pos = attempts.max_position;
                rules = attempts
                    .call_stacks()
                    .iter()
                    .filter_map(|c| c.deepest.get_rule().copied())
                    .filter(|r| is_leaf(*r))
                    .collect();
            }
            if attempts.max_position == pos {
                let expected: Vec<String> = attempts
                    .expected_tokens()
                    .iter()
                    .map(ToString::to_string)
                    .collect();
                tokens = PUNCTUATION
                    .iter()
                    .copied()
                    .filter(|p| expected.iter().any(|e| e == p))
                    .collect();
                // `<` between enum values; elsewhere it is one operator among many.
                if expected.iter().any(|e| e == "<") && !rules.iter().copied().any(is_operator) {
                    tokens.push("<");
                }
            }
        }
        // Right after a word, "a name" only means the word could go on.
        let after_word = pos
            .checked_sub(1)
            .and_then(|i| parsed.as_bytes().get(i).copied())
            .is_some_and(lex::is_word_char);
        if after_word && rules.len() + tokens.len() > 1 {
            rules.retain(|r| *r != Rule::ident);
        }
        Failure {
            pos: region.start + pos,
            rules,
            tokens,
        }
    }

    fn expects(&self, r: Rule) -> bool {
        self.rules.contains(&r)
    }
}

/// What pest tries, and fails, where an operand may start: besides the
/// unguarded `string`, `list` and `paren`, the kinds the grammar tries only
/// where their first character stands (`call` reports its `ident`,
/// `quantifier` its `quant`, `op_not` its `kw_not`).
const OPERAND_ATTEMPTS: &[Rule] = &[
    Rule::kw_not,
    Rule::op_neg,
    Rule::date,
    Rule::duration,
    Rule::decimal,
    Rule::integer,
    Rule::boolean,
    Rule::quant,
    Rule::ident,
];

/// What pest tries, and fails, after an operand, where `where` may follow:
/// every postfix and infix operator (an operator made of one keyword reports
/// that keyword, and `not in` its `not`).
const OPERATOR_ATTEMPTS: &[Rule] = &[
    Rule::op_field,
    Rule::kw_is,
    Rule::kw_or,
    Rule::kw_and,
    Rule::op_eq,
    Rule::op_ne,
    Rule::op_le,
    Rule::op_ge,
    Rule::op_lt,
    Rule::op_gt,
    Rule::kw_not,
    Rule::kw_in,
    Rule::kw_otherwise,
    Rule::op_add,
    Rule::op_sub,
    Rule::op_mul,
    Rule::op_div,
];

/// The rules pest would report had the grammar tried every operand and
/// operator in turn, as it did before their first characters guarded them
/// (which saves the attempts on every successful parse). A `paren` attempt
/// means an operand could start there, and a `where` attempt that an operand
/// ended there: every other kind was possible too, and failed. Sorted as
/// pest sorts its own list, so reports read as they always did.
fn unguard(mut rules: Vec<Rule>) -> Vec<Rule> {
    if rules.contains(&Rule::paren) {
        rules.extend_from_slice(OPERAND_ATTEMPTS);
    }
    if rules.contains(&Rule::kw_where) {
        rules.extend_from_slice(OPERATOR_ATTEMPTS);
    }
    rules.sort();
    rules.dedup();
    rules
}

/// Whether a rule names a single thing a user can write (not a whole
/// declaration, whose failure is better described by the tokens).
fn is_leaf(r: Rule) -> bool {
    !matches!(
        r,
        Rule::file
            | Rule::decl
            | Rule::enum_decl
            | Rule::record_decl
            | Rule::facts_decl
            | Rule::ladder_decl
            | Rule::let_decl
            | Rule::rules_decl
            | Rule::warn_decl
            | Rule::test_decl
            | Rule::rule_item
            | Rule::field_decl
            | Rule::rung_decl
            | Rule::operation
            | Rule::body
            | Rule::repl_input
            | Rule::expr_input
            | Rule::rules_item_input
            | Rule::ladder_item_input
            | Rule::field_input
    )
}

/// Turns a pest error into a report: a common mistake named in words when
/// one is recognised, else what was found and what was expected.
/// `parsed` is the text pest read: the region's text, possibly with parts
/// blanked out during recovery.
fn from_pest(
    file: &Arc<SourceFile>,
    region: Region,
    parsed: &str,
    err: &pest::error::Error<Rule>,
) -> SyntaxError {
    let f = Failure::new(region, parsed, err);
    if let ErrorVariant::CustomError { .. } = err.variant {
        // pest's own guard against deep recursion: the limits scan let
        // through something nested in a way it does not count.
        let span = Span::new(file, f.pos..f.pos + 1);
        return SyntaxError::too_deep(
            &span,
            "text",
            MAX_NESTING,
            "split it into smaller parts, naming each with `let`",
        );
    }
    if let Some(e) = hints::diagnose(file, region, parsed, &f) {
        return e;
    }
    let (found, len) = describe_found(&file.text, f.pos);
    let expected = describe_expected(&f);
    let help = hints::help_for(file, region, &f).or_else(|| {
        let general = if expected.contains("an expression") {
            rule_help(Rule::expr)
        } else {
            None
        };
        general
            .or_else(|| f.rules.iter().find_map(|r| rule_help(*r)))
            .map(str::to_string)
    });
    // When the unexpected token is on a later line, the mistake is at the end
    // of the previous one: point there.
    // Unless a new declaration was expected there: then the found word is
    // the stray one.
    let between_declarations = f
        .rules
        .iter()
        .all(|r| *r == Rule::EOI || is_decl_start(*r) || *r == Rule::file);
    let (span, label) = match hints::previous_token(region, parsed, f.pos) {
        Some(prev)
            if !between_declarations
                && (hints::line_break_between(&file.text, prev.end, f.pos)
                    || f.pos >= file.text.trim_end().len()) =>
        {
            (
                Span::new(file, prev.start..prev.end),
                format!("expected {expected} after this"),
            )
        }
        _ => (
            Span::new(file, f.pos..(f.pos + len).min(file.text.len())),
            format!("expected {expected} here"),
        ),
    };
    SyntaxError::unexpected(&span, found, expected, label, help)
}

/// The token at `pos`, in words, and its length in bytes.
fn describe_found(text: &str, pos: usize) -> (String, usize) {
    let rest = text.get(pos..).unwrap_or("");
    let blanks = rest.len() - rest.trim_start_matches([' ', '\t']).len();
    if rest
        .get(blanks..)
        .is_some_and(|r| r.starts_with(['\n', '\r']))
    {
        return ("end of line".to_string(), 1);
    }
    let Some(t) = lex::token_at(text, pos + blanks) else {
        return ("end of file".to_string(), 0);
    };
    let len = t.end - t.start;
    match t.kind {
        lex::Kind::Word | lex::Kind::Number => (format!("`{}`", t.text(text)), len),
        lex::Kind::Str { .. } => ("a string".to_string(), len),
        lex::Kind::Comment => ("`#`".to_string(), 1),
        lex::Kind::Punct => (format!("`{}`", t.text(text)), len),
    }
}

/// What would have been accepted, in words: long lists are summarised
/// ("an expression" rather than every kind of literal).
fn describe_expected(f: &Failure) -> String {
    // After a rule's rungs, `when` is the likely intent; the rung-range words
    // (`and above`, `to`) would only distract.
    let rung_range = |r: &Rule| {
        matches!(
            r,
            Rule::kw_and | Rule::kw_to | Rule::and_above | Rule::and_below | Rule::to_rung
        )
    };
    let filtered: Vec<Rule>;
    let f = if f.expects(Rule::kw_when) && f.rules.iter().any(rung_range) {
        filtered = f.rules.iter().copied().filter(|r| !rung_range(r)).collect();
        &Failure {
            pos: f.pos,
            rules: filtered,
            tokens: f.tokens.clone(),
        }
    } else {
        f
    };
    let exprs = f.rules.iter().filter(|r| is_expr_start(**r)).count();
    let ops = f.rules.iter().filter(|r| is_operator(**r)).count();
    let decls = f.rules.iter().filter(|r| is_decl_start(**r)).count();
    let mut words: Vec<String> = f.tokens.iter().map(|t| format!("`{t}`")).collect();
    let mut push = |w: String| {
        if !words.contains(&w) {
            words.push(w);
        }
    };
    let mut tail: Vec<String> = Vec::new();
    for r in &f.rules {
        let r = *r;
        let word = if r == Rule::kw_not {
            // `not` starts an expression, or is the `not` of `not in`.
            if exprs > 0 {
                "an expression".to_string()
            } else {
                "an operator".to_string()
            }
        } else if is_expr_start(r) && exprs > 1 {
            "an expression".to_string()
        } else if is_operator(r) && ops > 1 {
            "an operator".to_string()
        } else if is_decl_start(r) && decls > 1 {
            rule_words(Rule::decl).to_string()
        } else {
            rule_words(r).to_string()
        };
        // Broad classes go last: specific words are the better clue.
        if word == "an expression"
            || word == "an operator"
            || word == "end of file"
            || word.starts_with("a declaration")
        {
            if !tail.contains(&word) {
                tail.push(word);
            }
        } else {
            push(word);
        }
    }
    tail.sort_by_key(|w| match w.as_str() {
        "an expression" => 0,
        "an operator" => 1,
        "end of file" => 3,
        _ => 2,
    });
    for w in tail {
        push(w);
    }
    match words.as_slice() {
        [] => "something else".to_string(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {}", init.join(", "), last),
    }
}

/// Rules that begin an expression.
fn is_expr_start(r: Rule) -> bool {
    use Rule::*;
    matches!(
        r,
        ident
            | op_not
            | op_neg
            | paren
            | list
            | call
            | quantifier
            | quant
            | any
            | all
            | none
            | boolean
            | date
            | duration
            | decimal
            | integer
            | string
            | primary
            | term
            | unary
            | expr
    )
}

/// Rules that continue an expression after an operand.
fn is_operator(r: Rule) -> bool {
    use Rule::*;
    matches!(
        r,
        kw_and
            | kw_or
            | kw_in
            | kw_where
            | kw_is
            | kw_otherwise
            | op_or
            | op_and
            | op_eq
            | op_ne
            | op_le
            | op_ge
            | op_lt
            | op_gt
            | op_in
            | op_not_in
            | op_otherwise
            | op_add
            | op_sub
            | op_mul
            | op_div
            | op_field
            | op_is_present
            | op_is_absent
            | infix
            | body_infix
            | postfix
    )
}

/// Rules that begin a declaration.
fn is_decl_start(r: Rule) -> bool {
    use Rule::*;
    matches!(
        r,
        kw_enum
            | kw_record
            | kw_facts
            | kw_ladder
            | kw_let
            | kw_rules
            | kw_warn
            | kw_test
            | decl
            | enum_decl
            | record_decl
            | facts_decl
            | ladder_decl
            | let_decl
            | rules_decl
            | warn_decl
            | test_decl
    )
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
        rules_item_input => "a rule (`recommend` or `forbid`) or a `let`",
        ladder_item_input => "a rung (`name \"description\"`)",
        field_input => "a field (`name: type`)",
        op_not | op_neg | op_field | op_is_present | op_is_absent => "an operator",
        op_or | op_and | op_eq | op_ne | op_le | op_ge | op_lt | op_gt | op_in | op_not_in
        | op_otherwise | op_add | op_sub | op_mul | op_div => "an operator",
        type_expr | optional_type | list_type | rung_type => "a type",
        field_decl => "a field (`name: type`)",
        range_constraint | unique_constraint | default_value => "a constraint",
        signed_int | range_lo | range_hi | integer => "a whole number",
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
        test_table | kw_table => "`table NAME \"file.csv\"`",
        json_object => "a JSON object",
        expectation | kw_expect => "`expect`",
        snapshot | kw_snapshot => "`snapshot`",
        replay_snapshot | kw_replay => "`snapshot replay`",
        expect_what
        | expect_top
        | expect_recommended
        | expect_not_recommended
        | expect_forbidden
        | expect_not_forbidden
        | expect_status
        | expect_fired
        | expect_not_fired
        | expect_no_decision
        | expect_reaches
        | expect_never_reaches
        | kw_reaches
        | kw_never
        | kw_top
        | kw_recommends
        | kw_forbids
        | kw_status
        | kw_fires
        | kw_no
        | kw_decision => {
            "an expectation (`top`, `recommends`, `not recommends`, `forbids`, `status`, `fires`, `not fires`, `no decision`, `reaches RUNG on DATE`, `never reaches`)"
        }
        kw_on => "`on` and a date",
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
        kw_keyed => "`keyed`",
        kw_by => "`by`",
        kw_above => "`above`",
        kw_below => "`below`",
        kw_to => "`to`",
        kw_warn => "`warn`",
        kw_test => "`test`",
        WHITESPACE | ident_char => "more text",
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
        kw_grouped | kw_keyed => Some(
            "a rules block reads `rules LADDER for each SUBJECT, ITEMS in LIST grouped by KEY { ... }`, or `rules LADDER for each ITEM in LIST keyed by KEY { ... }` for one subject per item",
        ),
        expr | operation | unary | primary => Some(
            "an expression is a value such as `3`, `high`, `now - 365d`, `count(acts)` or `any acts has severity >= 4`",
        ),
        EOI => Some("check for an unclosed bracket or a stray word before this point"),
        _ => None,
    }
}
