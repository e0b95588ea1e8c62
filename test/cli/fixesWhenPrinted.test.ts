/**
 * `check` builds quick fixes only for the format that prints them (JSON). Text, msvc and SARIF
 * reports never build them nor re-analyse a file to verify a "free before returning" fix, and
 * that must change nothing else: the same findings, at the same places, with the same paths.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { initParser } from '../../server/src/parsing/parser';
import { ProgramRun } from '../../server/src/cli/programRun';
import type { Finding } from '../../server/src/analysis';
import { ROOT, run } from './helpers';

const MISTAKES = path.join(ROOT, 'examples/attach-ecp-mistakes.c');
const CORRECT = path.join(ROOT, 'examples/attach-ecp-correct.c');
const FREE_FIX = /^Free \w+ before returning/;

beforeAll(async () => {
  await initParser();
});

function analyse(fixes: boolean): Finding[] {
  const text = fs.readFileSync(MISTAKES, 'utf8');
  const program = new ProgramRun([MISTAKES], () => text, undefined, undefined, fixes);
  try {
    return program.analyse(0).findings;
  } finally {
    program.dispose();
  }
}

const withoutFixes = (f: Finding) => ({ ...f, fixes: undefined });

describe('quick fixes only where the report prints them', () => {
  it('a run without fixes finds the same, and builds no fix at all (not even the verified free)', () => {
    const printed = analyse(true);
    const plain = analyse(false);
    expect(printed.some((f) => f.fixes.some((x) => FREE_FIX.test(x.title)))).toBe(true);
    expect(plain.map(withoutFixes)).toEqual(printed.map(withoutFixes));
    expect(plain.every((f) => f.fixes.length === 0)).toBe(true);
  });

  it('JSON keeps the verified fixes with workers; text and SARIF report the same findings', () => {
    const json = JSON.parse(run(['check', '--format', 'json', '--jobs', '2', MISTAKES, CORRECT]).stdout) as { files: { path: string; findings: (Finding & { line: number })[] }[] };
    const findings = json.files.flatMap((f) => f.findings.map((x) => ({ file: path.basename(f.path), line: x.line, code: x.code, fixes: x.fixes })));
    expect(findings.some((f) => f.fixes.some((x) => FREE_FIX.test(x.title)))).toBe(true);
    const expected = findings.map((f) => `${f.file}:${f.line}:${f.code}`).sort();
    const text = run(['check', '--jobs', '2', MISTAKES, CORRECT]).stdout;
    const textFindings = [...text.matchAll(/^(?:.*[\\/])?([\w.-]+):(\d+):\d+: (?:error|warning|information|hint): .*\[([\w-]+)\]$/gm)].map((m) => `${m[1]}:${m[2]}:${m[3]}`).sort();
    expect(textFindings).toEqual(expected);
    const sarif = JSON.parse(run(['check', '--format', 'sarif', '--jobs', '2', MISTAKES, CORRECT]).stdout) as { runs: { results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] }[] }[] };
    const sarifFindings = sarif.runs[0].results.map((r) => `${path.basename(r.locations[0].physicalLocation.artifactLocation.uri)}:${r.locations[0].physicalLocation.region.startLine}:${r.ruleId}`).sort();
    expect(sarifFindings).toEqual(expected);
  });
});
