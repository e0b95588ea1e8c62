/**
 * Functions the server could not analyse fully: a language status item with their count, and a
 * command that lists them and jumps to the one picked.
 */
import * as vscode from 'vscode';
import type { ClientHandle } from './languageClient';
import { DOCUMENT_SELECTOR } from './languageClient';
import { CoverageNotification, SHOW_INCOMPLETE_COMMAND, type DocumentCoverage, type CoverageGapInfo } from '../../server/src/protocol';

/** The server writes each gap to the output log itself (its analysis log). */
export function activateCoverage(context: vscode.ExtensionContext, handle: ClientHandle): void {
  const byUri = new Map<string, DocumentCoverage>();
  const item = vscode.languages.createLanguageStatusItem('ecpLens.coverage', DOCUMENT_SELECTOR);
  item.name = 'ECP Lens coverage';
  context.subscriptions.push(item);
  const refresh = () => {
    const gaps = [...byUri.values()].flatMap((d) => d.gaps);
    const functions = [...byUri.values()].reduce((n, d) => n + d.functions, 0);
    item.text = gaps.length > 0 ? `$(warning) ${gaps.length} function${gaps.length === 1 ? '' : 's'} not fully analysed` : `${functions} ECP function${functions === 1 ? '' : 's'} analysed`;
    item.severity = gaps.length > 0 ? vscode.LanguageStatusSeverity.Warning : vscode.LanguageStatusSeverity.Information;
    item.command = gaps.length > 0 ? { title: 'List', command: SHOW_INCOMPLETE_COMMAND } : undefined;
  };
  refresh();
  handle.client.onNotification(CoverageNotification, (coverage: DocumentCoverage) => {
    if (coverage.gaps.length === 0 && coverage.functions === 0) byUri.delete(coverage.uri);
    else byUri.set(coverage.uri, coverage);
    refresh();
  });
  context.subscriptions.push(vscode.commands.registerCommand(SHOW_INCOMPLETE_COMMAND, () => pickAndReveal(byUri)));
}

function describe(g: CoverageGapInfo): string {
  return `${g.function ?? 'code'} ${g.kind === 'incomplete' ? 'not fully analysed' : 'not analysed'} (${g.reason.replace('-', ' ')}): ${g.detail}`;
}

async function pickAndReveal(byUri: Map<string, DocumentCoverage>): Promise<void> {
  const items = [...byUri.values()].flatMap((d) => d.gaps.map((g) => ({
    label: g.function ?? '(code the parser could not read)',
    description: `${vscode.workspace.asRelativePath(vscode.Uri.parse(d.uri))}:${g.line + 1}`,
    detail: describe(g),
    uri: d.uri,
    line: g.line,
  })));
  if (items.length === 0) {
    void vscode.window.showInformationMessage('ECP Lens: every ECP-using function in the open files was fully analysed.');
    return;
  }
  const picked = await vscode.window.showQuickPick(items, { placeHolder: 'Functions ECP Lens did not fully analyse' });
  if (!picked) return;
  const editor = await vscode.window.showTextDocument(vscode.Uri.parse(picked.uri));
  const at = new vscode.Position(picked.line, 0);
  editor.selection = new vscode.Selection(at, at);
  editor.revealRange(new vscode.Range(at, at), vscode.TextEditorRevealType.InCenter);
}
