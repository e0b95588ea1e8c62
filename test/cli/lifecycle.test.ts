/** The CLI given a project folder judges the driver's lifecycle across its files (built dist/cli.js, real files). */
import { describe, it, expect } from 'vitest';
import * as path from 'node:path';
import { ROOT, run, tempTree } from './helpers';

interface JsonFinding {
  code: string;
  range: { start: { line: number } };
  related: { uri?: string; range: { start: { line: number } }; message: string }[];
}

const LIFECYCLE = new Set(['ecp-lookaside-lifecycle', 'ecp-create-only-routine']);

function lifecycleReport(dir: string, args: string[] = []): { file: string; finding: JsonFinding }[] {
  const r = run(['check', '--format', 'json', ...args, dir]);
  const report = JSON.parse(r.stdout) as { files: { path: string; findings: JsonFinding[] }[] };
  return report.files.flatMap((f) => f.findings.filter((x) => LIFECYCLE.has(x.code)).map((finding) => ({ file: path.basename(f.path), finding })));
}

describe('ecp-lens check: registrations in #if arms follow the build', () => {
  const dir = path.join(ROOT, 'test/fixtures/projects/build-arm-registration');
  const summary = (args: string[]) =>
    lifecycleReport(dir, args)
      .map((f) => `${f.file}:${f.finding.code}:${f.finding.related[0]?.message}`)
      .sort();

  it('with its compile database, only the compiled arms register: no finding', () => {
    expect(summary(['--compile-commands', path.join(dir, 'compile_commands.json')])).toEqual([]);
  });

  it('with -D, the arms that -D selects register (a name not defined selects #else)', () => {
    expect(summary(['-DNOTIFY_WATCH_READS=1', '-DNOTIFY_QUICK_UNLOAD=0'])).toEqual(['callbacks.c:ecp-create-only-routine:NotifyPreOperation is registered for IRP_MJ_READ here']);
    expect(summary(['-DNOTIFY_WATCH_WRITES', '-DNOTIFY_QUICK_UNLOAD=1'])).toEqual([
      'callbacks.c:ecp-create-only-routine:NotifyPreOperation is registered for IRP_MJ_WRITE here',
      'driver.c:ecp-lookaside-lifecycle:NotifyQuickUnload is the FilterUnloadCallback of gNotifyRegistration',
    ]);
  });

  it('without a configuration, each arm counts as before', () => {
    expect(summary([])).toEqual([
      'callbacks.c:ecp-create-only-routine:NotifyPreOperation is registered for IRP_MJ_READ, IRP_MJ_WRITE here',
      'driver.c:ecp-lookaside-lifecycle:NotifyQuickUnload is the FilterUnloadCallback of gNotifyRegistration',
    ]);
  });
});

describe('ecp-lens check: driver lifecycle rules over a folder', () => {
  const c = path.join(ROOT, 'test/fixtures/projects/c-lifecycle-minifilter');
  const cpp = path.join(ROOT, 'test/fixtures/projects/cpp-lifecycle-minifilter');

  it('puts each finding in the file where it is fixed, with related locations in the registration file', () => {
    const found = lifecycleReport(c);
    expect(found.map((f) => `${f.file}:${f.finding.code}`).sort()).toEqual([
      'callbacks.c:ecp-create-only-routine',
      'callbacks.c:ecp-create-only-routine',
      'driver.c:ecp-lookaside-lifecycle',
      'driver.c:ecp-lookaside-lifecycle',
    ]);
    const read = found.find((f) => f.file === 'callbacks.c' && f.finding.related.some((s) => s.message.includes('AuditPreRead is registered for IRP_MJ_READ')));
    expect(read?.finding.related[0].uri?.endsWith('/registration.c')).toBe(true);
    const unload = found.find((f) => f.file === 'driver.c' && f.finding.related.some((s) => s.message.includes('FilterUnloadCallback')));
    expect(unload?.finding.related.map((s) => path.basename(s.uri ?? 'driver.c'))).toEqual(['registration.c', 'lookaside.c', 'driver.c']);
  });

  it('reports the C++ project as well, SARIF related locations naming the other artifact', () => {
    expect(lifecycleReport(cpp).map((f) => `${f.file}:${f.finding.code}`).sort()).toEqual(['ecp.cpp:ecp-create-only-routine', 'teardown.cpp:ecp-lookaside-lifecycle']);
    const sarif = JSON.parse(run(['check', '--format', 'sarif', '--base', cpp, cpp]).stdout);
    const result = sarif.runs[0].results.find((r: { ruleId: string }) => r.ruleId === 'ecp-create-only-routine');
    expect(result.locations[0].physicalLocation.artifactLocation.uri).toBe('ecp.cpp');
    const related = result.relatedLocations.map((l: { physicalLocation: { artifactLocation: { uri: string } } }) => l.physicalLocation.artifactLocation.uri);
    expect(related).toContain('filter.cpp');
    expect(related).toContain('operations.cpp');
  });

  it('one file alone does not see the registration of another, so says nothing about it', () => {
    expect(lifecycleReport(path.join(c, 'callbacks.c'))).toEqual([]);
  });
});

describe('ecp-lens check: the lifecycle walk follows the #if arm the build takes', () => {
  const driver = [
    '#include <fltKernel.h>',
    'PFLT_FILTER gFilter;',
    'NPAGED_LOOKASIDE_LIST gLookaside;',
    'NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)',
    '{',
    '    NTSTATUS status = FltRegisterFilter(DriverObject, &gRegistration, &gFilter);',
    '    if (!NT_SUCCESS(status)) return status;',
    '#ifndef LATE_LOOKASIDE',
    '    FltInitExtraCreateParameterLookasideList(gFilter, &gLookaside, 0, 16, \'lcEx\');',
    '#endif',
    '    status = FltStartFiltering(gFilter);',
    '    if (!NT_SUCCESS(status)) { FltUnregisterFilter(gFilter); return status; }',
    '#ifdef LATE_LOOKASIDE',
    '    FltInitExtraCreateParameterLookasideList(gFilter, &gLookaside, 0, 16, \'lcEx\');',
    '#endif',
    '    return STATUS_SUCCESS;',
    '}',
    '',
  ].join('\n');
  const lines = (args: string[]) => {
    const dir = tempTree({ 'driver.c': driver });
    return lifecycleReport(path.join(dir, 'driver.c'), args).map((f) => f.finding.range.start.line + 1);
  };

  it('explores both arms when the configuration is unknown, and only the defined one with -D', () => {
    expect(lines([])).toEqual([14]);
    expect(lines(['-D', 'LATE_LOOKASIDE'])).toEqual([14]);
    expect(lines(['-D', 'OTHER=1'])).toEqual([]);
  });
});
