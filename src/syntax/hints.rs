//! Common mistakes, recognised where pest stopped and named in words.
//!
//! pest knows which rules failed; an author wants to hear "this string is not
//! closed" or "write `and`, not `&&`". Each check below looks at the tokens
//! around the failure (read by [`super::lex`]) and returns a specific report, or
//! nothing, in which case the generic "unexpected …; expected …" is used.

use std::sync::Arc;

use super::lex::{self, Kind, Token as Tok};
use super::words;
use super::{Failure, Region, Rule, SyntaxError};
use crate::source::{SourceFile, Span};

/// Whether a label points at the token after the missing piece, or before it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Where {
    Before,
    After,
}

impl Where {
    fn word(self) -> &'static str {
        match self {
            Where::Before => "before",
            Where::After => "after",
        }
    }
}

/// What the failure looks like from the tokens around it.
struct Scene<'t> {
    file: &'t Arc<SourceFile>,
    region: Region,
    f: &'t Failure,
    /// Tokens of the region.
    toks: Vec<Tok>,
    /// Index of the first token at or after the failure.
    at: usize,
}

impl<'t> Scene<'t> {
    fn new(file: &'t Arc<SourceFile>, region: Region, parsed: &str, f: &'t Failure) -> Self {
        let toks = region_tokens(parsed, region.start, region.end.max(f.pos));
        let at = toks
            .iter()
            .position(|t| t.end > f.pos)
            .unwrap_or(toks.len());
        Scene {
            file,
            region,
            f,
            toks,
            at,
        }
    }

    fn text(&self) -> &'t str {
        &self.file.text
    }

    /// The token the parser stopped at, if one starts there.
    fn found(&self) -> Option<Tok> {
        self.toks
            .get(self.at)
            .copied()
            .filter(|t| t.start <= self.f.pos)
    }

    /// The token the parser stopped at, or the next one.
    fn next(&self) -> Option<Tok> {
        self.toks.get(self.at).copied()
    }

    fn prev(&self) -> Option<Tok> {
        self.at
            .checked_sub(1)
            .and_then(|i| self.toks.get(i))
            .copied()
    }

    fn span(&self, t: Tok) -> Span {
        Span::new(self.file, t.start..t.end)
    }

    /// Where "expected … here" should point: the failure, or the end of the
    /// previous token when the failure is on a later line.
    fn end_span(&self) -> (Span, Where) {
        match (self.prev(), self.next()) {
            (Some(p), Some(n))
                if n.start < self.region.end
                    && !line_break_between(self.text(), p.end, n.start) =>
            {
                (self.span(n), Where::Before)
            }
            (Some(p), _) => (
                Span::new(self.file, p.end.saturating_sub(1).max(p.start)..p.end),
                Where::After,
            ),
            (None, Some(n)) => (self.span(n), Where::Before),
            (None, None) => (Span::new(self.file, self.f.pos..self.f.pos), Where::Before),
        }
    }

    /// Whether the failure happened where the end of the region (the end of
    /// the declaration or item) or a new clause was reached.
    fn at_clause_end(&self) -> bool {
        match self.next() {
            None => true,
            Some(t) if t.start >= self.region.end => true,
            Some(t) => {
                let w = t.text(self.text());
                (t.kind == Kind::Word && words::ends_expression(w)) || w == "}"
            }
        }
    }
}

/// A specific report for a recognised mistake, if any.
pub(super) fn diagnose(
    file: &Arc<SourceFile>,
    region: Region,
    parsed: &str,
    f: &Failure,
) -> Option<SyntaxError> {
    let scene = Scene::new(file, region, parsed, f);
    unclosed_string(&scene)
        .or_else(|| operator(&scene))
        .or_else(|| brackets(&scene))
        .or_else(|| missing_description(&scene))
        .or_else(|| dangling_operator(&scene))
        .or_else(|| missing_because(&scene))
        .or_else(|| rule_outside(&scene))
        .or_else(|| keyword(&scene))
}

