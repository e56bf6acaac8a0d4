//! Declarations: each declared name with its place, how it is written
//! (for hovers) and the doc comment above it.

use super::{BlockScope, Declared, Index, Sym};
use crate::ast::{self, Decl as AstDecl, RungSpec};
use crate::syntax::lex;

impl Index {
    pub(super) fn declare(&mut self, file: usize, text: &str, ast: &ast::File) {
        let mut blocks_seen = self.blocks.len();
        for d in &ast.decls {
            let decl = |sym: Sym,
                        name: &crate::source::Span,
                        span: &crate::source::Span,
                        detail: String| Declared {
                sym,
                file,
                name: (name.start, name.end),
                span: (span.start, span.end),
                detail,
                doc: doc_above(text, span.start),
            };
            match d {
                AstDecl::Enum(e) => {
                    let values: Vec<String> = e.variants.iter().map(|v| v.name.clone()).collect();
                    let shown = format!("enum {} {{ {} }}", e.name.name, values.join(" < "));
                    self.add_decl(decl(
                        Sym::Enum(e.name.name.clone()),
                        &e.name.span,
                        &e.span,
                        shown.clone(),
                    ));
                    for (i, v) in e.variants.iter().enumerate() {
                        let detail = format!(
                            "{} (value {} of {} in {shown})",
                            v.name,
                            i + 1,
                            values.len()
                        );
                        let mut dd = decl(
                            Sym::Variant(e.name.name.clone(), v.name.clone()),
                            &v.span,
                            &v.span,
                            detail,
                        );
                        dd.doc = None;
                        self.add_decl(dd);
                    }
                    self.enums.push((e.name.name.clone(), values));
                }
                AstDecl::Record(r) => {
                    let names: Vec<&str> = r.fields.iter().map(|f| f.name.name.as_str()).collect();
                    let detail = format!("record {} {{ {} }}", r.name.name, names.join(", "));
                    self.add_decl(decl(
                        Sym::Record(r.name.name.clone()),
                        &r.name.span,
                        &r.span,
                        detail,
                    ));
                    for f in &r.fields {
                        let detail = format!("record {}\n  {}", r.name.name, f.span.text());
                        self.add_decl(decl(
                            Sym::Field(r.name.name.clone(), f.name.name.clone()),
                            &f.name.span,
                            &f.span,
                            detail,
                        ));
                    }
                    self.records.insert(
                        r.name.name.clone(),
                        r.fields
                            .iter()
                            .map(|f| (f.name.name.clone(), f.ty.clone()))
                            .collect(),
                    );
                }
                AstDecl::Facts(fd) => {
                    for f in &fd.fields {
                        let detail = format!("facts\n  {}", f.span.text());
                        self.add_decl(decl(
                            Sym::Fact(f.name.name.clone()),
                            &f.name.span,
                            &f.span,
                            detail,
                        ));
                        self.facts.push((f.name.name.clone(), f.ty.clone()));
                    }
                }
                AstDecl::Ladder(l) => {
                    let title = l
                        .title
                        .as_ref()
                        .map(|t| format!(" {}", lex::quote(&t.value)))
                        .unwrap_or_default();
                    let rungs: Vec<String> = l.rungs.iter().map(|r| r.name.name.clone()).collect();
                    let detail = format!("ladder {}{title}\n  {}", l.name.name, rungs.join(" < "));
                    self.add_decl(decl(
                        Sym::Ladder(l.name.name.clone()),
                        &l.name.span,
                        &l.span,
                        detail,
                    ));
                    for (i, r) in l.rungs.iter().enumerate() {
                        let span = r.name.span.to(&r.description.span);
                        let detail = format!(
                            "rung {} of ladder {} (rung {} of {})\n{}",
                            r.name.name,
                            l.name.name,
                            i + 1,
                            rungs.len(),
                            r.description.value
                        );
                        self.add_decl(decl(
                            Sym::Rung(l.name.name.clone(), r.name.name.clone()),
                            &r.name.span,
                            &span,
                            detail,
                        ));
                    }
                    self.ladders.push((l.name.name.clone(), rungs));
                }
                AstDecl::Let(l) => {
                    let detail = format!("let {}", l.name.name);
                    self.add_decl(decl(
                        Sym::Let(l.name.name.clone()),
                        &l.name.span,
                        &l.span,
                        detail,
                    ));
                    self.lets.insert(l.name.name.clone(), l.value.clone());
                }
                AstDecl::Rules(r) => {
                    let b = blocks_seen;
                    blocks_seen += 1;
                    let header = r.span.text().to_string();
                    // The keyed form (`for each ally in allies keyed by code`)
                    // names no subject of its own.
                    if let Some(subject) = &r.subject {
                        self.add_decl(decl(
                            Sym::Subject(b),
                            &subject.span,
                            &r.span,
                            header.clone(),
                        ));
                    }
                    self.add_decl(decl(Sym::Items(b), &r.items.span, &r.span, header));
                    for l in &r.lets {
                        let each = r.subject.as_ref().unwrap_or(&r.items);
                        let detail = format!("let {} (for each {})", l.name.name, each.name);
                        self.add_decl(decl(
                            Sym::BlockLet(b, l.name.name.clone()),
                            &l.name.span,
                            &l.span,
                            detail,
                        ));
                        self.block_lets
                            .insert((b, l.name.name.clone()), l.value.clone());
                    }
                    for rule in &r.rules {
                        let Some(label) = &rule.label else { continue };
                        let mut detail = format!(
                            "{}: {} {}",
                            label.name,
                            rule.effect.as_str(),
                            rung_spec_text(&rule.rungs)
                        );
                        detail.push_str(&format!("\nbecause {}", lex::quote(&rule.because.value)));
                        if let Some(c) = &rule.cites {
                            detail.push_str(&format!("\ncites {}", lex::quote(&c.value)));
                        }
                        self.add_decl(decl(
                            Sym::Rule(r.ladder.name.clone(), label.name.clone()),
                            &label.span,
                            &rule.span,
                            detail,
                        ));
                    }
                    let end = r
                        .rules
                        .iter()
                        .map(|x| x.span.end)
                        .chain(r.lets.iter().map(|l| l.span.end))
                        .max()
                        .unwrap_or(r.span.end)
                        .max(r.span.end);
                    self.blocks.push(BlockScope {
                        file,
                        extent: (r.span.start, block_end(text, end)),
                        ladder: r.ladder.name.clone(),
                        // No name can be empty: in the keyed form, nothing
                        // resolves to the subject.
                        subject: r
                            .subject
                            .as_ref()
                            .map_or_else(String::new, |s| s.name.clone()),
                        items: r.items.name.clone(),
                        record: None,
                        lets: r.lets.iter().map(|l| l.name.name.clone()).collect(),
                    });
                }
                AstDecl::Warn(_) => {}
                AstDecl::Test(t) => {
                    let detail = format!("test {}", lex::quote(&t.name.value));
                    self.add_decl(decl(
                        Sym::Test(t.name.value.clone()),
                        &t.name.span,
                        &t.span,
                        detail,
                    ));
                }
            }
        }
    }
}

