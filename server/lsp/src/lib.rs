//! `comity lsp`: the language server, a thin adapter over the engine. All
//! LSP types stay in this module; the engine speaks byte spans.

mod convert;
mod features;
mod frames;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde_json::Value;
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer, LspService, Server};

use comity_document::Document;
use comity_engine::{EditInfo, LintState, lint_state, relint};
use comity_rules::RuleSet;
use comity_text::lines::LineIndex;
use comity_workspace::config::ConfigFile;
use comity_workspace::resolve::{Context, Resolver};

use convert::Encoding;

/// One open document.
pub(crate) struct OpenDoc {
    pub version: i32,
    pub doc: Document,
    pub index: LineIndex,
    pub lint: LintState,
    pub path: Option<PathBuf>,
    /// What the last pulled report held: a pull whose diagnostics would be
    /// the same answers "unchanged".
    pub reported: Option<features::Reported>,
    /// What the last pushed diagnostics held: a push that would send the
    /// same list again is skipped.
    pub published: Option<features::Reported>,
}

/// Sent instead of `textDocument/publishDiagnostics` when a change left a
/// document's diagnostics as last published, to clients that ask for it
/// (`reportUnchangedDiagnostics`): tests and the latency benchmark, which
/// must tell "nothing to send" from "not answered yet".
enum DiagnosticsUnchanged {}

#[derive(serde::Serialize, serde::Deserialize)]
struct UnchangedParams {
    uri: Uri,
    version: i32,
}

impl notification::Notification for DiagnosticsUnchanged {
    type Params = UnchangedParams;
    const METHOD: &'static str = "comity/diagnosticsUnchanged";
}

pub(crate) struct State {
    pub docs: HashMap<Uri, OpenDoc>,
    pub encoding: Encoding,
    pub roots: Vec<PathBuf>,
    /// Each file's comity.toml, with the settings sent by the editor
    /// (`comity` section, in comity.toml's shape) laid over it.
    pub resolver: Resolver,
    pub pull_diagnostics: bool,
    /// The client asked (`reportUnchangedDiagnostics` in the initialization
    /// options) to be told when a change left the pushed diagnostics as
    /// they were, instead of hearing nothing.
    pub report_unchanged: bool,
    pub related_information: bool,
    pub configuration_pull: bool,
    pub watch_registration: bool,
}

impl State {
    fn new() -> State {
        State {
            docs: HashMap::new(),
            encoding: Encoding::Utf16,
            roots: Vec::new(),
            resolver: Resolver::new().lenient(),
            pull_diagnostics: false,
            report_unchanged: false,
            related_information: true,
            configuration_pull: false,
            watch_registration: false,
        }
    }

    /// The context for a file: its nearest comity.toml, with the editor's
    /// settings laid over it (the same resolver as `comity check`'s).
    pub fn context_for(&mut self, path: Option<&Path>) -> Arc<Context> {
        self.resolver
            .for_file(path)
            .expect("the editor's resolver is lenient")
    }

    fn forget_contexts(&mut self) {
        self.resolver.forget();
    }
}

struct Backend {
    client: Client,
    state: Arc<Mutex<State>>,
    /// Held from deciding what to publish until it is sent, so that the
    /// notices reach the client in the order they were decided (an
    /// "unchanged" notice must not overtake the list it confirms).
    publishing: tokio::sync::Mutex<()>,
}

fn uri_path(uri: &Uri) -> Option<PathBuf> {
    uri.to_file_path().map(|p| p.into_owned())
}

