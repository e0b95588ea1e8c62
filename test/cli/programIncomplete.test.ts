/**
 * A folder whose sources are not all read is not the whole program: a lookaside list initialised
 * in one file may be deleted in the file that was skipped, so "never deleted" cannot be claimed,
 * and the report says why (standard error, JSON `coverage.program`, a SARIF notification).
 */
import { describe, it, expect } from 'vitest';
import * as path from 'node:path';
import { run, tempTree } from './helpers';

const SETUP = [
  'NPAGED_LOOKASIDE_LIST g_lookaside;',
  'VOID Setup(VOID)',
  '{',
  "    FsRtlInitExtraCreateParameterLookasideList(&g_lookaside, 0, 64, 'pcEx');",
  '}',
  '',
].join('\n');
const TEARDOWN = ['extern NPAGED_LOOKASIDE_LIST g_lookaside;', 'VOID Teardown(VOID)', '{', '    FsRtlDeleteExtraCreateParameterLookasideList(&g_lookaside, 0);', '}', ''].join('\n');

function codes(stdout: string): string[] {
  const report = JSON.parse(stdout) as { files: { findings: { code: string }[] }[] };
  return report.files.flatMap((f) => f.findings.map((x) => x.code));
}

describe('check: a program with sources that were not read', () => {
  // The teardown holds a NUL byte: skipped as binary, so its delete is not seen.
  const skippedTeardown = () => tempTree({ 'setup.c': SETUP, 'teardown.c': Buffer.concat([Buffer.from(TEARDOWN), Buffer.from([0])]), 'other.c': 'int other;\n' });

  for (const jobs of ['1', '2']) {
    it(`reports no lookaside as never deleted, and says why (--jobs ${jobs})`, () => {
      const dir = skippedTeardown();
      const r = run(['check', '--format', 'json', '--jobs', jobs, dir]);
      expect(r.code).toBe(0);
      expect(codes(r.stdout)).not.toContain('ecp-lookaside-not-deleted');
      const report = JSON.parse(r.stdout) as { coverage: { program: { complete: boolean; reason?: string } }; skipped: { path: string }[] };
      expect(report.coverage.program.complete).toBe(false);
      expect(report.coverage.program.reason).toContain(path.join(dir, 'teardown.c'));
      expect(r.stderr).toContain('ecp-lookaside-not-deleted');
      expect(r.stderr).toContain('are not reported');
    });
  }

  it('with one file read of several, that file alone is not the program either', () => {
    const dir = tempTree({ 'setup.c': SETUP, 'teardown.c': Buffer.concat([Buffer.from(TEARDOWN), Buffer.from([0])]) });
    const r = run(['check', '--format', 'json', dir]);
    expect(codes(r.stdout)).not.toContain('ecp-lookaside-not-deleted');
  });

  it('says so in SARIF', () => {
    const r = run(['check', '--format', 'sarif', skippedTeardown()]);
    const log = JSON.parse(r.stdout) as { runs: { invocations: { toolExecutionNotifications: { descriptor: { id: string } }[] }[] }[] };
    expect(log.runs[0].invocations[0].toolExecutionNotifications.map((n) => n.descriptor.id)).toContain('ecp-lens/program-incomplete');
  });

  it('read whole, the same folder without the teardown reports the list (the rule is live)', () => {
    const r = run(['check', '--format', 'json', tempTree({ 'setup.c': SETUP, 'other.c': 'int other;\n' })]);
    expect(codes(r.stdout)).toContain('ecp-lookaside-not-deleted');
    expect((JSON.parse(r.stdout) as { coverage: { program: { complete: boolean } } }).coverage.program.complete).toBe(true);
  });
});
