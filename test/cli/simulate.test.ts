/** `ecp-lens simulate` through the built CLI: text and JSON output, exit codes, usage errors. */
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { pathToFileURL } from 'node:url';
import { isTrace } from '../../client/webview/validate-trace';
import type { Trace } from '../../server/src/protocol';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'dist/cli.js');
const SEVEN = 'test/fixtures/simulate/seven-step.c';

function run(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('ecp-lens simulate', () => {
  it('prints a readable step table, totals, tags and verdict, labelled simulated; exit 0 when clean', () => {
    const r = run(['simulate', SEVEN, '--function', 'AttachClean']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = r.stdout;
    expect(out).toMatch(/AttachClean\(\) in test\/fixtures\/simulate\/seven-step\.c/);
    expect(out).toMatch(/SIMULATED figures/);
    expect(out).toMatch(/#\s+line\s+routine\s+status\s+IRQL\s+paged in use\s+nonpaged in use\s+quota/);
    expect(out).toMatch(/\n\s+1\s+31\s+FltAllocateExtraCreateParameterList\s+STATUS_SUCCESS\s+PASSIVE\s+24\s+0\s+0\n/);
    expect(out).toMatch(/\n\s+6\s+56\s+FltFreeExtraCreateParameterList\s+\(void\)\s+PASSIVE\s+0\s+0\s+0\n/);
    expect(out).toContain('Pool totals at the end of the path (simulated):');
    expect(out).toMatch(/paged:\s+0 bytes in 0 allocations \(peak 136 bytes, 2 allocations\)/);
    expect(out).toMatch(/FSel\s+0x6c655346\s+Paged\s+1\s+1\s+0\s+0/);
    expect(out).toContain('Leaks (simulated): 0');
    expect(out).toMatch(/Verdict \(simulated\): No leak/);
  });

  it('exits 1 and lists the leaks when step 7 is missing', () => {
    const r = run(['simulate', SEVEN, '--function', 'AttachForgetsFree']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Leaks (simulated): 2');
    expect(r.stdout).toMatch(/ECP_LIST\s+\S+\s+24\s+FSel\s+Paged\s+71/);
    expect(r.stdout).toMatch(/ECP context\s+\S+\s+112\s+Trck\s+Paged\s+75/);
    expect(r.stdout).toMatch(/Verdict \(simulated\): DRIVER_VERIFIER_DETECTED_VIOLATION \(0xC4\/0x62\): 2 pool allocations \(136 bytes\)/);
  });

  it('--format json prints exactly the trace, valid for the panel', () => {
    const r = run(['simulate', SEVEN, '--function', 'AttachLeaksOnError', '--fail-alloc', '2', '--format', 'json']);
    expect(r.code).toBe(1);
    const trace = JSON.parse(r.stdout) as Trace;
    expect(isTrace(trace)).toBe(true);
    expect(trace.uri).toBe(pathToFileURL(path.join(ROOT, SEVEN)).href);
    expect(trace.path).toEqual({ kind: 'faults' });
    expect(trace.final.leaks.map((l) => [l.kind, l.bytes, l.line])).toEqual([['ecp-list', 24, 108]]);
    // Beside each 0-based range, the 1-based line and column an editor or CI annotator reads.
    const source = fs.readFileSync(path.join(ROOT, SEVEN), 'utf8').split(/\r?\n/);
    for (const step of trace.steps) {
      expect([step.line, step.column]).toEqual([step.range.start.line + 1, step.range.start.character + 1]);
      expect(source[step.line - 1].slice(step.column - 1)).toMatch(new RegExp(`^${step.routine}\\b`));
    }
    const exit = trace.final.exit!;
    expect([exit.line, exit.column]).toEqual([exit.range.start.line + 1, exit.range.start.character + 1]);
  });

  it('--fail-tag fails the allocations with that tag', () => {
    const r = run(['simulate', SEVEN, '--function', 'AttachClean', '--fail-tag', 'Trck', '--format', 'json']);
    const trace = JSON.parse(r.stdout) as Trace;
    expect(trace.steps[1].status).toBe('STATUS_INSUFFICIENT_RESOURCES');
    expect(r.code).toBe(0);
  });

  it('--fail-alloc each runs systematic fault injection; a leaking path makes the exit 1', () => {
    const r = run(['simulate', SEVEN, '--function', 'AttachLeaksOnError', '--fail-alloc', 'each']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/Systematic fault injection \(simulated\)/);
    expect(r.stdout).toMatch(/#2\s+112\s+FltAllocateExtraCreateParameter\s+1 leaked/);
  });

  it('--fail-tag matches a tag as the source writes it and as PoolMon shows it, and says which allocation it failed', () => {
    for (const typed of ['kcrT', 'Trck']) {
      const r = run(['simulate', SEVEN, '--function', 'AttachLeaksOnError', '--fail-tag', typed, '--format', 'json']);
      expect(r.code).toBe(1);
      const trace = JSON.parse(r.stdout) as Trace;
      expect(trace.steps[1].status).toBe('STATUS_INSUFFICIENT_RESOURCES');
      expect(trace.faultMatches?.map((m) => [m.allocation, m.line, m.tag])).toEqual([[2, 112, 'Trck']]);
    }
    const text = run(['simulate', SEVEN, '--function', 'AttachLeaksOnError', '--fail-tag', 'kcrT']).stdout;
    expect(text).toContain("#2 FltAllocateExtraCreateParameter at line 112 fails (by tag Trck, typed as the source writes it ('kcrT'))");
  });

  it('a fault plan that matches nothing is an error with the path\'s allocation count, never "No leak"', () => {
    const past = run(['simulate', SEVEN, '--function', 'AttachLeaksOnError', '--fail-alloc', '99']);
    expect(past.code).toBe(2);
    expect(past.stdout).toBe('');
    expect(past.stderr).toContain('allocation #99 is never attempted: on this path AttachLeaksOnError makes 2 allocation attempts');
    const repeated = run(['simulate', SEVEN, '--function', 'AttachLeaksOnError', '--fail-alloc', '1,1,1']);
    expect(repeated.code).toBe(2);
    expect(repeated.stderr).toContain('--fail-alloc lists allocation #1 3 times');
    const tag = run(['simulate', SEVEN, '--function', 'AttachLeaksOnError', '--fail-tag', 'zzzz']);
    expect(tag.code).toBe(2);
    expect(tag.stderr).toContain("no allocation has pool tag 'zzzz' (in either byte order)");
    // Nothing is wrong with how the command was typed: no pointer to --help.
    for (const r of [past, tag]) expect(r.stderr).not.toMatch(/--help/);
  });

  it('--fail-alloc each ends with a verdict that agrees with the table and the exit status', () => {
    const leaky = run(['simulate', SEVEN, '--function', 'AttachLeaksOnError', '--fail-alloc', 'each']);
    expect(leaky.code).toBe(1);
    expect(leaky.stdout.trimEnd().split('\n').pop()).toBe('Verdict (simulated): 1 of 2 fault paths leaks: failing allocation #2 at line 112.');
    expect(leaky.stdout).toContain('Success path (simulated): No leak');
    const clean = run(['simulate', SEVEN, '--function', 'AttachClean', '--fail-alloc', 'each']);
    expect(clean.stdout.trimEnd().split('\n').pop()).toMatch(/^Verdict \(simulated\): all \d+ fault paths are clean/);
    expect(clean.code).toBe(0);
  });

  it('--fail-alloc each: a fault path that bug-checks is not "clean" in the table; counts are singular where they are one', () => {
    const r = run(['simulate', 'test/fixtures/rules/ecp-empty-list-pos-best-effort-allocation.c', '--fail-alloc', 'each']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/#1\s+28\s+FltAllocateExtraCreateParameterList\s+clean\s+-\n/);
    expect(r.stdout).toMatch(/#2\s+33\s+FltAllocateExtraCreateParameter\s+bug check\s+0x10C\/0x15\n/);
    expect(r.stdout.trimEnd().split('\n').pop()).toBe('Verdict (simulated): 1 of 2 fault paths bug-checks: failing allocation #2 at line 33.');
    const failed = run(['simulate', 'test/fixtures/rules/ecp-empty-list-pos-best-effort-allocation.c', '--fail-alloc', '2']);
    expect(failed.stdout).toMatch(/paged:\s+24 bytes in 1 allocation \(peak 24 bytes, 1 allocation\)\n/);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecp-sim-'));
    const one = path.join(dir, 'one.c');
    fs.writeFileSync(one, [
      'NTSTATUS OneList(PFLT_FILTER Filter)',
      '{',
      '    PECP_LIST list = NULL;',
      '    NTSTATUS status = FltAllocateExtraCreateParameterList(Filter, 0, &list);',
      '    if (!NT_SUCCESS(status)) {',
      '        return status;',
      '    }',
      '    FltFreeExtraCreateParameterList(Filter, list);',
      '    return STATUS_SUCCESS;',
      '}',
      '',
    ].join('\n'));
    const clean = run(['simulate', one, '--fail-alloc', 'each']);
    expect(clean.code).toBe(0);
    expect(clean.stdout.trimEnd().split('\n').pop()).toBe('Verdict (simulated): the only fault path is clean: no leak and no bug check.');
  });

  it('defaults to the first function that calls an ECP routine', () => {
    const r = run(['simulate', SEVEN, '--format', 'json']);
    expect((JSON.parse(r.stdout) as Trace).function).toBe('AttachClean');
  });

  it('exit 2 with the list of functions for an unknown function', () => {
    const r = run(['simulate', SEVEN, '--function', 'NoSuchFunction']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain("no function named 'NoSuchFunction'");
    expect(r.stderr).toContain('AttachClean (line 22), AttachForgetsFree (line 62), AttachLeaksOnError (line 99)');
  });

  it('exit 2 for usage and I/O errors', () => {
    expect(run(['simulate']).code).toBe(2);
    const missing = run(['simulate', 'no/such/file.c']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read no\/such\/file\.c: no such file/);
    expect(run(['simulate', SEVEN, '--fail-alloc', 'zero']).stderr).toMatch(/--fail-alloc takes allocation numbers/);
    expect(run(['simulate', SEVEN, '--format', 'sarif']).code).toBe(2);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecp-sim-'));
    const bin = path.join(dir, 'b.c');
    fs.writeFileSync(bin, Buffer.from([0, 1, 2, 3]));
    expect(run(['simulate', bin]).stderr).toMatch(/binary/);
    const empty = path.join(dir, 'empty.c');
    fs.writeFileSync(empty, 'int x;\n');
    const none = run(['simulate', empty]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/nothing to simulate: the file defines no function/);
  });
});