impl Backend {
    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // A panic in one request must not take the whole server down.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Sends the diagnostics of a document, unless a newer version has
    /// arrived since they were computed, or they are the ones last sent:
    /// after most keystrokes every diagnostic keeps its line and column, and
    /// the client already shows the right list (as with a pulled report
    /// that is "unchanged"). Clients that ask for it get a short
    /// `comity/diagnosticsUnchanged` notice instead.
    async fn publish(&self, uri: Uri) {
        enum Outcome {
            Nothing,
            Unchanged(i32),
            Full(Vec<Diagnostic>, features::Reported, i32),
        }
        let _order = self.publishing.lock().await;
        let outcome = {
            let state = self.lock();
            match state.docs.get(&uri) {
                _ if state.pull_diagnostics => Outcome::Nothing,
                None => Outcome::Nothing,
                Some(d) if d.published.as_ref().is_some_and(|r| r.matches(&state, d)) => {
                    if state.report_unchanged {
                        Outcome::Unchanged(d.version)
                    } else {
                        Outcome::Nothing
                    }
                }
                Some(d) => Outcome::Full(
                    features::diagnostics(&state, &uri, d),
                    features::Reported::of(&state, d),
                    d.version,
                ),
            }
        };
        match outcome {
            Outcome::Nothing => {}
            Outcome::Unchanged(version) => {
                self.client
                    .send_notification::<DiagnosticsUnchanged>(UnchangedParams { uri, version })
                    .await;
            }
            Outcome::Full(diags, reported, version) => {
                // Recorded as sent only if it is still the current version
                // (a newer one's publish will follow instead).
                let current = {
                    let mut state = self.lock();
                    match state.docs.get_mut(&uri) {
                        Some(d) if d.version == version => {
                            d.published = Some(reported);
                            true
                        }
                        _ => false,
                    }
                };
                if current {
                    self.client
                        .publish_diagnostics(uri, diags, Some(version))
                        .await;
                }
            }
        }
    }

    async fn log(&self, typ: MessageType, message: impl Into<String>) {
        self.client.log_message(typ, message.into()).await;
    }

    async fn refresh_config(&self) {
        let pull = self.lock().configuration_pull;
        if !pull {
            return;
        }
        let items = vec![ConfigurationItem {
            scope_uri: None,
            section: Some("comity".into()),
        }];
        match self.client.configuration(items).await {
            Ok(values) => {
                if let Some(v) = values.into_iter().next() {
                    self.apply_client_settings(v).await;
                }
            }
            Err(e) => {
                self.log(
                    MessageType::WARNING,
                    format!("comity: could not read the editor's settings: {e}"),
                )
                .await
            }
        }
    }

    async fn apply_client_settings(&self, value: Value) {
        if value.is_null() || value.as_object().is_some_and(|o| o.is_empty()) {
            return;
        }
        match serde_json::from_value::<ConfigFile>(value) {
            Ok(cfg) => {
                let mut state = self.lock();
                state.resolver.set_overlay(Some(cfg));
            }
            Err(e) => {
                self.log(MessageType::ERROR, format!("comity: invalid settings: {e}"))
                    .await
            }
        }
    }