/// A string on the failing line (or before it) that never closes.
fn unclosed_string(s: &Scene<'_>) -> Option<SyntaxError> {
    let line_end = s
        .text()
        .get(s.f.pos..)
        .and_then(|r| r.find('\n'))
        .map_or(s.text().len(), |i| s.f.pos + i);
    let t = s
        .toks
        .iter()
        .find(|t| t.kind == Kind::Str { closed: false } && t.start <= line_end)?;
    let span = s.span(*t);
    Some(SyntaxError::unclosed_string(&span))
}

/// `&&`, `||`, `!`, `=`, `=>`, `=<`, `<>`, `≥`, `≤`, `≠` where rung has its own spelling.
fn operator(s: &Scene<'_>) -> Option<SyntaxError> {
    let t = s.found()?;
    let found = t.text(s.text());
    let write = match found {
        "&&" | "&" => "and",
        "||" | "|" => "or",
        "!" => "not",
        "=>" | "≥" => ">=",
        "=<" | "≤" => "<=",
        "<>" | "≠" => "!=",
        "=" if !s.f.tokens.contains(&"=") => "==",
        _ => return None,
    };
    let span = s.span(t);
    Some(SyntaxError::operator(&span, found, write))
}

/// A bracket never closed, or a closing bracket that matches nothing.
fn brackets(s: &Scene<'_>) -> Option<SyntaxError> {
    let text = s.text();
    let mut stack: Vec<Tok> = Vec::new();
    for t in s.toks.iter().take(s.at) {
        if t.kind != Kind::Punct {
            continue;
        }
        let w = t.text(text);
        if lex::closer(w).is_some() {
            stack.push(*t);
        } else if lex::is_closer(w)
            && stack.last().and_then(|o| lex::closer(o.text(text))) == Some(w)
        {
            stack.pop();
        }
    }
    let found = s.found().filter(|t| t.kind == Kind::Punct);
    if let Some(t) = found
        && lex::is_closer(t.text(text))
    {
        let close = t.text(text);
        return match stack.last() {
            None => {
                let span = s.span(t);
                Some(SyntaxError::unmatched(&span, close, opener(close)))
            }
            Some(open) if lex::closer(open.text(text)) != Some(close) => {
                Some(unclosed(s, *open, (s.span(t), Where::Before)))
            }
            Some(_) => None,
        };
    }
    let open = *stack.last()?;
    let inner = matches!(open.text(text), "(" | "[");
    if inner && s.at_clause_end() {
        return Some(unclosed(s, open, s.end_span()));
    }
    if !inner && s.next().is_none_or(|t| t.start >= s.region.end) {
        // The block's items may have been blanked out: the `}` belongs after
        // the last token of the real text.
        let last = lex::code(text, open.start, s.f.pos.min(s.region.end))
            .last()
            .copied();
        let end = match last {
            Some(t) => Span::new(s.file, t.end.saturating_sub(1).max(t.start)..t.end),
            None => s.span(open),
        };
        return Some(unclosed(s, open, (end, Where::After)));
    }
    None
}

fn opener(close: &str) -> &'static str {
    match close {
        ")" => "(",
        "]" => "[",
        _ => "{",
    }
}

fn unclosed(s: &Scene<'_>, open: Tok, (end, place): (Span, Where)) -> SyntaxError {
    let o = open.text(s.text()).to_string();
    let close = lex::closer(&o).unwrap_or(")").to_string();
    let span = s.span(open);
    let help = match o.as_str() {
        "{" => format!("add `{close}` at the end of the block"),
        _ => format!("add `{close}` where the bracketed part ends"),
    };
    let end_label = format!("expected `{close}` {} this", place.word());
    SyntaxError::unclosed(&span, &end, end_label, o, close, help)
}

