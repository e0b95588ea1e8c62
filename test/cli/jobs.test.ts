import { describe, it, expect } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, run, tempTree } from './helpers';

const PROJECTS = path.join(ROOT, 'test/fixtures/projects');
const projects = fs.readdirSync(PROJECTS).filter((d) => fs.statSync(path.join(PROJECTS, d)).isDirectory()).sort();

describe('ecp-lens check --jobs', () => {
  for (const project of projects) {
    it(`gives the same report with --jobs 2 as with --jobs 1 on ${project} (text, json, sarif)`, () => {
      const dir = path.join(PROJECTS, project);
      for (const format of ['text', 'json', 'sarif']) {
        const one = run(['check', '--jobs', '1', '--format', format, '--base', dir, dir]);
        const two = run(['check', '--jobs', '2', '--format', format, '--base', dir, dir]);
        expect(two.stderr).toBe(one.stderr);
        expect(two.code).toBe(one.code);
        expect(two.stdout).toBe(one.stdout);
        expect(one.stdout.length).toBeGreaterThan(0);
      }
    });
  }

  it('gives the same report with --jobs 2 under a compile database and -D (each worker reads the same build)', () => {
    const dir = path.join(PROJECTS, 'build-config-driver');
    const argv = (jobs: string) => ['check', '--jobs', jobs, '--format', 'json', '--compile-commands', path.join(dir, 'compile_commands.json'), '-DUSE_ECP_V2', path.join(dir, 'src')];
    const one = run(argv('1'));
    const two = run(argv('2'));
    expect(two.stdout).toBe(one.stdout);
    expect(two.stderr).toBe(one.stderr);
    const report = JSON.parse(one.stdout) as { files: { findings: unknown[] }[] };
    expect(report.files.length).toBeGreaterThan(1);
    expect(report.files.flatMap((f) => f.findings).length).toBeGreaterThan(0);
  });

  it('keeps the findings that run through a callee in another file with workers', () => {
    // The leak is only visible through ecp.c's wrapper: a worker that did not see the whole
    // program would report nothing for create.c.
    const dir = path.join(PROJECTS, 'c-split-minifilter');
    const r = run(['check', '--jobs', '2', '--format', 'json', dir]);
    const report = JSON.parse(r.stdout) as { files: { path: string; findings: { code: string; related: { uri?: string }[] }[] }[] };
    const codes = report.files.flatMap((f) => f.findings.map((x) => `${path.basename(f.path)}:${x.code}`));
    expect(codes).toEqual(['create.c:ecp-list-leak']);
    expect(report.files.find((f) => f.path.endsWith('create.c'))!.findings[0].related.some((s) => s.uri?.endsWith('/ecp.c'))).toBe(true);
  });

  it('gives the same report for more files than workers, in command-line order', () => {
    const files: Record<string, string> = {};
    const leaky = (n: number) => `NTSTATUS Open${n}(PFLT_FILTER Filter)\n{\n    PECP_LIST list;\n    NTSTATUS status = FltAllocateExtraCreateParameterList(Filter, 0, &list);\n    if (!NT_SUCCESS(status)) return status;\n    return STATUS_SUCCESS;\n}\n`;
    for (let i = 0; i < 7; i++) files[`f${i}.c`] = leaky(i).repeat(1).padEnd(200 * (i + 1), ' ');
    const dir = tempTree(files);
    const one = run(['check', '--jobs', '1', '--format', 'json', dir]);
    const three = run(['check', '--jobs', '3', '--format', 'json', dir]);
    expect(three.stdout).toBe(one.stdout);
    const report = JSON.parse(one.stdout) as { files: { path: string; findings: { code: string }[] }[] };
    expect(report.files.map((f) => path.basename(f.path))).toEqual(['f0.c', 'f1.c', 'f2.c', 'f3.c', 'f4.c', 'f5.c', 'f6.c']);
    expect(report.files.every((f) => f.findings.some((x) => x.code === 'ecp-list-leak'))).toBe(true);
  });

  it('rejects --jobs 0, --jobs abc and --jobs -1 with a clear message, exit 2', () => {
    for (const value of ['0', 'abc', '-1', '1.5']) {
      const r = run(['check', '--jobs', value, path.join(PROJECTS, 'c-split-minifilter')]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`--jobs needs a whole number of at least 1 (got '${value}')`);
      expect(r.stdout).toBe('');
    }
  });

  it('reports a worker that runs out of memory with the file it held, exit 2, no report', () => {
    // A real failure: a 1.8 MB file analysed in a worker whose heap is capped at 12 MiB.
    const fn = (n: number) =>
      `NTSTATUS Big${n}(PFLT_FILTER Filter, PECP_LIST List)\n{\n    PVOID ctx;\n    NTSTATUS status = FltAllocateExtraCreateParameter(Filter, &GUID_ECP_BIG, 16, 0, NULL, 'gibE', &ctx);\n    if (!NT_SUCCESS(status)) {\n        return status;\n    }\n    status = FltInsertExtraCreateParameter(Filter, List, ctx);\n    if (!NT_SUCCESS(status)) {\n        FltFreeExtraCreateParameter(Filter, ctx);\n    }\n    return status;\n}\n\n`;
    const dir = tempTree({ 'big.c': Array.from({ length: 4500 }, (_, i) => fn(i)).join(''), 'small.c': 'int Small(void) { return 0; }\n' });
    const r = run(['check', '--jobs', '2', '--worker-heap', '12', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/ecp-lens: a worker failed while (reading|analysing) .*big\.c: it ran out of memory/);
    expect(r.stdout).toBe('');
    // The same files with the default heap are analysed: the failure was the cap, not the file.
    expect([0, 1]).toContain(run(['check', '--jobs', '2', dir]).code);
    // Two CLI runs over a 1.8 MB file: on a loaded 2-core machine this took over the default 30 s
    // harness timeout (not a timed assertion; the test has no time bound of its own).
  }, 180_000);

  it('prints progress on standard error with --progress, and nothing without it when not a terminal', () => {
    const dir = path.join(PROJECTS, 'c-split-minifilter');
    const quiet = run(['check', '--jobs', '2', dir]);
    expect(quiet.stderr).toBe('');
    const loud = run(['check', '--jobs', '2', '--progress', dir]);
    expect(loud.stderr).toContain('ecp-lens: indexing 4/4 files');
    expect(loud.stderr).toContain('ecp-lens: analysing 4/4 files');
    expect(loud.stdout).toBe(quiet.stdout);
  });
});