    /// Lints every open document again (settings or comity.toml changed).
    async fn relint_all(&self) {
        let uris: Vec<Uri> = {
            let mut state = self.lock();
            let uris: Vec<Uri> = state.docs.keys().cloned().collect();
            for uri in &uris {
                let path = state.docs[uri].path.clone();
                let ctx = state.context_for(path.as_deref());
                let d = state.docs.get_mut(uri).unwrap();
                d.lint = lint_state(&d.doc, &ctx.rules, &ctx.settings);
            }
            uris
        };
        for uri in uris {
            self.publish(uri).await;
        }
        let _ = self.client.workspace_diagnostic_refresh().await;
    }
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let mut state = self.lock();
        let offered = params
            .capabilities
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.clone())
            .unwrap_or_default();
        state.encoding = if offered.contains(&PositionEncodingKind::UTF8) {
            Encoding::Utf8
        } else {
            Encoding::Utf16
        };
        let td = params.capabilities.text_document.as_ref();
        // Clients that pull diagnostics get them only on request, so that
        // they are not shown twice; `pushDiagnostics: true` asks for both.
        let push = params
            .initialization_options
            .as_ref()
            .and_then(|o| o.get("pushDiagnostics"))
            .and_then(Value::as_bool)
            .unwrap_or(false);
        state.pull_diagnostics = td.and_then(|t| t.diagnostic.as_ref()).is_some() && !push;
        state.report_unchanged = params
            .initialization_options
            .as_ref()
            .and_then(|o| o.get("reportUnchangedDiagnostics"))
            .and_then(Value::as_bool)
            .unwrap_or(false);
        state.related_information = td
            .and_then(|t| t.publish_diagnostics.as_ref())
            .and_then(|p| p.related_information)
            .unwrap_or(true);
        state.configuration_pull = params
            .capabilities
            .workspace
            .as_ref()
            .and_then(|w| w.configuration)
            .unwrap_or(false);
        state.watch_registration = params
            .capabilities
            .workspace
            .as_ref()
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|d| d.dynamic_registration)
            .unwrap_or(false);
        if let Some(folders) = &params.workspace_folders {
            state.roots = folders.iter().filter_map(|f| uri_path(&f.uri)).collect();
        }
        if let Some(settings) = params
            .initialization_options
            .as_ref()
            .and_then(|o| o.get("settings"))
            && let Ok(cfg) = serde_json::from_value::<ConfigFile>(settings.clone())
        {
            state.resolver.set_overlay(Some(cfg));
        }
        let encoding = match state.encoding {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
        };
        Ok(InitializeResult {
            server_info: Some(ServerInfo {
                name: "comity".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            }),
            offset_encoding: None,
            capabilities: ServerCapabilities {
                position_encoding: Some(encoding),
                text_document_sync: Some(TextDocumentSyncCapability::Options(
                    TextDocumentSyncOptions {
                        open_close: Some(true),
                        change: Some(TextDocumentSyncKind::INCREMENTAL),
                        save: Some(TextDocumentSyncSaveOptions::Supported(true)),
                        ..Default::default()
                    },
                )),
                hover_provider: Some(HoverProviderCapability::Simple(true)),
                code_action_provider: Some(CodeActionProviderCapability::Options(
                    CodeActionOptions {
                        code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
                        ..Default::default()
                    },
                )),
                document_symbol_provider: Some(OneOf::Left(true)),
                folding_range_provider: Some(FoldingRangeProviderCapability::Simple(true)),
                definition_provider: Some(OneOf::Left(true)),
                semantic_tokens_provider: Some(
                    SemanticTokensServerCapabilities::SemanticTokensOptions(
                        SemanticTokensOptions {
                            legend: features::semantic_legend(),
                            full: Some(SemanticTokensFullOptions::Bool(true)),
                            range: Some(false),
                            ..Default::default()
                        },
                    ),
                ),
                diagnostic_provider: Some(DiagnosticServerCapabilities::Options(
                    DiagnosticOptions {
                        identifier: Some("comity".into()),
                        inter_file_dependencies: false,
                        workspace_diagnostics: true,
                        ..Default::default()
                    },
                )),
                execute_command_provider: Some(ExecuteCommandOptions {
                    commands: vec!["comity.explainRule".into()],
                    ..Default::default()
                }),
                ..Default::default()
            },
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        self.refresh_config().await;
        let watcher = Registration {
            id: "comity-config-watcher".into(),
            method: "workspace/didChangeWatchedFiles".into(),
            register_options: serde_json::to_value(DidChangeWatchedFilesRegistrationOptions {
                watchers: vec![FileSystemWatcher {
                    glob_pattern: GlobPattern::String("**/comity.toml".into()),
                    kind: None,
                }],
            })
            .ok(),
        };
        // Registered in the background: a client that never answers must not
        // hold up anything else (or the server's exit).
        if self.lock().watch_registration {
            let client = self.client.clone();
            tokio::spawn(async move {
                let _ = client.register_capability(vec![watcher]).await;
            });
        }
        self.log(
            MessageType::INFO,
            format!("comity {} ready", env!("CARGO_PKG_VERSION")),
        )
        .await;
    }

    async fn shutdown(&self) -> Result<()> {
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let uri = params.text_document.uri;
        let error = {
            let mut state = self.lock();
            let path = uri_path(&uri);
            let ctx = state.context_for(path.as_deref());
            let doc = Document::parse(params.text_document.text);
            let lint = lint_state(&doc, &ctx.rules, &ctx.settings);
            let index = LineIndex::new(doc.text());
            state.docs.insert(
                uri.clone(),
                OpenDoc {
                    version: params.text_document.version,
                    doc,
                    index,
                    lint,
                    path,
                    reported: None,
                    published: None,
                },
            );
            ctx.error.clone()
        };
        if let Some(e) = error {
            self.log(MessageType::ERROR, format!("comity: {e}")).await;
        }
        self.publish(uri).await;
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let uri = params.text_document.uri;
        let mut warnings = Vec::new();
        {
            let mut state = self.lock();
            let encoding = state.encoding;
            let path = state.docs.get(&uri).and_then(|d| d.path.clone());
            let ctx = state.context_for(path.as_deref());
            match state.docs.get_mut(&uri) {
                None => warnings.push(format!(
                    "comity: change to a document that is not open: {}",
                    uri.as_str()
                )),
                Some(d) => apply_changes(
                    d,
                    params.content_changes,
                    params.text_document.version,
                    encoding,
                    &ctx,
                    &mut warnings,
                ),
            }
        }
        for w in warnings {
            self.log(MessageType::WARNING, w).await;
        }
        self.publish(uri).await;
    }

    async fn did_save(&self, params: DidSaveTextDocumentParams) {
        self.publish(params.text_document.uri).await;
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        let pull = {
            let mut state = self.lock();
            state.docs.remove(&uri);
            state.pull_diagnostics
        };
        if !pull {
            self.client.publish_diagnostics(uri, Vec::new(), None).await;
        }
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        let settings = params
            .settings
            .get("comity")
            .cloned()
            .unwrap_or(params.settings);
        if self.lock().configuration_pull {
            self.refresh_config().await;
        } else {
            self.apply_client_settings(settings).await;
        }
        self.lock().forget_contexts();
        self.relint_all().await;
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        if params
            .changes
            .iter()
            .any(|c| c.uri.as_str().ends_with("comity.toml"))
        {
            self.lock().forget_contexts();
            self.relint_all().await;
        }
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let state = self.lock();
        let p = params.text_document_position_params;
        Ok(state
            .docs
            .get(&p.text_document.uri)
            .and_then(|d| features::hover(&state, d, p.position)))
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let state = self.lock();
        let Some(d) = state.docs.get(&params.text_document.uri) else {
            return Ok(None);
        };
        Ok(Some(features::code_actions(
            &state,
            &params.text_document.uri,
            d,
            params.range,
        )))
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        let state = self.lock();
        Ok(state
            .docs
            .get(&params.text_document.uri)
            .map(|d| DocumentSymbolResponse::Nested(features::symbols(&state, d))))
    }

    async fn folding_range(&self, params: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
        let state = self.lock();
        Ok(state
            .docs
            .get(&params.text_document.uri)
            .map(|d| features::folding(&state, d)))
    }

    async fn semantic_tokens_full(
        &self,
        params: SemanticTokensParams,
    ) -> Result<Option<SemanticTokensResult>> {
        let state = self.lock();
        Ok(state.docs.get(&params.text_document.uri).map(|d| {
            SemanticTokensResult::Tokens(SemanticTokens {
                result_id: None,
                data: features::semantic_tokens(&state, d),
            })
        }))
    }

    async fn goto_definition(
        &self,
        params: GotoDefinitionParams,
    ) -> Result<Option<GotoDefinitionResponse>> {
        let state = self.lock();
        let p = params.text_document_position_params;
        Ok(state
            .docs
            .get(&p.text_document.uri)
            .and_then(|d| features::definition(&state, &p.text_document.uri, d, p.position))
            .map(GotoDefinitionResponse::Scalar))
    }

    async fn diagnostic(
        &self,
        params: DocumentDiagnosticParams,
    ) -> Result<DocumentDiagnosticReportResult> {
        let uri = params.text_document.uri;
        let mut state = self.lock();
        let (items, result_id) = match state.docs.get(&uri) {
            Some(d) => {
                // The result id names the content: after an edit that moves
                // no diagnostic, the client is told "unchanged" and keeps
                // what it shows, instead of reading the same list again.
                let previous = params.previous_result_id.as_deref();
                if let Some(r) = &d.reported
                    && previous == Some(r.id.as_str())
                    && r.matches(&state, d)
                {
                    return Ok(DocumentDiagnosticReportResult::Report(
                        DocumentDiagnosticReport::Unchanged(
                            RelatedUnchangedDocumentDiagnosticReport {
                                related_documents: None,
                                unchanged_document_diagnostic_report:
                                    UnchangedDocumentDiagnosticReport {
                                        result_id: r.id.clone(),
                                    },
                            },
                        ),
                    ));
                }
                let items = features::diagnostics(&state, &uri, d);
                let reported = features::Reported::of(&state, d);
                let id = reported.id.clone();
                if let Some(d) = state.docs.get_mut(&uri) {
                    d.reported = Some(reported);
                }
                (items, id)
            }
            None => {
                // Not open: lint it from disk.
                let Some(path) = uri_path(&uri) else {
                    return Ok(empty_report());
                };
                // Files on disk are read afresh each time: always in full.
                match features::closed_doc(&mut state, &path) {
                    Some(od) => (
                        features::diagnostics(&state, &uri, &od),
                        String::from("disk"),
                    ),
                    None => (Vec::new(), String::from("disk")),
                }
            }
        };
        Ok(DocumentDiagnosticReportResult::Report(
            DocumentDiagnosticReport::Full(RelatedFullDocumentDiagnosticReport {
                related_documents: None,
                full_document_diagnostic_report: FullDocumentDiagnosticReport {
                    result_id: Some(result_id),
                    items,
                },
            }),
        ))
    }

    async fn workspace_diagnostic(
        &self,
        _: WorkspaceDiagnosticParams,
    ) -> Result<WorkspaceDiagnosticReportResult> {
        let mut state = self.lock();
        let items = features::workspace_diagnostics(&mut state);
        Ok(WorkspaceDiagnosticReportResult::Report(
            WorkspaceDiagnosticReport { items },
        ))
    }

    async fn execute_command(&self, params: ExecuteCommandParams) -> Result<Option<Value>> {
        if params.command == "comity.explainRule" {
            let code = params
                .arguments
                .first()
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            let lang = params
                .arguments
                .get(1)
                .and_then(Value::as_str)
                .and_then(comity_text::Lang::parse)
                .unwrap_or(comity_text::Lang::En);
            let rules = RuleSet::builtin();
            return match rules.rule(&code) {
                Some(rule) => Ok(Some(Value::String(comity_rules::docs::render(
                    rules, rule, lang,
                )))),
                None => Err(tower_lsp_server::jsonrpc::Error::invalid_params(format!(
                    "no rule {code}"
                ))),
            };
        }
        Err(tower_lsp_server::jsonrpc::Error::method_not_found())
    }
}

