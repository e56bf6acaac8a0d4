//! Semantic tokens: highlighting from the one tokenizer and the word table,
//! with names coloured by what the index resolves them to (a rung, a field,
//! a type...), so that highlighting follows the real grammar.

use lsp_types::{SemanticToken, SemanticTokenType, SemanticTokensLegend};

use super::analysis::Analysis;
use super::index::Sym;
use crate::syntax::{self, lex, words};

/// The token types, in legend order.
pub const TYPES: &[SemanticTokenType] = &[
    SemanticTokenType::KEYWORD,
    SemanticTokenType::STRING,
    SemanticTokenType::NUMBER,
    SemanticTokenType::COMMENT,
    SemanticTokenType::OPERATOR,
    SemanticTokenType::TYPE,
    SemanticTokenType::ENUM_MEMBER,
    SemanticTokenType::PROPERTY,
    SemanticTokenType::VARIABLE,
    SemanticTokenType::FUNCTION,
    SemanticTokenType::NAMESPACE,
    SemanticTokenType::PARAMETER,
];

/// The legend announced at initialization.
pub fn legend() -> SemanticTokensLegend {
    SemanticTokensLegend {
        token_types: TYPES.to_vec(),
        token_modifiers: Vec::new(),
    }
}

fn type_index(t: &SemanticTokenType) -> Option<u32> {
    TYPES.iter().position(|x| x == t).map(|i| i as u32)
}

/// The semantic tokens of file `file`, encoded relative to each other.
pub fn tokens(a: &Analysis, file: usize) -> Vec<SemanticToken> {
    let Some(info) = a.files.get(file) else {
        return Vec::new();
    };
    let text = &*info.source.text;
    if text.len() > syntax::MAX_SOURCE_BYTES {
        return Vec::new();
    }
    let occurrences = a.index.occurrences.get(file).map_or(&[][..], |o| &o[..]);
    let mut next_occ = 0;
    let mut out = Vec::new();
    // Walk the text once, keeping the line and UTF-16 column of `pos`.
    let (mut pos, mut line, mut col) = (0usize, 0u32, 0u32);
    let (mut last_line, mut last_col) = (0u32, 0u32);
    let advance = |to: usize, pos: &mut usize, line: &mut u32, col: &mut u32| {
        for c in text.get(*pos..to).unwrap_or("").chars() {
            if c == '\n' {
                *line += 1;
                *col = 0;
            } else {
                *col += c.len_utf16() as u32;
            }
        }
        *pos = to;
    };
    for t in lex::Lexer::new(text) {
        let word = t.text(text);
        while occurrences.get(next_occ).is_some_and(|o| o.start < t.start) {
            next_occ += 1;
        }
        let resolved = occurrences
            .get(next_occ)
            .filter(|o| o.start == t.start && o.end == t.end)
            .map(|o| &o.sym);
        let ty = match t.kind {
            lex::Kind::Comment => Some(SemanticTokenType::COMMENT),
            lex::Kind::Str { .. } => Some(SemanticTokenType::STRING),
            lex::Kind::Number => Some(SemanticTokenType::NUMBER),
            lex::Kind::Punct => match word {
                "(" | ")" | "[" | "]" | "{" | "}" | "," | ":" | "." => None,
                _ => Some(SemanticTokenType::OPERATOR),
            },
            lex::Kind::Word => match resolved {
                Some(sym) => Some(of_symbol(sym)),
                None if words::grammar_words().any(|w| w == word) => {
                    Some(SemanticTokenType::KEYWORD)
                }
                None if words::FUNCTIONS.contains(&word) => Some(SemanticTokenType::FUNCTION),
                None if words::TYPES.contains(&word) => Some(SemanticTokenType::TYPE),
                None => None,
            },
        };
        let Some(ty) = ty.as_ref().and_then(type_index) else {
            continue;
        };
        advance(t.start, &mut pos, &mut line, &mut col);
        let (start_line, start_col) = (line, col);
        advance(t.end, &mut pos, &mut line, &mut col);
        if line != start_line {
            continue;
        }
        let delta_line = start_line - last_line;
        let delta_start = if delta_line == 0 {
            start_col - last_col
        } else {
            start_col
        };
        out.push(SemanticToken {
            delta_line,
            delta_start,
            length: col - start_col,
            token_type: ty,
            token_modifiers_bitset: 0,
        });
        last_line = start_line;
        last_col = start_col;
    }
    out
}

fn of_symbol(sym: &Sym) -> SemanticTokenType {
    match sym {
        Sym::Enum(_) | Sym::Record(_) => SemanticTokenType::TYPE,
        Sym::Variant(..) | Sym::Rung(..) => SemanticTokenType::ENUM_MEMBER,
        Sym::Field(..) => SemanticTokenType::PROPERTY,
        Sym::Fact(_) | Sym::Let(_) | Sym::BlockLet(..) => SemanticTokenType::VARIABLE,
        Sym::Subject(_) | Sym::Items(_) => SemanticTokenType::PARAMETER,
        Sym::Ladder(_) => SemanticTokenType::NAMESPACE,
        Sym::Rule(..) | Sym::Test(_) => SemanticTokenType::FUNCTION,
    }
}
