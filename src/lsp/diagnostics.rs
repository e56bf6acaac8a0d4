//! rung's diagnostics as the protocol's: each with its code (linked to the
//! code's explanation, the text of `rung explain`), its labels as related
//! information, its help in the message, and notes in other files.

use std::path::PathBuf;

use lsp_types::{
    CodeDescription, Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, Location,
    NumberOrString, Url,
};

use super::analysis::Analysis;
use crate::diagnostic::codes;
use crate::diagnostic::format::Record;

/// The diagnostics of file `file` of an analysis.
pub fn for_file(a: &Analysis, file: usize, docs: &ExplainDocs) -> Vec<Diagnostic> {
    a.diagnostics
        .iter()
        .filter(|(f, _, _)| *f == file)
        .filter_map(|(f, r, _)| convert(a, *f, r, docs))
        .collect()
}

fn convert(a: &Analysis, file: usize, r: &Record, docs: &ExplainDocs) -> Option<Diagnostic> {
    let info = a.files.get(file)?;
    let text = &info.source.text;
    let span = r.span?;
    let range = info.lines.range(text, span.start, span.end);
    let severity = match r.severity {
        "warning" => DiagnosticSeverity::WARNING,
        "advice" => DiagnosticSeverity::HINT,
        _ => DiagnosticSeverity::ERROR,
    };
    let mut message = r.message.clone();
    if let Some(h) = &r.help {
        message.push_str("\nhelp: ");
        message.push_str(h);
    }
    let mut related = Vec::new();
    for l in &r.labels {
        let Some(m) = &l.message else { continue };
        related.push(DiagnosticRelatedInformation {
            location: Location::new(
                info.uri.clone(),
                info.lines.range(text, l.at.span.start, l.at.span.end),
            ),
            message: m.clone(),
        });
    }
    for note in &r.related {
        let Some(at) = note
            .file
            .as_deref()
            .and_then(|n| a.files.iter().find(|f| f.source.name == n))
        else {
            continue;
        };
        let Some(s) = note.span else { continue };
        let text = match note.labels.first().and_then(|l| l.message.clone()) {
            Some(l) => format!("{}: {l}", note.message),
            None => note.message.clone(),
        };
        related.push(DiagnosticRelatedInformation {
            location: Location::new(
                at.uri.clone(),
                at.lines.range(&at.source.text, s.start, s.end),
            ),
            message: text,
        });
    }
    let code = r.code.clone();
    Some(Diagnostic {
        range,
        severity: Some(severity),
        code_description: code
            .as_deref()
            .and_then(|c| docs.link(c))
            .map(|href| CodeDescription { href }),
        code: code.map(NumberOrString::String),
        source: Some("rung".to_string()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: None,
    })
}

/// The explanation of each code as a Markdown file, written on first use
/// under a directory of its own, so that an editor can open the link a
/// diagnostic's code carries: the same text `rung explain CODE` prints.
#[derive(Debug, Clone)]
pub struct ExplainDocs {
    dir: Option<PathBuf>,
}

impl ExplainDocs {
    /// Explanations written below `dir` (`None`: diagnostics carry no link).
    pub fn new(dir: Option<PathBuf>) -> ExplainDocs {
        ExplainDocs { dir }
    }

    /// The default place: a directory of the system's temporary directory,
    /// one per version of rung.
    pub fn in_temp_dir() -> ExplainDocs {
        let dir =
            std::env::temp_dir().join(format!("rung-explain-{}", crate::policy::RUNG_VERSION));
        ExplainDocs::new(Some(dir))
    }

    /// The link to the explanation of `code` (the file is written if absent).
    pub fn link(&self, code: &str) -> Option<Url> {
        let dir = self.dir.as_ref()?;
        let e = codes::lookup(code)?;
        let file = dir.join(format!("{}.md", e.code.replace("::", "-")));
        if !file.exists() {
            std::fs::create_dir_all(dir).ok()?;
            let text = format!("# `{}`\n\n```text\n{}```\n", e.code, codes::render(e));
            std::fs::write(&file, text).ok()?;
        }
        Url::from_file_path(&file).ok()
    }
}