/// Applies a batch of content changes to an open document and re-lints it.
fn apply_changes(
    d: &mut OpenDoc,
    changes: Vec<TextDocumentContentChangeEvent>,
    version: i32,
    encoding: Encoding,
    ctx: &Context,
    warnings: &mut Vec<String>,
) {
    for change in changes {
        match change.range {
            Some(range) => {
                let t = convert::Text {
                    text: d.doc.text(),
                    index: &d.index,
                    encoding,
                };
                let (span, clamped) = t.span(range);
                if clamped {
                    warnings.push(format!("comity: edit range {range:?} lies outside the document or inside a character; clamped"));
                }
                let removed = d.doc.text()[span.start..span.end].to_string();
                match d.doc.edit(span, &change.text) {
                    Ok(summary) => {
                        d.index.edit(d.doc.text(), span, change.text.len());
                        let info = EditInfo {
                            old: span,
                            removed: &removed,
                            inserted_len: change.text.len(),
                            summary: &summary,
                        };
                        let prev = std::mem::take(&mut d.lint);
                        d.lint = relint(&d.doc, &ctx.rules, &ctx.settings, prev, &info);
                    }
                    Err(e) => warnings.push(format!("comity: edit refused: {e}")),
                }
            }
            None => {
                d.doc = Document::parse(change.text);
                d.index = LineIndex::new(d.doc.text());
                d.lint = lint_state(&d.doc, &ctx.rules, &ctx.settings);
            }
        }
    }
    d.version = version;
}