fn rung_spec_text(spec: &RungSpec) -> String {
    match spec {
        RungSpec::One(a) => a.name.clone(),
        RungSpec::AndAbove(a) => format!("{} and above", a.name),
        RungSpec::AndBelow(a) => format!("{} and below", a.name),
        RungSpec::Range(a, b) => format!("{} to {}", a.name, b.name),
    }
}

/// The end of a rules block: its closing `}` after `end`, or `end`.
fn block_end(text: &str, end: usize) -> usize {
    lex::Lexer::at(text, end)
        .find(|t| t.is_punct(text, "}"))
        .map_or(end, |t| t.end)
}

/// The `#` lines just above the line holding `start` (no blank line
/// between), joined: a declaration's documentation, as `rung schema` reads it.
pub fn doc_above(text: &str, start: usize) -> Option<String> {
    let before = text.get(..start)?;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    if !before.get(line_start..)?.trim().is_empty() {
        return None;
    }
    let mut lines: Vec<&str> = Vec::new();
    let above = text.get(..line_start)?;
    for line in above.lines().rev() {
        match line.trim().strip_prefix('#') {
            Some(c) => lines.push(c.trim()),
            None => break,
        }
    }
    if lines.is_empty() {
        return None;
    }
    lines.reverse();
    Some(lines.join(" "))
}
