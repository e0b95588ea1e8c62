/**
 * `check` and `simulate` on files saved with CR-only and mixed line endings report the lines an
 * editor shows (LSP and TextDocument count `\n`, `\r\n` and a lone `\r`), in every format.
 */
import { describe, it, expect } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, run, tempTree } from './helpers';
import { withLineEndings } from '../lineEndings';

const LEAK = fs.readFileSync(path.join(ROOT, 'test/fixtures/rules/ecp-list-leak-pos-set-failure.c'), 'utf8');
const SEVEN = fs.readFileSync(path.join(ROOT, 'test/fixtures/simulate/seven-step.c'), 'utf8');
const STYLES = ['cr', 'crlf', 'mixed'] as const;

function tree() {
  const files: Record<string, string> = { 'lf.c': LEAK, 'seven-lf.c': SEVEN };
  for (const s of STYLES) {
    files[`${s}.c`] = withLineEndings(LEAK, s);
    files[`seven-${s}.c`] = withLineEndings(SEVEN, s);
  }
  return tempTree(files);
}

const DIR = tree();

function check(file: string, format: string): string {
  const r = run(['check', '--format', format, file], DIR);
  expect(r.stderr).toBe('');
  return r.stdout;
}

describe('line endings in the CLI', () => {
  it('gcc and msvc lines name the same line and column as for the LF file', () => {
    const gcc = check('lf.c', 'text');
    expect(gcc).toMatch(/^lf\.c:29:14: error: .*\[ecp-list-leak\]$/m);
    const msvc = check('lf.c', 'msvc');
    for (const s of STYLES) {
      expect(check(`${s}.c`, 'text')).toBe(gcc.replaceAll('lf.c', `${s}.c`));
      expect(check(`${s}.c`, 'msvc')).toBe(msvc.replaceAll('lf.c', `${s}.c`));
    }
  });

  it('JSON and SARIF positions, steps and fingerprints agree with the LF file', () => {
    // Fix texts end lines as the file does; everything else is the same.
    const json = (f: string) => JSON.parse(check(f, 'json').replace(/\\r\\n|\\r/g, '\\n')).files[0].findings;
    const sarif = (f: string) => JSON.parse(check(f, 'sarif')).runs[0].results.map((r: Record<string, unknown>) => ({ ...r, locations: undefined, relatedLocations: (r.relatedLocations as { physicalLocation: { region: unknown } }[]).map((l) => l.physicalLocation.region), codeFlows: undefined }));
    const lf = json('lf.c');
    expect(lf[0].line).toBe(29);
    for (const s of STYLES) {
      expect(json(`${s}.c`)).toEqual(lf);
      expect(sarif(`${s}.c`)).toEqual(sarif('lf.c'));
    }
  }, 120_000); // 8 CLI runs: over 30 s at load 20 (a landing failed on it)

  it('simulate steps and leak lines agree with the LF file', () => {
    const steps = (f: string) => {
      const trace = JSON.parse(run(['simulate', f, '--function', 'AttachForgetsFree', '--format', 'json'], DIR).stdout);
      return { steps: trace.steps.map((x: { line: number; range: unknown }) => [x.line, x.range]), leaks: trace.final.leaks.map((l: { line: number }) => l.line), range: trace.range };
    };
    const lf = steps('seven-lf.c');
    expect(lf.steps.length).toBeGreaterThan(3);
    for (const s of STYLES) expect(steps(`seven-${s}.c`)).toEqual(lf);
    const text = run(['simulate', 'seven-cr.c', '--function', 'AttachForgetsFree'], DIR).stdout;
    expect(text).toBe(run(['simulate', 'seven-lf.c', '--function', 'AttachForgetsFree'], DIR).stdout.replaceAll('seven-lf.c', 'seven-cr.c'));
  });
});