fn empty_report() -> DocumentDiagnosticReportResult {
    DocumentDiagnosticReportResult::Report(DocumentDiagnosticReport::Full(
        RelatedFullDocumentDiagnosticReport {
            related_documents: None,
            full_document_diagnostic_report: FullDocumentDiagnosticReport {
                result_id: None,
                items: Vec::new(),
            },
        },
    ))
}

/// Serves the language server over standard input and output.
pub fn run() -> std::process::ExitCode {
    std::thread::spawn(comity_document::warm_up);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the language server: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    runtime.block_on(async {
        let (service, socket) = LspService::build(|client| Backend {
            client,
            state: Arc::new(Mutex::new(State::new())),
            publishing: tokio::sync::Mutex::new(()),
        })
        .custom_method(frames::MALFORMED_METHOD, Backend::malformed_frame)
        .finish();
        let (reader, writer) = tokio::io::duplex(1 << 16);
        tokio::spawn(frames::sanitize(tokio::io::stdin(), writer));
        Server::new(reader, tokio::io::stdout(), socket)
            .serve(service)
            .await;
    });
    // The thread blocked reading stdin would keep an orderly shutdown waiting
    // forever once the client has said `exit` but kept its end open.
    runtime.shutdown_background();
    std::process::ExitCode::SUCCESS
}

impl Backend {
    /// Answers a frame whose body was not JSON-RPC with a parse error.
    async fn malformed_frame(&self, params: frames::Malformed) -> Result<Value> {
        Err(tower_lsp_server::jsonrpc::Error {
            code: tower_lsp_server::jsonrpc::ErrorCode::ParseError,
            message: format!("comity: malformed message ignored: {}", params.error).into(),
            data: None,
        })
    }
}
