/**
 * `ecp-lens simulate FILE PATH...`: the files and folders after FILE are its program, and a
 * wrapper defined there runs at its call with its steps located in its own file.
 */
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Trace } from '../../server/src/protocol';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'dist/cli.js');
const PROJECT = path.join(ROOT, 'test/fixtures/projects/c-split-minifilter');
const lineOf = (file: string, needle: string) => fs.readFileSync(path.join(PROJECT, file), 'utf8').split('\n').findIndex((l) => l.includes(needle)) + 1;

function run(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, 'simulate', ...args], { cwd: PROJECT, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('simulate with the program', () => {
  it('steps through the wrapper of another file, each step at file:line in the text table', () => {
    const r = run(['create.c', '.', '--function', 'TaggerOpenLeaky']);
    expect(r.stderr).toBe('');
    const alloc = lineOf('ecp.c', 'FltAllocateExtraCreateParameterList');
    expect(r.stdout).toMatch(/#\s+where\s+routine/);
    expect(r.stdout).toMatch(new RegExp(`\\n\\s+1\\s+ecp\\.c:${alloc}\\s+FltAllocateExtraCreateParameterList\\s+STATUS_SUCCESS`));
  });

  it('names the file of each such step in JSON (a URI), with the line and range in that file', () => {
    const r = run(['create.c', 'ecp.c', '--function', 'TaggerOpenLeaky', '--format', 'json']);
    const trace = JSON.parse(r.stdout) as Trace;
    const ecp = pathToFileURL(path.join(PROJECT, 'ecp.c')).href;
    expect(trace.steps.length).toBeGreaterThan(0);
    expect(trace.steps.every((s) => s.file === ecp)).toBe(true);
    const alloc = trace.steps.find((s) => s.routine === 'FltAllocateExtraCreateParameterList')!;
    expect(alloc.line).toBe(lineOf('ecp.c', 'FltAllocateExtraCreateParameterList'));
    expect(alloc.range.start.line).toBe(alloc.line - 1);
  });

  it('without the program the wrapper is an unknown call: no steps of its own', () => {
    const trace = JSON.parse(run(['create.c', '--function', 'TaggerOpenLeaky', '--format', 'json']).stdout) as Trace;
    expect(trace.steps.filter((s) => s.file !== undefined)).toEqual([]);
  });

  it('fails in plain words when a program path does not exist', () => {
    const r = run(['create.c', 'no-such-folder', '--function', 'TaggerOpenLeaky']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no-such-folder/);
  });

  it("sizes a wrapper's allocation with its own file's layout when the caller has a structure of that name", () => {
    // define-name-clash: NOTE_ECP is 8 bytes in wrap.c and 1 byte in caller.c.
    const dir = path.join(ROOT, 'test/fixtures/projects/define-name-clash');
    const r = spawnSync(process.execPath, [CLI, 'simulate', 'caller.c', 'wrap.c', '--function', 'NoteCallAttach'], { cwd: dir, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/Allocated an ECP context GUID_ECP_NOTE: 8 \+ 72-byte header = 80 bytes/);
  });
});
