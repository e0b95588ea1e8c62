/**
 * Quick fixes. Fixes are prepared together with the findings; a code action request looks them up
 * by identity (rule code and range) in the analysis of the current version. Real fixes come first
 * (one preferred), then "Show documentation", then the suppressions, last: where a rule has no
 * real fix, Ctrl+. then Enter opens its documentation instead of hiding it. `source.fixAll.ecpLens`
 * applies the preferred fixes of the rules whose fix changes one call or flag.
 */
import { CodeActionKind, type CodeAction, type CodeActionParams, type Connection, type Diagnostic, type TextEdit } from 'vscode-languageserver';
import type { ServerFeature } from '../server';
import { SERVER_NAME } from '../server';
import type { Finding } from '../analysis';
import { SAFE_FIX_RULES } from '../rules/quickFixes';
import { ruleSections, rulesDocPath } from '../rules/ruleDocs';
import { pathToFileURL } from 'node:url';

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.ecpLens`;
export const SHOW_RULE_DOC_COMMAND = 'ecpLens.showRuleDoc';

export const codeActionsFeature: ServerFeature = {
  capabilities(caps) {
    caps.codeActionProvider = { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND] };
    caps.executeCommandProvider = { commands: [SHOW_RULE_DOC_COMMAND] };
  },
  attach(server, connection) {
    connection.onCodeAction((params, token) => server.guardRequest('textDocument/codeAction', async () => codeActions(await server.findingsFor(params.textDocument.uri, token), params), []));
    connection.onExecuteCommand((params) => {
      if (params.command === SHOW_RULE_DOC_COMMAND) return showRuleDoc(connection, String(params.arguments?.[0] ?? ''));
      return undefined;
    });
  },
};

/** Opens docs/rules.md at the rule's heading in the client (window/showDocument). */
async function showRuleDoc(connection: Connection, code: string): Promise<boolean> {
  const file = rulesDocPath();
  if (!file) return false;
  const line = ruleSections().get(code)?.line ?? 0;
  const result = await connection.window.showDocument({ uri: pathToFileURL(file).href, takeFocus: true, selection: { start: { line, character: 0 }, end: { line, character: 0 } } });
  return result.success;
}

export function codeActions(findings: Finding[] | undefined, params: CodeActionParams): CodeAction[] {
  if (!findings) return [];
  const uri = params.textDocument.uri;
  const only = params.context.only;
  if (only && only.some((k) => FIX_ALL_KIND.startsWith(k) && k !== CodeActionKind.Empty && k.startsWith(CodeActionKind.Source))) return fixAll(findings, uri);
  const fixes: CodeAction[] = [];
  const suppressions: CodeAction[] = [];
  const docs: CodeAction[] = [];
  for (const diagnostic of params.context.diagnostics) {
    const finding = findingOf(findings, diagnostic);
    if (!finding) continue;
    for (const fix of finding.fixes) {
      const action: CodeAction = { title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit: { changes: { [uri]: fix.edits } } };
      if (fix.preferred) action.isPreferred = true;
      (/^Ignore /.test(fix.title) ? suppressions : fixes).push(action);
    }
    if (!docs.some((d) => d.command?.arguments?.[0] === finding.code)) {
      docs.push({ title: `Show documentation for ${finding.code}`, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], command: { title: `Show documentation for ${finding.code}`, command: SHOW_RULE_DOC_COMMAND, arguments: [finding.code] } });
    }
  }
  const wanted = (a: CodeAction) => !only || only.some((k) => a.kind === k || a.kind!.startsWith(`${k}.`));
  return [...fixes, ...docs, ...suppressions].filter(wanted);
}

function findingOf(findings: Finding[], diagnostic: Diagnostic): Finding | undefined {
  if (diagnostic.source !== SERVER_NAME) return undefined;
  return findings.find((f) => f.code === diagnostic.code && sameRange(f.range, diagnostic.range));
}

/** One action with the preferred fix of every safe finding whose edits do not overlap another's. */
function fixAll(findings: Finding[], uri: string): CodeAction[] {
  const edits: TextEdit[] = [];
  for (const finding of findings) {
    if (!SAFE_FIX_RULES.has(finding.code)) continue;
    const fix = finding.fixes.find((f) => f.preferred);
    if (!fix || fix.edits.some((e) => edits.some((o) => overlaps(o.range, e.range)))) continue;
    edits.push(...fix.edits);
  }
  if (edits.length === 0) return [];
  return [{ title: 'Fix all safe ECP Lens problems', kind: FIX_ALL_KIND, edit: { changes: { [uri]: edits } } }];
}

type Range = Finding['range'];

function before(a: Range['start'], b: Range['start']): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}

function overlaps(a: Range, b: Range): boolean {
  return !before(a.end, b.start) && !before(b.end, a.start);
}

function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}
