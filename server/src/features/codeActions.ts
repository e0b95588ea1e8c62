/**
 * Quick fixes. Fixes are prepared together with the findings; a code action request looks them up
 * by identity (rule code and range) in the analysis of the current version.
 */
import { CodeActionKind, type CodeAction, type CodeActionParams } from 'vscode-languageserver';
import type { ServerFeature } from '../server';
import { SERVER_NAME } from '../server';
import type { Finding } from '../analysis';

export const codeActionsFeature: ServerFeature = {
  capabilities(caps) {
    caps.codeActionProvider = { codeActionKinds: [CodeActionKind.QuickFix] };
  },
  attach(server, connection) {
    connection.onCodeAction((params) => server.guard('codeAction', () => codeActions(server.findingsFor(params.textDocument.uri), params)) ?? []);
  },
};

export function codeActions(findings: Finding[] | undefined, params: CodeActionParams): CodeAction[] {
  if (!findings) return [];
  const actions: CodeAction[] = [];
  for (const diagnostic of params.context.diagnostics) {
    if (diagnostic.source !== SERVER_NAME) continue;
    const finding = findings.find((f) => f.code === diagnostic.code && sameRange(f.range, diagnostic.range));
    if (!finding) continue;
    for (const fix of finding.fixes) {
      actions.push({
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        isPreferred: fix.preferred,
        edit: { changes: { [params.textDocument.uri]: fix.edits } },
      });
    }
  }
  return actions;
}

function sameRange(a: Finding['range'], b: Finding['range']): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}
