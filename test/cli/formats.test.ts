/**
 * `check` output formats as editors and CI read them: gcc/clang lines (the default, and what the
 * contributed `$ecp-lens` problem matcher parses), MSVC lines, and JSON with 1-based positions.
 */
import { describe, it, expect } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, run, tempTree } from './helpers';
import { CALLER, WRAP } from './wrapperProject';

const EXAMPLE = 'examples/attach-ecp-mistakes.c';

interface JsonFinding {
  code: string;
  severity: string;
  message: string;
  line: number;
  column: number;
  range: { start: { line: number; character: number } };
  related: { message: string; line: number; column: number; range: { start: { line: number; character: number } } }[];
}

function jsonFindings(): JsonFinding[] {
  return JSON.parse(run(['check', '--format', 'json', EXAMPLE]).stdout).files[0].findings;
}

const WORD: Record<string, string> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

describe('check output formats', () => {
  it('JSON findings carry 1-based line and column beside the 0-based range, for steps too', () => {
    const findings = jsonFindings();
    const leak = findings.find((f) => f.code === 'ecp-list-leak')!;
    expect([leak.line, leak.column]).toEqual([29, 14]);
    expect(leak.range.start).toEqual({ line: 28, character: 13 });
    for (const f of findings) {
      expect([f.line, f.column]).toEqual([f.range.start.line + 1, f.range.start.character + 1]);
      for (const r of f.related) expect([r.line, r.column]).toEqual([r.range.start.line + 1, r.range.start.character + 1]);
    }
  });

  it('prints gcc-style lines by default: the finding, then its path steps as notes', () => {
    const r = run(['check', EXAMPLE]);
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n');
    const leak = jsonFindings().find((f) => f.code === 'ecp-list-leak')!;
    const first = lines.indexOf(`${EXAMPLE}:29:14: error: ${leak.message} [ecp-list-leak]`);
    expect(first).toBeGreaterThanOrEqual(0);
    const steps = leak.related.map((s) => `${EXAMPLE}:${s.line}:${s.column}: note: ${s.message}`);
    expect(lines.slice(first + 1, first + 1 + steps.length)).toEqual(steps);
  });

  it('a step in another program file is spelled as the finding\'s file is: absolute when named so, else relative', () => {
    // The leak is reported in caller.c; the allocation step is inside wrap.c's WrapMakeList.
    const dir = tempTree({ 'wrap.c': WRAP.replace('#ifdef USE_LIST_V2', '#if 1'), 'caller.c': CALLER });
    const absolute = run(['check', dir]).stdout.split('\n');
    expect(absolute).toContain(`${path.join(dir, 'wrap.c')}:7:12: note: ECP list allocated here`);
    expect(absolute.filter((l) => / note: /.test(l)).every((l) => l.startsWith(`${dir}${path.sep}`))).toBe(true);
    const relative = run(['check', '.'], dir).stdout.split('\n');
    expect(relative).toContain('wrap.c:7:12: note: ECP list allocated here');
    expect(relative).toContain('caller.c:7:23: note: WrapMakeList returns a new ECP list here');
  });

  it('prints MSVC-style lines with --format msvc', () => {
    const r = run(['check', '--format', 'msvc', EXAMPLE]);
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n');
    for (const f of jsonFindings()) expect(lines).toContain(`${EXAMPLE}(${f.line},${f.column}): ${WORD[f.severity]} ${f.code}: ${f.message}`);
    expect(lines.filter((l) => / note: /.test(l)).length).toBe(jsonFindings().reduce((n, f) => n + f.related.length, 0));
  });

  it('the $ecp-lens problem matcher in package.json reads every finding line, and no step line', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    const matcher = pkg.contributes.problemMatchers.find((m: { name: string }) => m.name === 'ecp-lens');
    const p = matcher.pattern;
    const regexp = new RegExp(p.regexp);
    const matched = run(['check', EXAMPLE]).stdout.split('\n').map((l) => regexp.exec(l)).filter((m): m is RegExpExecArray => m !== null);
    const expected = jsonFindings().map((f) => [EXAMPLE, String(f.line), String(f.column), WORD[f.severity], f.message, f.code]);
    expect(matched.map((m) => [m[p.file], m[p.line], m[p.column], m[p.severity], m[p.message], m[p.code]])).toEqual(expected);
  });
});
