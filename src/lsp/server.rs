//! The server loop: initialization, then messages in order, with
//! diagnostics debounced, cancellation honoured and every handler guarded
//! so that no buffer content can stop the server.

use std::collections::{BTreeSet, HashMap, HashSet, VecDeque};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crossbeam_channel::RecvTimeoutError;
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{
    Cancel, DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, DidSaveTextDocument,
    Exit, Notification as _, PublishDiagnostics,
};
use lsp_types::request::{
    CodeActionRequest, Completion, DocumentSymbolRequest, Formatting, GotoDefinition, HoverRequest,
    References, Rename, Request as _, SemanticTokensFullRequest, Shutdown, WorkspaceSymbolRequest,
};
use lsp_types::{
    CodeActionProviderCapability, CompletionOptions, DocumentSymbolResponse,
    GotoDefinitionResponse, HoverProviderCapability, Location, NumberOrString, OneOf,
    PublishDiagnosticsParams, SemanticTokens, SemanticTokensFullOptions, SemanticTokensOptions,
    SemanticTokensResult, SemanticTokensServerCapabilities, ServerCapabilities,
    TextDocumentSyncCapability, TextDocumentSyncKind, TextEdit, Url, WorkDoneProgressOptions,
    WorkspaceEdit, WorkspaceSymbolResponse,
};
use serde_json::Value;

use super::analysis::{Analysis, LastGood};
use super::diagnostics::{self, ExplainDocs};
use super::index::Sym;
use super::workspace::{Documents, Root};
use super::{actions, complete, formatting, hover, symbols, tokens};

/// How long after the last change diagnostics are published: typing a word
/// re-checks once, not once per key.
pub const DEBOUNCE: Duration = Duration::from_millis(120);

/// What the server can do, announced at initialization.
pub fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Kind(TextDocumentSyncKind::FULL)),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        rename_provider: Some(OneOf::Left(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec![".".to_string(), " ".to_string()]),
            ..CompletionOptions::default()
        }),
        document_symbol_provider: Some(OneOf::Left(true)),
        workspace_symbol_provider: Some(OneOf::Left(true)),
        document_formatting_provider: Some(OneOf::Left(true)),
        code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
        semantic_tokens_provider: Some(SemanticTokensServerCapabilities::SemanticTokensOptions(
            SemanticTokensOptions {
                work_done_progress_options: WorkDoneProgressOptions::default(),
                legend: tokens::legend(),
                range: None,
                full: Some(SemanticTokensFullOptions::Bool(true)),
            },
        )),
        ..ServerCapabilities::default()
    }
}

/// Initializes over `connection` and serves until the client asks to exit.
pub fn serve(connection: Connection, docs: ExplainDocs) -> Result<(), String> {
    let caps = serde_json::to_value(capabilities()).map_err(|e| e.to_string())?;
    connection.initialize(caps).map_err(|e| e.to_string())?;
    let mut server = Server {
        connection,
        documents: Documents::default(),
        last_good: LastGood::default(),
        analyses: HashMap::new(),
        dirty: BTreeSet::new(),
        deadline: None,
        published: HashMap::new(),
        cancelled: HashSet::new(),
        docs,
        shutting_down: false,
    };
    server.run()
}

/// The server's state.
struct Server {
    connection: Connection,
    documents: Documents,
    last_good: LastGood,
    analyses: HashMap<Root, Arc<Analysis>>,
    /// Policies changed since they were last analysed.
    dirty: BTreeSet<Root>,
    /// When to publish the dirty policies' diagnostics.
    deadline: Option<Instant>,
    /// Files each policy last published diagnostics for.
    published: HashMap<Root, Vec<Url>>,
    cancelled: HashSet<RequestId>,
    docs: ExplainDocs,
    /// `shutdown` was answered: only `exit` is expected now.
    shutting_down: bool,
}

type Answer = Result<Value, (ErrorCode, String)>;

