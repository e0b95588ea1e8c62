/** Reads the inline expectations of a rule fixture and compares them with the analysis. */
import * as fs from 'node:fs';
import { parseText, languageFor } from '../../../server/src/parsing/parser';
import { analyzeParsed, type Finding, type AnalysisOptions } from '../../../server/src/analysis';

export interface Expectation {
  line: number; // 0-based
  code: string;
}

export interface FixtureResult {
  expected: Expectation[];
  none: boolean;
  findings: Finding[];
  missing: Expectation[];
  unexpected: Finding[];
  /** Functions not fully analysed, as `name:reason`. */
  incomplete: string[];
}

/** Fixtures mark findings with `// expect: code`; the examples with `// ECP Lens: code — why`. */
export const FIXTURE_MARKER = /\/\/\s*expect:\s*([\w\-,\s]+)/;
export const EXAMPLE_MARKER = /\/\/\s*ECP Lens:\s*(ecp-[\w-]+(?:\s*,\s*ecp-[\w-]+)*)/;

export function readExpectations(source: string, marker = FIXTURE_MARKER): { expected: Expectation[]; none: boolean } {
  const expected: Expectation[] = [];
  let none = false;
  source.split('\n').forEach((text, line) => {
    if (/\/\/\s*expect-none\b/.test(text)) none = true;
    const m = marker.exec(text);
    if (m) for (const code of m[1].split(',').map((c) => c.trim()).filter((c) => c.startsWith('ecp-'))) expected.push({ line, code });
  });
  return { expected, none };
}

/**
 * A finding matches an expectation when it has the expected code and starts on the expected line,
 * or inside the statement that starts there (argument-level rules point at the argument).
 */
export function runFixture(file: string, marker = FIXTURE_MARKER, options: AnalysisOptions = {}): FixtureResult {
  const source = fs.readFileSync(file, 'utf8');
  const { expected, none } = readExpectations(source, marker);
  const parsed = parseText(source, options.build?.language ?? languageFor(file));
  try {
    const { findings, file: analysis } = analyzeParsed(parsed, source, options);
    const incomplete = [...analysis.coverage.incomplete, ...analysis.coverage.notAnalysed].map((g) => `${g.function}:${g.reason}`);
    const spans = expected.map((e) => statementSpan(parsed.tree.rootNode, e.line));
    const used = new Set<Finding>();
    const missing: Expectation[] = [];
    expected.forEach((e, i) => {
      const hit = findings.find((f) => !used.has(f) && f.code === e.code && f.range.start.line >= e.line && f.range.start.line <= spans[i]);
      if (hit) used.add(hit);
      else missing.push(e);
    });
    const unexpected = findings.filter((f) => !used.has(f));
    return { expected, none, findings, missing, unexpected, incomplete };
  } finally {
    parsed.tree.delete();
  }
}

function statementSpan(root: import('../../../server/src/parsing/parser').Node, line: number): number {
  let end = line;
  const stack = [root];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.startPosition.row > line || n.endPosition.row < line) continue;
    if (n.startPosition.row === line && /statement|declaration|call_expression/.test(n.type) && n.type !== 'compound_statement') {
      end = Math.max(end, n.endPosition.row);
    }
    for (const c of n.namedChildren) if (c) stack.push(c);
  }
  return end;
}