/// `monitor` alone in a ladder: a rung without its description.
fn missing_description(s: &Scene<'_>) -> Option<SyntaxError> {
    if s.f.rules != [Rule::string] {
        return None;
    }
    // A description there but misspelt (`monitor: "..."`) is another mistake.
    if s.found()
        .is_some_and(|t| t.kind == Kind::Punct && t.text(s.text()) != "}")
    {
        return None;
    }
    let in_ladder = s.region.entry == Rule::ladder_item_input
        || s.toks
            .first()
            .is_some_and(|t| t.is_word(s.text(), "ladder"))
            && s.toks.iter().take(s.at).any(|t| t.text(s.text()) == "{");
    let name = s.prev().filter(|p| p.kind == Kind::Word)?;
    if !in_ladder {
        return None;
    }
    let span = s.span(name);
    Some(SyntaxError::missing_description(&span, name.text(s.text())))
}

/// A rule that ends without `because "..."`.
fn missing_because(s: &Scene<'_>) -> Option<SyntaxError> {
    if !(s.f.expects(Rule::because) || s.f.expects(Rule::kw_because)) {
        return None;
    }
    let text = s.text();
    let head = s.toks.iter().take(s.at).rev().find(|t| {
        t.is_word(text, "recommend") || t.is_word(text, "forbid") || t.is_word(text, "warn")
    })?;
    let head_span = s.span(*head);
    let string_instead = s.found().filter(|t| matches!(t.kind, Kind::Str { .. }));
    let (message, label, end, help) = match string_instead {
        Some(t) => (
            "the justification needs the word `because`".to_string(),
            "write `because` before this".to_string(),
            s.span(t),
            format!("write `because {}`", t.text(text)),
        ),
        None => {
            if !s.at_clause_end() && !s.next().is_some_and(|t| label_starts(s, t)) {
                return None;
            }
            let (end, place) = s.end_span();
            (
                format!("this `{}` has no justification", head.text(text)),
                format!("add `because \"...\"` {} this", place.word()),
                end,
                "every rule ends with why it applies, in words an analyst can read aloud: `because \"...\"`"
                    .to_string(),
            )
        }
    };
    Some(SyntaxError::missing_because(
        &head_span, &end, message, label, help,
    ))
}

/// `when a and because "..."`: an operator with nothing after it but
/// `because`, which was read as its operand (a name), so that the parser
/// then missed a `because` before the string. The mistake is the operand
/// missing after the operator: reported at the operator.
fn dangling_operator(s: &Scene<'_>) -> Option<SyntaxError> {
    if !(s.f.expects(Rule::because) || s.f.expects(Rule::kw_because)) {
        return None;
    }
    let text = s.text();
    s.found().filter(|t| matches!(t.kind, Kind::Str { .. }))?;
    s.prev().filter(|t| t.is_word(text, "because"))?;
    let op = s.at.checked_sub(2).and_then(|i| s.toks.get(i)).copied()?;
    let word = op.text(text);
    let is_operator = match op.kind {
        Kind::Word => matches!(
            word,
            "and" | "or" | "not" | "where" | "has" | "have" | "in" | "otherwise"
        ),
        Kind::Punct => matches!(
            word,
            "==" | "!=" | "<" | "<=" | ">" | ">=" | "+" | "-" | "*" | "/"
        ),
        _ => false,
    };
    if !is_operator {
        return None;
    }
    Some(SyntaxError::unexpected(
        &s.span(op),
        "`because`".to_string(),
        format!("an operand after `{word}`"),
        format!("nothing follows this `{word}`"),
        Some(format!(
            "an operand is missing after `{word}`: complete the condition, or remove `{word}`; \
             the `because` that follows starts the justification"
        )),
    ))
}

/// Whether `t` begins a rule label (`name:`).
fn label_starts(s: &Scene<'_>, t: Tok) -> bool {
    let i = s.toks.iter().position(|x| *x == t);
    t.kind == Kind::Word
        && i.and_then(|i| s.toks.get(i + 1))
            .is_some_and(|n| n.text(s.text()) == ":")
}