impl Server {
    fn run(&mut self) -> Result<(), String> {
        let mut queue = VecDeque::new();
        loop {
            let first = match self.deadline {
                Some(d) => {
                    let wait = d.saturating_duration_since(Instant::now());
                    match self.connection.receiver.recv_timeout(wait) {
                        Ok(m) => Some(m),
                        Err(RecvTimeoutError::Timeout) => None,
                        Err(RecvTimeoutError::Disconnected) => return Ok(()),
                    }
                }
                None => match self.connection.receiver.recv() {
                    Ok(m) => Some(m),
                    Err(_) => return Ok(()),
                },
            };
            let Some(first) = first else {
                self.flush();
                continue;
            };
            // Everything already waiting: a cancellation in it cancels the
            // requests before it that have not been answered yet.
            queue.push_back(first);
            while let Ok(m) = self.connection.receiver.try_recv() {
                queue.push_back(m);
            }
            for m in &queue {
                if let Message::Notification(n) = m
                    && n.method == Cancel::METHOD
                    && let Ok(p) =
                        serde_json::from_value::<lsp_types::CancelParams>(n.params.clone())
                {
                    self.cancelled.insert(match p.id {
                        NumberOrString::Number(i) => RequestId::from(i),
                        NumberOrString::String(s) => RequestId::from(s),
                    });
                }
            }
            while let Some(m) = queue.pop_front() {
                match m {
                    // Shutdown is answered here rather than by
                    // `Connection::handle_shutdown`, which waits on the
                    // channel for `exit` when it may already be in `queue`.
                    Message::Request(req) if req.method == Shutdown::METHOD => {
                        self.shutting_down = true;
                        self.send(Message::Response(Response::new_ok(req.id, Value::Null)));
                    }
                    Message::Request(req) if self.shutting_down => {
                        self.send(Message::Response(Response::new_err(
                            req.id,
                            ErrorCode::InvalidRequest as i32,
                            "the server is shutting down".to_string(),
                        )));
                    }
                    Message::Request(req) => self.request(req),
                    Message::Notification(n) if n.method == Exit::METHOD => return Ok(()),
                    Message::Notification(n) => self.notification(n),
                    Message::Response(_) => {}
                }
            }
            self.cancelled.clear();
            if self.deadline.is_some_and(|d| d <= Instant::now()) {
                self.flush();
            }
        }
    }

    fn send(&self, m: Message) {
        // A closed connection ends the loop at the next receive.
        let _ = self.connection.sender.send(m);
    }

    fn notification(&mut self, n: Notification) {
        match n.method.as_str() {
            DidOpenTextDocument::METHOD => {
                if let Ok(p) =
                    serde_json::from_value::<lsp_types::DidOpenTextDocumentParams>(n.params)
                {
                    let uri = p.text_document.uri;
                    self.documents.set(uri.clone(), p.text_document.text);
                    let root = self.documents.root_of(&uri);
                    self.dirty.insert(root.clone());
                    self.publish(&root);
                }
            }
            DidChangeTextDocument::METHOD => {
                if let Ok(p) =
                    serde_json::from_value::<lsp_types::DidChangeTextDocumentParams>(n.params)
                    && let Some(change) = p.content_changes.into_iter().last()
                {
                    let uri = p.text_document.uri;
                    self.documents.set(uri.clone(), change.text);
                    self.dirty.insert(self.documents.root_of(&uri));
                    self.deadline = Some(Instant::now() + DEBOUNCE);
                }
            }
            DidSaveTextDocument::METHOD => {
                if let Ok(p) =
                    serde_json::from_value::<lsp_types::DidSaveTextDocumentParams>(n.params)
                {
                    let root = self.documents.root_of(&p.text_document.uri);
                    self.dirty.insert(root.clone());
                    self.deadline = Some(Instant::now());
                }
            }
            DidCloseTextDocument::METHOD => {
                if let Ok(p) =
                    serde_json::from_value::<lsp_types::DidCloseTextDocumentParams>(n.params)
                {
                    let uri = p.text_document.uri;
                    self.documents.close(&uri);
                    let root = self.documents.root_of(&uri);
                    self.dirty.insert(root.clone());
                    self.publish(&root);
                }
            }
            _ => {}
        }
    }

    /// Publishes the diagnostics of every policy changed since.
    fn flush(&mut self) {
        self.deadline = None;
        let roots: Vec<Root> = self.dirty.iter().cloned().collect();
        for root in roots {
            self.publish(&root);
        }
    }

    /// The analysis of a policy, made again if it changed.
    fn analysis(&mut self, root: &Root) -> Arc<Analysis> {
        if !self.dirty.contains(root)
            && let Some(a) = self.analyses.get(root)
        {
            return Arc::clone(a);
        }
        let inputs = self.documents.inputs(root);
        let last_good = &mut self.last_good;
        let made = catch_unwind(AssertUnwindSafe(|| {
            Analysis::new(inputs.clone(), last_good)
        }));
        let a = Arc::new(match made {
            Ok(a) => a,
            // A bug in rung: answer as if nothing parsed rather than stop.
            Err(_) => Analysis::new(Vec::new(), &mut LastGood::default()),
        });
        self.dirty.remove(root);
        self.analyses.insert(root.clone(), Arc::clone(&a));
        a
    }

