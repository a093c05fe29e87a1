// Comity for VS Code: starts `comity lsp` and adds the commands and the
// status bar item that the protocol alone does not give.

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import {
  DidChangeConfigurationNotification,
  DocumentSelector,
  ExecuteCommandRequest,
  LanguageClient,
  LanguageClientOptions,
  ResponseError,
  ServerOptions,
  State,
} from 'vscode-languageclient/node';

import { comitySettings, RESTART_KEYS } from './settings';

const EXPLAIN_SCHEME = 'comity-explain';
const WORKSPACE_LINT_TIMEOUT_MS = 120_000;

let client: LanguageClient | undefined;
let starting: Promise<void> | undefined;
let output: vscode.OutputChannel;
let status: vscode.StatusBarItem;
let ctx: vscode.ExtensionContext;

/** Set by "Lint Workspace": the next workspace diagnostic pull goes to the server. */
let workspaceLintRequested = false;
/** "Lint Workspace" has run in this window: settings changes lint the workspace again. */
let workspaceLinted = false;
let workspaceLintWaiters: Array<() => void> = [];

/** Markdown of explained rules, served read-only under comity-explain:. */
const explanations = new Map<string, string>();
const explanationChanged = new vscode.EventEmitter<vscode.Uri>();

// ---------------------------------------------------------------- server

interface ServerBinary {
  command: string;
  from: 'comity.path' | 'bundled' | 'PATH';
}

function expandPath(p: string): string {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  let out = p.trim();
  if (out === '~' || out.startsWith('~/')) {
    out = path.join(os.homedir(), out.slice(1));
  }
  if (folder) {
    out = out.replace(/\$\{workspaceFolder\}/g, folder);
    if (!path.isAbsolute(out) && (out.includes('/') || out.includes('\\'))) {
      out = path.join(folder, out);
    }
  }
  return out;
}

