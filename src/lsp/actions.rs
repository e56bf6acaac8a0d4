//! Quick fixes: the fixes the diagnostics in the requested range propose
//! ([`crate::diagnostic::fix`]), as code actions that edit the file.

use std::collections::HashMap;

use lsp_types::{CodeAction, CodeActionKind, CodeActionOrCommand, Range, TextEdit, WorkspaceEdit};

use super::analysis::Analysis;
use super::diagnostics::{self, ExplainDocs};
use crate::diagnostic::fix;

/// The quick fixes of the diagnostics of `file` that meet `range`.
pub fn quick_fixes(a: &Analysis, file: usize, range: Range) -> Vec<CodeActionOrCommand> {
    let Some(info) = a.files.get(file) else {
        return Vec::new();
    };
    let text = &info.source.text;
    let lsp_diags = diagnostics::for_file(a, file, &ExplainDocs::new(None));
    let mut out = Vec::new();
    let ours = a.diagnostics.iter().filter(|(f, _, _)| *f == file);
    for ((_, record, diag), lsp_diag) in ours.zip(lsp_diags) {
        let Some(span) = record.span else { continue };
        let at = info.lines.range(text, span.start, span.end);
        if at.end < range.start || range.end < at.start {
            continue;
        }
        for f in fix::fixes(diag, text) {
            let edits: Vec<TextEdit> = f
                .edits
                .iter()
                .map(|e| {
                    TextEdit::new(
                        info.lines.range(text, e.start, e.end),
                        e.replacement.clone(),
                    )
                })
                .collect();
            out.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: f.title,
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![lsp_diag.clone()]),
                edit: Some(WorkspaceEdit {
                    changes: Some(HashMap::from([(info.uri.clone(), edits)])),
                    ..WorkspaceEdit::default()
                }),
                is_preferred: Some(true),
                ..CodeAction::default()
            }));
        }
    }
    out
}
