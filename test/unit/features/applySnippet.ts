/** Applies a completion item the way the editor does when every default is accepted. */
import type { CompletionItem, TextEdit } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { expandSnippet } from '../../../server/src/features/snippetExpand';

/**
 * The document after accepting `item`: the snippet expanded with its defaults, its following lines
 * indented like the line it starts on (tabs as four spaces), and the additional edits applied.
 */
export function applyCompletion(text: string, item: CompletionItem): string {
  const doc = TextDocument.create('file:///apply.c', 'c', 1, text);
  const main = item.textEdit as TextEdit;
  const start = doc.offsetAt(main.range.start);
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const indent = /^[ \t]*/.exec(text.slice(lineStart))![0];
  const expanded = expandSnippet(main.newText)
    .replace(/^\t+/gm, (t) => '    '.repeat(t.length))
    .replace(/\n(?=[^\n])/g, `\n${indent}`);
  const edits = [{ range: main.range, newText: expanded }, ...(item.additionalTextEdits ?? [])];
  return TextDocument.applyEdits(doc, edits);
}
