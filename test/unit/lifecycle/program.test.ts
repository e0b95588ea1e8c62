/**
 * The lifecycle rules need the whole program: an unload callback or an operation registration in
 * another file counts only when the program is known to be complete, and a missing file keeps
 * them quiet rather than guessing.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { initParser, parseText } from '../../../server/src/parsing/parser';
import { analyzeParsed, includeReaderFor } from '../../../server/src/analysis';
import { WorkspaceIndex } from '../../../server/src/workspace';

const DIR = path.resolve(__dirname, '../../fixtures/projects/c-lifecycle-minifilter');
const read = (name: string) => fs.readFileSync(path.join(DIR, name), 'utf8');
const uri = (name: string) => pathToFileURL(path.join(DIR, name)).toString();
const SOURCES = ['callbacks.c', 'driver.c', 'lookaside.c', 'registration.c'];

beforeAll(async () => {
  await initParser();
});

/** Codes and 1-based lines of the lifecycle findings of `name`, analysed within `files` (texts may be replaced). */
function lifecycleFindings(name: string, files: Record<string, string>, complete = true): string[] {
  const index = WorkspaceIndex.ofFiles(Object.entries(files).map(([n, text]) => ({ uri: uri(n), text })));
  const workspace = { ...index.factsFor(uri(name)), complete };
  const r = analyzeParsed(parseText(files[name], 'c'), files[name], { workspace, readInclude: includeReaderFor(path.join(DIR, name), DIR) });
  return r.findings.filter((f) => f.code === 'ecp-lookaside-lifecycle' || f.code === 'ecp-create-only-routine').map((f) => `${f.code}@${f.range.start.line + 1}`);
}

const all = () => Object.fromEntries(SOURCES.map((n) => [n, read(n)]));
const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

describe('lifecycle rules across the files of a program', () => {
  it('reports the create-only call of the callback file through the registration of another file', () => {
    const files = all();
    const callbacks = files['callbacks.c'];
    expect(lifecycleFindings('callbacks.c', files)).toEqual([
      `ecp-create-only-routine@${lineOf(callbacks, 'status = FltGetEcpListFromCallbackData')}`,
      `ecp-create-only-routine@${lineOf(callbacks, 'if (!NT_SUCCESS(FltGetEcpListFromCallbackData(gAuditFilter')}`,
    ]);
  });

  it('judges each registration: registering the read callback for the create only clears it', () => {
    const files = all();
    files['registration.c'] = files['registration.c'].replace('{ IRP_MJ_READ, 0, AuditPreRead, NULL }', '{ IRP_MJ_CREATE, 0, AuditPreRead, NULL }');
    const found = lifecycleFindings('callbacks.c', files);
    expect(found).not.toContain(`ecp-create-only-routine@${lineOf(files['callbacks.c'], 'status = FltGetEcpListFromCallbackData')}`);
    expect(found).toHaveLength(1);
  });

  it('finds the unload callback through FilterUnloadCallback in another file, and follows the helper of a third', () => {
    const files = all();
    expect(lifecycleFindings('driver.c', files)).toEqual([
      `ecp-lookaside-lifecycle@${lineOf(files['driver.c'], 'AuditTearDownLookaside();')}`,
      `ecp-lookaside-lifecycle@${lineOf(files['driver.c'], 'AuditSetUpLookaside();')}`,
    ]);
    // Unregistering first is right: the unload finding goes, the DriverEntry one stays.
    files['driver.c'] = files['driver.c'].replace('    AuditTearDownLookaside(); // expect: ecp-lookaside-lifecycle\n    FltUnregisterFilter(gAuditFilter);', '    FltUnregisterFilter(gAuditFilter);\n    AuditTearDownLookaside();');
    expect(lifecycleFindings('driver.c', files)).toEqual([`ecp-lookaside-lifecycle@${lineOf(files['driver.c'], 'AuditSetUpLookaside();')}`]);
  });

  it('stays quiet when the file with the registration is missing', () => {
    const files = all();
    delete files['registration.c'];
    expect(lifecycleFindings('callbacks.c', files)).toEqual([]);
    // The unload callback is not known without its registration; DriverEntry still is.
    expect(lifecycleFindings('driver.c', files)).toEqual([`ecp-lookaside-lifecycle@${lineOf(files['driver.c'], 'AuditSetUpLookaside();')}`]);
  });

  it('reports nothing across files while the index is incomplete', () => {
    expect(lifecycleFindings('callbacks.c', all(), false)).toEqual([]);
    expect(lifecycleFindings('driver.c', all(), false)).toEqual([]);
  });

  it('reports a finding once, in the file where it is fixed', () => {
    const files = all();
    expect(lifecycleFindings('registration.c', files)).toEqual([]);
    expect(lifecycleFindings('lookaside.c', files)).toEqual([]);
  });
});