/// `recommend` or `forbid` where a declaration is expected.
fn rule_outside(s: &Scene<'_>) -> Option<SyntaxError> {
    if !s
        .f
        .rules
        .iter()
        .any(|r| matches!(r, Rule::EOI | Rule::file) || super::is_decl_start(*r))
    {
        return None;
    }
    let text = s.text();
    let mut t = s.found()?;
    if label_starts(s, t) {
        t = s.toks.get(s.at + 2).copied()?;
    }
    let word = t.text(text);
    if !matches!(word, "recommend" | "forbid") || t.kind != Kind::Word {
        return None;
    }
    let span = s.span(t);
    let closed_before = s
        .prev()
        .filter(|p| p.text(text) == "}")
        .map(|p| Span::new(s.file, p.start..p.end).location());
    let help = match closed_before {
        Some(at) => format!(
            "the `}}` at {at} ends the block before this rule; move it after the block's last rule"
        ),
        None => "rules stand in a block: `rules LADDER for each SUBJECT, ITEMS in LIST grouped by KEY { recommend ... }`".to_string(),
    };
    Some(SyntaxError::rule_outside(&span, word, help))
}

/// A keyword where only a name fits: `let in = 3`.
fn keyword(s: &Scene<'_>) -> Option<SyntaxError> {
    if !s.f.expects(Rule::ident)
        || s.f
            .rules
            .iter()
            .any(|r| *r != Rule::ident && super::is_expr_start(*r))
    {
        return None;
    }
    let t = s.found().filter(|t| t.kind == Kind::Word)?;
    let word = t.text(s.text());
    if !words::is_reserved(word) {
        return None;
    }
    let span = s.span(t);
    Some(SyntaxError::keyword(&span, word))
}

