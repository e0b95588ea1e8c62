/**
 * The rule documentation opens rendered, at the rule: the server's `window/showDocument` for the
 * shipped docs/rules.md (the "Show documentation for ecp-…" action) and the rule-code links of the
 * Problems panel (every diagnostic's code link) open the Markdown preview scrolled to the rule's heading. The
 * server's link is the file at the heading's line (`#L42`), which other clients open as text; in
 * VS Code such a link opened the text, and a preview opened from it started at the top.
 */
import * as vscode from 'vscode';
import type { Middleware } from 'vscode-languageclient/node';

export const OPEN_RULE_DOC_COMMAND = 'ecpLens.openRuleDocumentation';

/** The rule code a shipped-docs link or selection names: from its `#L<line>` fragment or selected line. */
function ruleAtLine(docPath: string, line: number | undefined): Thenable<string | undefined> {
  if (line === undefined || line < 0) return Promise.resolve(undefined);
  return vscode.workspace.openTextDocument(vscode.Uri.file(docPath)).then(
    (doc) => (line < doc.lineCount ? /^##\s+(ecp-[\w-]+)\s*$/.exec(doc.lineAt(line).text)?.[1] : undefined),
    () => undefined,
  );
}

/** Opens the rendered rules document at `code`'s heading; the text at the heading when no preview is available. */
export async function openRuleDoc(docPath: string, code: string | undefined): Promise<boolean> {
  const file = vscode.Uri.file(docPath);
  try {
    // The preview scrolls to the heading the fragment names (its slug: the rule code itself).
    await vscode.commands.executeCommand('markdown.showPreview', code ? file.with({ fragment: code }) : file);
    return true;
  } catch {
    const doc = await vscode.workspace.openTextDocument(file);
    const line = code ? Math.max(0, doc.getText().split('\n').findIndex((l) => l.trim() === `## ${code}`)) : 0;
    await vscode.window.showTextDocument(doc, { selection: new vscode.Range(line, 0, line, 0) });
    return true;
  }
}

const sameFile = (a: vscode.Uri, docPath: string) => a.scheme === 'file' && a.fsPath === vscode.Uri.file(docPath).fsPath;

/** The rule a link to the shipped docs names: `file:…/docs/rules.md#L42` → the code of the heading on line 42. */
function lineOfFragment(uri: vscode.Uri): number | undefined {
  const m = /^L(\d+)$/.exec(uri.fragment);
  return m ? Number(m[1]) - 1 : undefined;
}

/** A `command:` link that opens the preview at the rule, in place of the server's file link. */
export function ruleDocLink(code: string): vscode.Uri {
  return vscode.Uri.parse(`command:${OPEN_RULE_DOC_COMMAND}?${encodeURIComponent(JSON.stringify([code]))}`);
}

export function ruleDocMiddleware(docPath: string): Middleware {
  return {
    window: {
      showDocument: async (params, token, next) => {
        const uri = vscode.Uri.parse(params.uri);
        if (!sameFile(uri, docPath)) return next(params, token);
        const code = await ruleAtLine(docPath, params.selection?.start.line ?? lineOfFragment(uri));
        return { success: await openRuleDoc(docPath, code) };
      },
    },
    handleDiagnostics: (uri, diagnostics, next) => {
      for (const d of diagnostics) {
        const code = d.code;
        if (typeof code === 'object' && code !== null && sameFile(code.target, docPath) && typeof code.value === 'string' && /^ecp-/.test(code.value)) {
          d.code = { value: code.value, target: ruleDocLink(code.value) };
        }
      }
      next(uri, diagnostics);
    },
  };
}

export function activateRuleDocs(context: vscode.ExtensionContext, docPath: string): void {
  context.subscriptions.push(vscode.commands.registerCommand(OPEN_RULE_DOC_COMMAND, (code: unknown) => openRuleDoc(docPath, typeof code === 'string' ? code : undefined)));
}