function onPath(name: string): string | undefined {
  const exts = process.platform === 'win32' ? (process.env.PATHEXT ?? '.EXE').split(';') : [''];
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) {
      continue;
    }
    for (const ext of exts) {
      const candidate = path.join(dir, name + ext);
      try {
        fs.accessSync(candidate, fs.constants.X_OK);
        if (fs.statSync(candidate).isFile()) {
          return candidate;
        }
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

/** `comity.path`, else `<extension>/bin/comity`, else `comity` on PATH. */
function resolveServer(): ServerBinary {
  const configured = vscode.workspace.getConfiguration('comity').get<string | null>('path');
  if (typeof configured === 'string' && configured.trim() !== '') {
    return { command: expandPath(configured), from: 'comity.path' };
  }
  const bundled = ctx.asAbsolutePath(path.join('bin', process.platform === 'win32' ? 'comity.exe' : 'comity'));
  if (fs.existsSync(bundled)) {
    if (process.platform !== 'win32') {
      try {
        // Unpacking a .vsix does not always keep the executable bit.
        fs.chmodSync(bundled, 0o755);
      } catch {
        // read-only install: try as it is
      }
    }
    return { command: bundled, from: 'bundled' };
  }
  return { command: 'comity', from: 'PATH' };
}

function documentSelector(): DocumentSelector {
  const cfg = vscode.workspace.getConfiguration('comity');
  const selector: { scheme: string; language: string }[] = [
    { scheme: 'file', language: 'contract' },
    { scheme: 'untitled', language: 'contract' },
  ];
  if (cfg.get<boolean>('enableMarkdown', true)) {
    selector.push({ scheme: 'file', language: 'markdown' }, { scheme: 'untitled', language: 'markdown' });
  }
  if (cfg.get<boolean>('enablePlaintext', true)) {
    selector.push({ scheme: 'file', language: 'plaintext' }, { scheme: 'untitled', language: 'plaintext' });
  }
  return selector;
}

async function serverMissing(binary: ServerBinary, detail: string): Promise<void> {
  const where =
    binary.from === 'comity.path'
      ? `comity.path is set to "${binary.command}", ${detail}`
      : `no "comity" program was found on PATH and the extension has no bundled binary`;
  const choice = await vscode.window.showErrorMessage(
    `Comity: cannot start the language server: ${where}. Install Comity (cargo install --path server in the Comity repository) or set comity.path.`,
    'Open Settings',
    'Show Output',
  );
  if (choice === 'Open Settings') {
    await vscode.commands.executeCommand('workbench.action.openSettings', 'comity.path');
  } else if (choice === 'Show Output') {
    output.show(true);
  }
}

function makeClient(binary: ServerBinary): LanguageClient {
  const executable = { command: binary.command, args: ['lsp'], options: { env: process.env } };
  const serverOptions: ServerOptions = { run: executable, debug: executable };
  const clientOptions: LanguageClientOptions = {
    documentSelector: documentSelector(),
    outputChannel: output,
    initializationOptions: { settings: comitySettings() },
    diagnosticPullOptions: { onChange: true, onSave: true },
    middleware: {
      workspace: {
        // The server asks for section "comity" and expects comity.toml's shape.
        configuration: async (params, token, next) => {
          const needOthers = params.items.some((item) => item.section !== 'comity');
          const others = needOthers ? await next(params, token) : [];
          if (others instanceof ResponseError) {
            return others;
          }
          return params.items.map((item, i) =>
            item.section === 'comity'
              ? comitySettings(item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined)
              : (others as unknown[])[i] ?? null,
          );
        },
      },
      // The client pulls workspace diagnostics every two seconds for as long as
      // it runs; each pull lints every draft in the workspace. Unless the user
      // asks for that, pull only when "Comity: Lint Workspace" runs.
      provideWorkspaceDiagnostics: async (resultIds, token, reporter, next) => {
        const continuous =
          vscode.workspace.getConfiguration('comity').get<string>('workspaceDiagnostics', 'onCommand') === 'continuous';
        if (!continuous && !workspaceLintRequested) {
          return { items: [] };
        }
        workspaceLintRequested = false;
        try {
          return await next(resultIds, token, reporter);
        } finally {
          const waiters = workspaceLintWaiters;
          workspaceLintWaiters = [];
          waiters.forEach((w) => w());
        }
      },
    },
  };
  return new LanguageClient('comity', 'Comity', serverOptions, clientOptions);
}

async function startClient(): Promise<void> {
  const binary = resolveServer();
  if (binary.from === 'comity.path' && !fs.existsSync(binary.command)) {
    await serverMissing(binary, 'which does not exist');
    updateStatus();
    return;
  }
  if (binary.from === 'PATH' && !onPath('comity')) {
    await serverMissing(binary, '');
    updateStatus();
    return;
  }
  output.appendLine(`Starting ${binary.command} lsp (from ${binary.from})`);
  // A new client starts with no diagnostics for closed drafts.
  workspaceLintRequested = workspaceLinted;
  const c = makeClient(binary);
  client = c;
  c.onDidChangeState(() => updateStatus());
  updateStatus();
  try {
    await c.start();
  } catch (e) {
    output.appendLine(`Comity: the language server did not start: ${String(e)}`);
    void vscode.window
      .showErrorMessage(`Comity: the language server (${binary.command}) did not start: ${messageOf(e)}`, 'Show Output')
      .then((choice) => choice && output.show(true));
  }
  updateStatus();
}

async function stopClient(): Promise<void> {
  const c = client;
  client = undefined;
  if (c) {
    try {
      await c.dispose(3000);
    } catch (e) {
      output.appendLine(`Comity: error while stopping the server: ${String(e)}`);
    }
  }
}

async function restartClient(): Promise<void> {
  if (starting) {
    await starting;
  }
  starting = (async () => {
    await stopClient();
    await startClient();
  })();
  try {
    await starting;
  } finally {
    starting = undefined;
  }
}

async function runningClient(): Promise<LanguageClient | undefined> {
  if (starting) {
    await starting;
  }
  if (!client || client.state === State.Stopped) {
    await restartClient();
  }
  return client?.isRunning() ? client : undefined;
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

// ---------------------------------------------------------------- findings

function comityDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'comity');
}

function codeOf(d: vscode.Diagnostic): string | undefined {
  const c = d.code;
  if (c === undefined) {
    return undefined;
  }
  return typeof c === 'object' ? String(c.value) : String(c);
}

function hasChinese(s: string): boolean {
  return /[\u3400-\u9fff\uf900-\ufaff]/.test(s);
}

function updateStatus(): void {
  if (!status) {
    return;
  }
  const c = client;
  if (!c || c.state === State.Stopped) {
    status.text = '$(law) Comity: stopped';
    status.tooltip = 'The Comity language server is not running. Click to restart it.';
    status.command = 'comity.restartServer';
    status.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
    status.show();
    return;
  }
  status.backgroundColor = undefined;
  if (c.state === State.Starting) {
    status.text = '$(sync~spin) Comity';
    status.tooltip = 'Comity is starting';
    status.command = 'comity.showOutput';
    status.show();
    return;
  }
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    status.hide();
    return;
  }
  const diags = comityDiagnostics(editor.document.uri);
  const linted = vscode.languages.match(documentSelector() as vscode.DocumentSelector, editor.document) > 0;
  if (!linted && diags.length === 0) {
    status.hide();
    return;
  }
  const count = (s: vscode.DiagnosticSeverity) => diags.filter((d) => d.severity === s).length;
  const parts = [
    [count(vscode.DiagnosticSeverity.Error), 'error', 'errors'],
    [count(vscode.DiagnosticSeverity.Warning), 'warning', 'warnings'],
    [count(vscode.DiagnosticSeverity.Information) + count(vscode.DiagnosticSeverity.Hint), 'note', 'notes'],
  ]
    .filter(([n]) => (n as number) > 0)
    .map(([n, one, many]) => `${n} ${n === 1 ? one : many}`);
  status.text = `$(law) Comity: ${diags.length}`;
  status.tooltip =
    diags.length === 0
      ? 'Comity: no findings in this file'
      : `Comity: ${diags.length} finding${diags.length === 1 ? '' : 's'} in this file (${parts.join(', ')}). Click to open the Problems panel.`;
  status.command = 'workbench.actions.view.problems';
  status.show();
}

