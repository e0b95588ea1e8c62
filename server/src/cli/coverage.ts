/**
 * How much of the checked code was analysed, in each output format: the summary sentence of the
 * text report, the `--verbose` listing, the JSON `coverage` object and SARIF notifications.
 */
import type { CoverageGap, CoverageReason, FileCoverage } from '../engine/coverage';

export interface FileWithCoverage {
  path: string;
  coverage?: FileCoverage;
}

const REASON_TEXT: Record<CoverageReason, string> = {
  'parse-error': 'parse error',
  'path-bound': 'path bound',
  'time-bound': 'time bound',
  'program-bound': 'program bound',
  unsupported: 'unsupported code',
};

export function reasonText(reason: CoverageReason): string {
  return REASON_TEXT[reason];
}

/** `41 functions analysed, 2 incomplete (path bound), 1 not analysed (parse error)` */
export function coverageSummary(files: FileWithCoverage[]): string {
  const all = files.map((f) => f.coverage).filter((c): c is FileCoverage => Boolean(c));
  const analysed = all.reduce((n, c) => n + c.analysed, 0);
  const parts = [`${analysed} function${analysed === 1 ? '' : 's'} analysed`];
  const incomplete = all.flatMap((c) => c.incomplete);
  const notAnalysed = all.flatMap((c) => c.notAnalysed);
  if (incomplete.length > 0) parts.push(`${incomplete.length} incomplete (${reasonsOf(incomplete)})`);
  if (notAnalysed.length > 0) parts.push(`${notAnalysed.length} not analysed (${reasonsOf(notAnalysed)})`);
  return parts.join(', ');
}

function reasonsOf(gaps: CoverageGap[]): string {
  const counts = new Map<CoverageReason, number>();
  for (const g of gaps) counts.set(g.reason, (counts.get(g.reason) ?? 0) + 1);
  if (counts.size === 1) return reasonText(gaps[0].reason);
  return [...counts].map(([r, n]) => `${n} ${reasonText(r)}`).join(', ');
}

/** One line per function not fully analysed, `file:line: function: why`. */
export function coverageListing(files: FileWithCoverage[]): string[] {
  const lines: string[] = [];
  for (const f of files) {
    for (const [kind, gaps] of [['incomplete', f.coverage?.incomplete ?? []], ['not analysed', f.coverage?.notAnalysed ?? []]] as const) {
      for (const g of gaps) lines.push(`${f.path}:${g.line + 1}: ${g.function ?? '(unnamed code)'}: ${kind} (${reasonText(g.reason)}): ${g.detail}`);
    }
  }
  return lines;
}

export interface CoverageJson {
  functions: number;
  analysed: number;
  incomplete: { path: string; function: string | null; line: number; reason: CoverageReason }[];
  notAnalysed: { path: string; function: string | null; line: number; reason: CoverageReason }[];
}

/** The JSON report's top-level `coverage` object (1-based lines). */
export function coverageJson(files: FileWithCoverage[]): CoverageJson {
  const entry = (path: string) => (g: CoverageGap) => ({ path, function: g.function, line: g.line + 1, reason: g.reason });
  return {
    functions: files.reduce((n, f) => n + (f.coverage?.functions ?? 0), 0),
    analysed: files.reduce((n, f) => n + (f.coverage?.analysed ?? 0), 0),
    incomplete: files.flatMap((f) => (f.coverage?.incomplete ?? []).map(entry(f.path))),
    notAnalysed: files.flatMap((f) => (f.coverage?.notAnalysed ?? []).map(entry(f.path))),
  };
}

/** SARIF `toolExecutionNotifications`: one per function not fully analysed, at its location. */
export function coverageNotifications(files: FileWithCoverage[], artifact: (path: string) => { uri: string; uriBaseId?: string }): object[] {
  const out: object[] = [];
  for (const f of files) {
    const gaps = [...(f.coverage?.incomplete ?? []).map((g) => ({ g, kind: 'incomplete' })), ...(f.coverage?.notAnalysed ?? []).map((g) => ({ g, kind: 'not analysed' }))];
    for (const { g, kind } of gaps) {
      out.push({
        level: 'warning',
        message: { text: `${g.function ?? 'Code'} ${kind === 'incomplete' ? 'was not fully analysed' : 'was not analysed'} (${reasonText(g.reason)}): ${g.detail}.` },
        descriptor: { id: `ecp-lens/${g.reason}` },
        locations: [{ physicalLocation: { artifactLocation: artifact(f.path), region: { startLine: g.line + 1 } } }],
        properties: { reason: g.reason, function: g.function, coverage: kind === 'incomplete' ? 'incomplete' : 'notAnalysed' },
      });
    }
  }
  return out;
}
