/**
 * Human-readable `check` output in the two compiler dialects editors and CI already read:
 *   gcc/clang (the default):  file:29:14: error: message [ecp-list-leak]
 *                             file:27:5: note: the path step
 *   MSVC (`--format msvc`):   file(29,14): error ecp-list-leak: message
 *                             file(27,5): note: the path step
 * then (with --verbose) the functions not fully analysed, and one summary line. Positions are 1-based, as compilers print them.
 */
import type { Severity } from '../rules/registry';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FileFindings } from './sarif';
import { coverageSummary, coverageListing } from './coverage';

export type TextDialect = 'gcc' | 'msvc';

/** Compilers know error, warning and note; information and hint are notes. */
const WORD: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

type Position = { line: number; character: number };

function at(dialect: TextDialect, file: string, p: Position): string {
  return dialect === 'msvc' ? `${file}(${p.line + 1},${p.character + 1})` : `${file}:${p.line + 1}:${p.character + 1}`;
}

function spelledLike(findingPath: string, other: string): string {
  return path.isAbsolute(findingPath) ? other : path.relative(process.cwd(), other);
}

export function formatText(results: FileFindings[], dialect: TextDialect = 'gcc', verbose = false): string {
  const lines: string[] = [];
  let errors = 0;
  let others = 0;
  for (const file of results) {
    for (const f of file.findings) {
      if (f.severity === 'error') errors++;
      else others++;
      const where = at(dialect, file.path, f.range.start);
      const word = WORD[f.severity];
      lines.push(dialect === 'msvc' ? `${where}: ${word} ${f.code}: ${f.message}` : `${where}: ${word}: ${f.message} [${f.code}]`);
      // A step inside a function of another program file names that file, spelled as the
      // finding's own file is: absolute when the user named it so, else relative to here.
      for (const step of f.related) lines.push(`${at(dialect, step.uri?.startsWith('file:') ? spelledLike(file.path, fileURLToPath(step.uri)) : file.path, step.range.start)}: note: ${step.message}`);
    }
  }
  const files = results.length;
  if (verbose) lines.push(...coverageListing(results));
  lines.push(`${files} file${files === 1 ? '' : 's'} checked: ${errors} error${errors === 1 ? '' : 's'}, ${others} other finding${others === 1 ? '' : 's'}; ${coverageSummary(results)}.`);
  return `${lines.join('\n')}\n`;
}
