// Maps the extension's `comity.*` settings to the shape of comity.toml,
// which is what the server reads from initializationOptions.settings and
// from workspace/configuration (section "comity"):
//
//   { rules: { enable?, disable, severity }, profile: { prc_party?, governing_law?, parties? },
//     lint: { default_language? } }
//
// Only values the user has set (in user, workspace or folder settings) are
// sent, so that a comity.toml next to the draft still applies to every key
// the editor leaves alone. The server merges key by key: editor settings win.

import * as vscode from 'vscode';

export type Severity = 'error' | 'warning' | 'info';

export interface ComityTomlShape {
  rules: { enable?: string[]; disable: string[]; severity: Record<string, Severity> };
  profile: {
    prc_party?: boolean;
    governing_law?: string;
    act_for?: string;
    parties?: { name: string; jurisdiction?: string }[];
  };
  lint: { default_language?: 'en' | 'zh' };
}

/** The value the user set for `key`, most specific scope first; undefined if only the default applies. */
function userValue<T>(cfg: vscode.WorkspaceConfiguration, key: string): T | undefined {
  const i = cfg.inspect<T>(key);
  if (!i) {
    return undefined;
  }
  return i.workspaceFolderValue ?? i.workspaceValue ?? i.globalValue;
}

const ACT_FOR: ReadonlySet<string> = new Set(['prc-party', 'us-exporter', 'lender', 'third-country', 'neutral']);
const SEVERITIES: ReadonlySet<string> = new Set(['error', 'warning', 'info']);
const RULE_CODE = /^[A-Za-z][A-Za-z0-9_-]*$/;

function codes(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((c): c is string => typeof c === 'string' && RULE_CODE.test(c.trim())).map((c) => c.trim()) : [];
}

/** Builds the comity.toml-shaped settings for a resource (or the window). */
export function comitySettings(scope?: vscode.ConfigurationScope | null): ComityTomlShape {
  const cfg = vscode.workspace.getConfiguration('comity', scope ?? undefined);
  const out: ComityTomlShape = { rules: { disable: [], severity: {} }, profile: {}, lint: {} };

  const enable = userValue<string[] | null>(cfg, 'rules.enable');
  if (Array.isArray(enable)) {
    out.rules.enable = codes(enable);
  }
  out.rules.disable = codes(userValue<string[]>(cfg, 'rules.disable'));
  const severity = userValue<Record<string, string>>(cfg, 'rules.severity');
  if (severity && typeof severity === 'object') {
    for (const [code, level] of Object.entries(severity)) {
      const l = String(level).toLowerCase();
      if (RULE_CODE.test(code) && SEVERITIES.has(l)) {
        out.rules.severity[code] = l as Severity;
      }
    }
  }

  const prc = userValue<boolean | null>(cfg, 'profile.prcParty');
  if (typeof prc === 'boolean') {
    out.profile.prc_party = prc;
  }
  const law = userValue<string>(cfg, 'profile.governingLaw');
  if (typeof law === 'string' && law.trim() !== '') {
    out.profile.governing_law = law.trim();
  }
  const actFor = userValue<string>(cfg, 'profile.actFor');
  if (typeof actFor === 'string' && ACT_FOR.has(actFor)) {
    out.profile.act_for = actFor;
  }
  const parties = userValue<unknown[]>(cfg, 'profile.parties');
  if (Array.isArray(parties) && parties.length > 0) {
    out.profile.parties = parties
      .filter((p): p is { name: string; jurisdiction?: unknown } =>
        !!p && typeof p === 'object' && typeof (p as { name?: unknown }).name === 'string')
      .map((p) => (typeof p.jurisdiction === 'string' ? { name: p.name, jurisdiction: p.jurisdiction } : { name: p.name }));
  }

  const lang = userValue<string>(cfg, 'lint.defaultLanguage');
  if (lang === 'en' || lang === 'zh') {
    out.lint.default_language = lang;
  }
  return out;
}

/** Settings whose change needs a new server process (or a new document selector). */
export const RESTART_KEYS = ['comity.path', 'comity.enableMarkdown', 'comity.enablePlaintext'];
