/**
 * Lookaside lists set up and torn down through header macros (test/fixtures/projects/
 * lookaside-macro-flags): the flags compared are those of the macro's expansion, in the whole-file
 * pass that gives the program its facts as in each file's own analysis, and the init in another
 * file is shown in that file.
 */
import { describe, it, expect } from 'vitest';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, run } from './helpers';

const PROJECT = path.join(ROOT, 'test/fixtures/projects/lookaside-macro-flags');

describe('check: lookaside flags through macros', () => {
  it('compares a written delete with the flags of the init macro of another file, and points there', () => {
    const r = run(['check', '--format', 'json', PROJECT]);
    const report = JSON.parse(r.stdout) as { files: { path: string; findings: { code: string; line: number; related: { uri?: string; line: number; message: string }[] }[] }[] };
    const teardown = report.files.find((f) => f.path.endsWith('teardown.c'))!.findings;
    expect(teardown.map((f) => `${f.code}@${f.line}`)).toEqual(['ecp-lookaside-flags@9']);
    expect(teardown[0].related).toMatchObject([{ uri: pathToFileURL(path.join(PROJECT, 'setup.c')).toString(), line: 13, message: 'initialised here' }]);
    const cache = report.files.find((f) => f.path.endsWith('cache.c'))!.findings;
    expect(cache.map((f) => `${f.code}@${f.line}`)).toEqual(['ecp-lookaside-flags@19']);
    // Same file: no other file to point to.
    expect(cache[0].related[0].uri).toBeUndefined();
  });
});