// ---------------------------------------------------------------- commands

async function explainRuleAtCursor(): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  let code: string | undefined;
  let lang: 'en' | 'zh' = vscode.env.language.startsWith('zh') ? 'zh' : 'en';
  if (editor) {
    const pos = editor.selection.active;
    const diags = comityDiagnostics(editor.document.uri);
    const here =
      diags.find((d) => d.range.contains(pos)) ??
      diags.find((d) => d.range.start.line <= pos.line && pos.line <= d.range.end.line);
    if (here) {
      code = codeOf(here);
      lang = hasChinese(here.message) ? 'zh' : 'en';
    } else if (diags.length > 0) {
      const byCode = new Map<string, vscode.Diagnostic>();
      for (const d of diags) {
        const c = codeOf(d);
        if (c && !byCode.has(c)) {
          byCode.set(c, d);
        }
      }
      const pick = await vscode.window.showQuickPick(
        [...byCode.entries()].map(([c, d]) => ({ label: c, description: d.message.split('\n')[0], diag: d })),
        { placeHolder: 'No Comity finding at the cursor. Explain which rule?' },
      );
      if (!pick) {
        return;
      }
      code = pick.label;
      lang = hasChinese(pick.diag.message) ? 'zh' : 'en';
    } else if (hasChinese(editor.document.getText(new vscode.Range(0, 0, 200, 0)))) {
      lang = 'zh';
    }
  }
  if (!code) {
    code = (
      await vscode.window.showInputBox({
        prompt: 'No Comity finding at the cursor. Rule code to explain',
        placeHolder: 'T01',
        validateInput: (v) => (/^[A-Za-z][A-Za-z0-9_-]*$/.test(v.trim()) ? undefined : 'A rule code such as T05'),
      })
    )?.trim().toUpperCase();
    if (!code) {
      return;
    }
  }
  const c = await runningClient();
  if (!c) {
    return;
  }
  let markdown: unknown;
  try {
    markdown = await c.sendRequest(ExecuteCommandRequest.type, { command: 'comity.explainRule', arguments: [code, lang] });
  } catch (e) {
    void vscode.window.showErrorMessage(`Comity: cannot explain ${code}: ${messageOf(e)}`);
    return;
  }
  if (typeof markdown !== 'string' || markdown === '') {
    void vscode.window.showErrorMessage(`Comity: the server returned no explanation for ${code}.`);
    return;
  }
  const uri = vscode.Uri.from({ scheme: EXPLAIN_SCHEME, path: `/${code}.md`, query: lang });
  explanations.set(uri.toString(), markdown);
  explanationChanged.fire(uri);
  try {
    // A locked preview keeps showing this rule; showPreviewToSide would
    // follow whichever Markdown editor is active.
    await vscode.commands.executeCommand('markdown.showLockedPreviewToSide', uri);
  } catch {
    // Markdown preview unavailable: show the Markdown source instead.
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: true });
  }
}