    fn publish(&mut self, root: &Root) {
        let a = self.analysis(root);
        let mut now = Vec::new();
        for (i, f) in a.files.iter().enumerate() {
            let diagnostics = diagnostics::for_file(&a, i, &self.docs);
            now.push(f.uri.clone());
            self.notify_diagnostics(f.uri.clone(), diagnostics);
        }
        for gone in self.published.remove(root).unwrap_or_default() {
            if !now.contains(&gone) {
                self.notify_diagnostics(gone, Vec::new());
            }
        }
        self.published.insert(root.clone(), now);
    }

    fn notify_diagnostics(&self, uri: Url, diagnostics: Vec<lsp_types::Diagnostic>) {
        let params = PublishDiagnosticsParams {
            uri,
            diagnostics,
            version: None,
        };
        if let Ok(v) = serde_json::to_value(params) {
            self.send(Message::Notification(Notification::new(
                PublishDiagnostics::METHOD.to_string(),
                v,
            )));
        }
    }

    fn request(&mut self, req: Request) {
        let id = req.id.clone();
        let answer = if self.cancelled.contains(&id) {
            Err((ErrorCode::RequestCanceled, "cancelled".to_string()))
        } else {
            match catch_unwind(AssertUnwindSafe(|| self.answer(req))) {
                Ok(a) => a,
                Err(_) => Err((
                    ErrorCode::InternalError,
                    "rung failed to answer: this is a bug, please report it".to_string(),
                )),
            }
        };
        let response = match answer {
            Ok(v) => Response::new_ok(id, v),
            Err((code, message)) => Response::new_err(id, code as i32, message),
        };
        self.send(Message::Response(response));
    }

    /// The file a request is about: its policy's analysis and its index.
    fn locate(&mut self, uri: &Url) -> Option<(Arc<Analysis>, usize)> {
        let root = self.documents.root_of(uri);
        let a = self.analysis(&root);
        let (i, _) = a.file(uri)?;
        Some((a, i))
    }

