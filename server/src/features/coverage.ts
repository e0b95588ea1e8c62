/** What the editor is told about functions that were not fully analysed: notification and lens. */
import type { CodeLens } from 'vscode-languageserver';
import type { FileCoverage, CoverageGap } from '../engine/coverage';
import { type DocumentCoverage, type CoverageGapInfo, SHOW_INCOMPLETE_COMMAND } from '../protocol';

export function documentCoverage(uri: string, coverage: FileCoverage): DocumentCoverage {
  const info = (kind: CoverageGapInfo['kind']) => (g: CoverageGap): CoverageGapInfo => ({ function: g.function, line: g.line, reason: g.reason, kind, detail: g.detail });
  return { uri, functions: coverage.functions, gaps: [...coverage.incomplete.map(info('incomplete')), ...coverage.notAnalysed.map(info('notAnalysed'))] };
}

/** `analysis incomplete: path bound`, `not analysed: parse error` */
export function gapTitle(gap: Pick<CoverageGapInfo, 'kind' | 'reason'>): string {
  return `⚠ ${gap.kind === 'incomplete' ? 'analysis incomplete' : 'not analysed'}: ${gap.reason.replace('-', ' ')}`;
}

/** A lens on the first line of each function not fully analysed; it opens the list. */
export function coverageLenses(uri: string, coverage: FileCoverage): CodeLens[] {
  return documentCoverage(uri, coverage).gaps.map((g) => ({
    range: { start: { line: g.line, character: 0 }, end: { line: g.line, character: 0 } },
    command: { title: gapTitle(g), command: SHOW_INCOMPLETE_COMMAND, arguments: [] },
  }));
}