async function lintWorkspace(): Promise<void> {
  const c = await runningClient();
  if (!c) {
    return;
  }
  if (!vscode.workspace.workspaceFolders?.length) {
    void vscode.window.showInformationMessage('Comity: open a folder to lint a workspace; showing the open files only.');
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    return;
  }
  const provider = c.initializeResult?.capabilities.diagnosticProvider;
  if (!provider || !('workspaceDiagnostics' in provider) || !provider.workspaceDiagnostics) {
    void vscode.window.showWarningMessage('Comity: this comity server cannot lint a whole workspace; upgrade it.');
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    return;
  }
  const done = new Promise<void>((resolve) => workspaceLintWaiters.push(resolve));
  workspaceLintRequested = true;
  workspaceLinted = true;
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: 'Comity: linting the workspace' },
    () => Promise.race([done, new Promise<void>((resolve) => setTimeout(resolve, WORKSPACE_LINT_TIMEOUT_MS))]),
  );
  await vscode.commands.executeCommand('workbench.actions.view.problems');
}

// ---------------------------------------------------------------- activation

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  ctx = context;
  output = vscode.window.createOutputChannel('Comity');
  status = vscode.window.createStatusBarItem('comity.findings', vscode.StatusBarAlignment.Right, 100);
  status.name = 'Comity findings';
  context.subscriptions.push(output, status, explanationChanged);

  context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(EXPLAIN_SCHEME, {
      onDidChange: explanationChanged.event,
      provideTextDocumentContent: (uri) => explanations.get(uri.toString()) ?? '',
    }),
    vscode.commands.registerCommand('comity.restartServer', async () => {
      await restartClient();
      if (client?.isRunning()) {
        void vscode.window.setStatusBarMessage('Comity: language server restarted', 3000);
      }
    }),
    // Not "comity.explainRule": the language client registers that id itself
    // for the server's workspace/executeCommand.
    vscode.commands.registerCommand('comity.explainRuleAtCursor', explainRuleAtCursor),
    vscode.commands.registerCommand('comity.lintWorkspace', lintWorkspace),
    vscode.commands.registerCommand('comity.showOutput', () => output.show(true)),
    vscode.languages.onDidChangeDiagnostics(() => updateStatus()),
    vscode.window.onDidChangeActiveTextEditor(() => updateStatus()),
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (!e.affectsConfiguration('comity')) {
        return;
      }
      if (RESTART_KEYS.some((k) => e.affectsConfiguration(k))) {
        await restartClient();
        return;
      }
      if (e.affectsConfiguration('comity.trace') || e.affectsConfiguration('comity.workspaceDiagnostics')) {
        return; // read by the client / the middleware as they go
      }
      if (client?.isRunning()) {
        // The server asks for section "comity" again and re-lints.
        await client.sendNotification(DidChangeConfigurationNotification.type, {
          settings: { comity: comitySettings() },
        });
        if (workspaceLinted) {
          // Closed drafts were linted with the old settings; the open ones are
          // pulled again when the server asks. Give it a moment to re-read.
          setTimeout(() => {
            workspaceLintRequested = true;
          }, 1000);
        }
      }
    }),
  );

  await restartClient();
}

export async function deactivate(): Promise<void> {
  await stopClient();
}