/// Help for the generic report when what was found is a known slip.
pub(super) fn help_for(file: &Arc<SourceFile>, region: Region, f: &Failure) -> Option<String> {
    let rest = file.text.get(f.pos..).unwrap_or("");
    let head = lex::code(&file.text, region.start, f.pos);
    if rest.starts_with("group") && f.expects(Rule::kw_grouped) {
        return Some("write `grouped by KEY`, e.g. `grouped by state_sponsor`".into());
    }
    if rest.starts_with("key") && f.expects(Rule::kw_keyed) {
        return Some("write `keyed by KEY`, e.g. `keyed by code`".into());
    }
    if head.first().is_some_and(|t| t.is_word(&file.text, "rules"))
        && !head.iter().any(|t| t.text(&file.text) == "{")
    {
        return Some(
            "a rules block starts `rules LADDER for each SUBJECT, ITEMS in LIST grouped by KEY {`, e.g. `rules response for each state, acts in window grouped by state_sponsor {`; for one subject per item, `rules LADDER for each ITEM in LIST keyed by KEY {` (KEY a `unique` field)"
                .into(),
        );
    }
    let word = lex::token_at(&file.text, f.pos)
        .filter(|t| t.kind == Kind::Word && t.start == f.pos)
        .map_or("", |t| t.text(&file.text));
    let first = head.first().map(|t| t.text(&file.text));
    if f.tokens.contains(&":")
        && (region.entry == Rule::field_input || matches!(first, Some("record" | "facts")))
    {
        return Some("a field is written `name: type`, e.g. `severity: int in 1..5`".into());
    }
    if f.tokens == ["="] && first == Some("let") {
        return Some("a definition reads `let NAME = EXPRESSION`".into());
    }
    if rest.starts_with('\'') {
        return Some("strings are written in double quotes: \"like this\"".into());
    }
    // `1e-6`: facts may use an exponent, a policy literal is written out.
    if let Some(t) = lex::token_at(&file.text, f.pos).filter(|t| t.start == f.pos)
        && t.kind == Kind::Number
        && t.text(&file.text).contains(['e', 'E'])
    {
        let text = t.text(&file.text);
        return Some(match crate::decimal::parse(text) {
            Ok(d) => format!(
                "a number in a policy is written out in digits, without an exponent: `{d}` for `{text}`"
            ),
            Err(why) => format!(
                "a number in a policy is written out in digits, without an exponent; `{text}` {}: {}",
                why.reason_clause(),
                why.help()
            ),
        });
    }
    if rest.starts_with(':') && (region.entry == Rule::ladder_item_input || first == Some("ladder"))
    {
        return Some(
            "a rung is its name, then its description, without `:`: `monitor \"Monitor the campaign\"`"
                .into(),
        );
    }
    if rest.starts_with(',') && first == Some("enum") {
        return Some(
            "an enum lists its values lowest first, separated by `<`: `enum Level { low < moderate < high }`"
                .into(),
        );
    }
    let open_paren = {
        let mut depth: Vec<&str> = Vec::new();
        for t in &head {
            match t.text(&file.text) {
                o @ ("(" | "[" | "{") => depth.push(o),
                ")" | "]" | "}" => drop(depth.pop()),
                _ => {}
            }
        }
        depth.last() == Some(&"(")
    };
    if rest.starts_with(',') && open_paren {
        return Some("a list is written in square brackets: `[high, moderate]`".into());
    }
    let declaration_expected = f.rules.iter().any(|r| super::is_decl_start(*r));
    let after_number = head
        .last()
        .is_some_and(|t| t.text(&file.text).bytes().all(|b| b.is_ascii_digit()));
    let unit = matches!(
        word,
        "day" | "days" | "week" | "weeks" | "month" | "months" | "year" | "years" | "d" | "w"
    );
    if after_number && unit {
        return Some(
            "a duration is a number with its unit attached: `365d` (days) or `2w` (weeks); months and years are written in days, e.g. `365d`"
                .into(),
        );
    }
    match word {
        "for" | "group" | "when" | "if" if declaration_expected => Some(
            "rules stand in a block: `rules LADDER for each SUBJECT, ITEMS in LIST grouped by KEY { recommend ... }`"
                .into(),
        ),
        "not" | "null" | "none" | "nil" if f.expects(Rule::kw_present) => {
            Some("an absent optional value is tested with `is absent` (and `is present`)".into())
        }
        "between" => Some(
            "rung has no `between`: write both bounds, `severity >= 3 and severity <= 5`".into(),
        ),
        "if" if f.expects(Rule::kw_when) || f.expects(Rule::when_clause) => Some(
            "a rule's condition starts with `when`: `recommend RUNG when ... because \"...\"`"
                .into(),
        ),
        "where" if f.expects(Rule::kw_has) => Some(
            "to filter the list first, put it in parentheses: `any (acts where ...) has ...`"
                .into(),
        ),
        "then" | "else" | "elif" => Some(
            "rung has no `if … then`: write one rule per case, each with its own `when`".into(),
        ),
        _ => None,
    }
}

/// The last token that ends at or before `pos` in the region.
pub(super) fn previous_token(region: Region, parsed: &str, pos: usize) -> Option<Tok> {
    region_tokens(parsed, region.start, pos).last().copied()
}

/// Whether a line break stands between two offsets.
pub(super) fn line_break_between(text: &str, a: usize, b: usize) -> bool {
    text.get(a..b).is_some_and(|s| s.contains('\n'))
}

/// Code tokens of `parsed`, a text that stands at byte `base` of the file,
/// up to file offset `end`, with offsets into the file. Parts of the file may
/// have been blanked out in `parsed`: they give no tokens.
fn region_tokens(parsed: &str, base: usize, end: usize) -> Vec<Tok> {
    lex::code(parsed, 0, end.saturating_sub(base))
        .into_iter()
        .map(|t| Tok {
            kind: t.kind,
            start: t.start + base,
            end: t.end + base,
        })
        .collect()
}