    fn answer(&mut self, req: Request) -> Answer {
        fn params<P: serde::de::DeserializeOwned>(v: Value) -> Result<P, (ErrorCode, String)> {
            serde_json::from_value(v).map_err(|e| (ErrorCode::InvalidParams, e.to_string()))
        }
        fn json<T: serde::Serialize>(t: T) -> Answer {
            serde_json::to_value(t).map_err(|e| (ErrorCode::InternalError, e.to_string()))
        }
        let position_of = |a: &Analysis, i: usize, p: lsp_types::Position| {
            a.files
                .get(i)
                .map_or(0, |f| f.lines.offset(&f.source.text, p))
        };
        match req.method.as_str() {
            HoverRequest::METHOD => {
                let p: lsp_types::HoverParams = params(req.params)?;
                let d = p.text_document_position_params;
                let Some((a, i)) = self.locate(&d.text_document.uri) else {
                    return json(Value::Null);
                };
                json(hover::hover(&a, i, position_of(&a, i, d.position)))
            }
            GotoDefinition::METHOD => {
                let p: lsp_types::GotoDefinitionParams = params(req.params)?;
                let d = p.text_document_position_params;
                let Some((a, i)) = self.locate(&d.text_document.uri) else {
                    return json(Value::Null);
                };
                let at = position_of(&a, i, d.position);
                let target = a
                    .index
                    .at(i, at)
                    .and_then(|o| a.index.decl(&o.sym))
                    .and_then(|decl| location(&a, decl.file, decl.name.0, decl.name.1));
                json(target.map(GotoDefinitionResponse::Scalar))
            }
            References::METHOD => {
                let p: lsp_types::ReferenceParams = params(req.params)?;
                let d = p.text_document_position;
                let Some((a, i)) = self.locate(&d.text_document.uri) else {
                    return json(Value::Null);
                };
                let at = position_of(&a, i, d.position);
                let Some(sym) = a.index.at(i, at).map(|o| o.sym.clone()) else {
                    return json(Value::Null);
                };
                let decl = a.index.decl(&sym).map(|d| (d.file, d.name.0));
                let found: Vec<Location> = a
                    .index
                    .references(&sym)
                    .into_iter()
                    .filter(|(f, s, _)| p.context.include_declaration || decl != Some((*f, *s)))
                    .filter_map(|(f, s, e)| location(&a, f, s, e))
                    .collect();
                json(found)
            }
            Rename::METHOD => {
                let p: lsp_types::RenameParams = params(req.params)?;
                let d = p.text_document_position;
                let Some((a, i)) = self.locate(&d.text_document.uri) else {
                    return json(Value::Null);
                };
                let at = position_of(&a, i, d.position);
                let Some(sym) = a.index.at(i, at).map(|o| o.sym.clone()) else {
                    return Err((ErrorCode::InvalidRequest, "nothing to rename here".into()));
                };
                if !matches!(sym, Sym::Let(_) | Sym::BlockLet(..) | Sym::Rule(..)) {
                    return Err((
                        ErrorCode::InvalidRequest,
                        "only definitions and rule labels can be renamed".into(),
                    ));
                }
                let name = p.new_name;
                let valid = name
                    .bytes()
                    .next()
                    .is_some_and(crate::syntax::lex::is_word_start)
                    && name.bytes().all(crate::syntax::lex::is_word_char)
                    && !crate::syntax::words::is_reserved(&name);
                if !valid {
                    return Err((ErrorCode::InvalidParams, format!("`{name}` is not a name")));
                }
                let mut changes: HashMap<Url, Vec<TextEdit>> = HashMap::new();
                for (f, s, e) in a.index.references(&sym) {
                    if let Some(loc) = location(&a, f, s, e) {
                        changes
                            .entry(loc.uri)
                            .or_default()
                            .push(TextEdit::new(loc.range, name.clone()));
                    }
                }
                json(WorkspaceEdit {
                    changes: Some(changes),
                    ..WorkspaceEdit::default()
                })
            }
            Completion::METHOD => {
                let p: lsp_types::CompletionParams = params(req.params)?;
                let d = p.text_document_position;
                let Some((a, i)) = self.locate(&d.text_document.uri) else {
                    return json(Value::Null);
                };
                json(complete::complete(&a, i, position_of(&a, i, d.position)))
            }
            DocumentSymbolRequest::METHOD => {
                let p: lsp_types::DocumentSymbolParams = params(req.params)?;
                let Some((a, i)) = self.locate(&p.text_document.uri) else {
                    return json(Value::Null);
                };
                json(DocumentSymbolResponse::Nested(symbols::document(&a, i)))
            }
            WorkspaceSymbolRequest::METHOD => {
                let p: lsp_types::WorkspaceSymbolParams = params(req.params)?;
                let roots: Vec<Root> = self.analyses.keys().cloned().collect();
                let mut found = Vec::new();
                for r in roots {
                    let a = self.analysis(&r);
                    found.extend(symbols::workspace(&a, &p.query));
                }
                json(WorkspaceSymbolResponse::Flat(found))
            }
            Formatting::METHOD => {
                let p: lsp_types::DocumentFormattingParams = params(req.params)?;
                let Some((a, i)) = self.locate(&p.text_document.uri) else {
                    return json(Value::Null);
                };
                let Some(info) = a.files.get(i) else {
                    return json(Value::Null);
                };
                match formatting::format(info) {
                    Ok(edits) => json(edits),
                    Err(why) => Err((ErrorCode::RequestFailed, why)),
                }
            }
            CodeActionRequest::METHOD => {
                let p: lsp_types::CodeActionParams = params(req.params)?;
                let Some((a, i)) = self.locate(&p.text_document.uri) else {
                    return json(Value::Null);
                };
                json(actions::quick_fixes(&a, i, p.range))
            }
            SemanticTokensFullRequest::METHOD => {
                let p: lsp_types::SemanticTokensParams = params(req.params)?;
                let Some((a, i)) = self.locate(&p.text_document.uri) else {
                    return json(Value::Null);
                };
                json(SemanticTokensResult::Tokens(SemanticTokens {
                    result_id: None,
                    data: tokens::tokens(&a, i),
                }))
            }
            other => Err((
                ErrorCode::MethodNotFound,
                format!("`{other}` is not supported"),
            )),
        }
    }
}

fn location(a: &Analysis, file: usize, start: usize, end: usize) -> Option<Location> {
    let f = a.files.get(file)?;
    Some(Location::new(
        f.uri.clone(),
        f.lines.range(&f.source.text, start, end),
    ))
}
