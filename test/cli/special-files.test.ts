/**
 * `check` on trees with symbolic links, loops and special files, and the CLI's own output
 * failures: every file is read once, nothing is skipped silently, special files are never opened.
 */
import { describe, it, expect } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CLI, ROOT, run, tempTree } from './helpers';

const LEAKY = fs.readFileSync(path.join(ROOT, 'examples/attach-ecp-mistakes.c'), 'utf8');

interface Report {
  files: { path: string }[];
  skipped: { path: string; reason: string }[];
}

function checkJson(dir: string): { code: number | null; report: Report; stderr: string } {
  const r = run(['check', '--format', 'json', dir]);
  return { code: r.code, report: JSON.parse(r.stdout) as Report, stderr: r.stderr };
}

const rel = (dir: string, p: string) => path.relative(dir, p);

describe('check follows symbolic links', () => {
  it('reads a linked file and a linked folder once each, so a CI gate sees their findings', () => {
    const elsewhere = tempTree({ 'shared/leaky.c': LEAKY, 'one.c': LEAKY });
    const dir = tempTree({ 'a.c': 'int a;\n' });
    fs.symlinkSync(path.join(elsewhere, 'one.c'), path.join(dir, 'linked.c'));
    fs.symlinkSync(path.join(elsewhere, 'shared'), path.join(dir, 'lib'));
    const { code, report } = checkJson(dir);
    expect(report.files.map((f) => rel(dir, f.path)).sort()).toEqual(['a.c', path.join('lib', 'leaky.c'), 'linked.c']);
    expect(code).toBe(1);
  });

  it('walks a folder loop once and lists the link back as a symlink loop', () => {
    const dir = tempTree({ 'src/a.c': 'int a;\n' });
    fs.symlinkSync(dir, path.join(dir, 'src', 'back'));
    const { code, report } = checkJson(dir);
    expect(code).toBe(0);
    expect(report.files.map((f) => rel(dir, f.path))).toEqual([path.join('src', 'a.c')]);
    expect(report.skipped.map((s) => [rel(dir, s.path), s.reason.split(':')[0]])).toEqual([[path.join('src', 'back'), 'a symlink loop']]);
  });

  it('reports a file and a folder reached also through a link under their own paths, and the links as second ways there', () => {
    // link.c and linkdir sort before sub: walked in name order, the links were read and sub/a.c
    // was "the same file as link.c", the real folder sub "a symlink loop".
    const dir = tempTree({ 'sub/a.c': LEAKY });
    fs.symlinkSync('sub/a.c', path.join(dir, 'link.c'));
    fs.symlinkSync('sub', path.join(dir, 'linkdir'));
    const { code, report } = checkJson(dir);
    expect(code).toBe(1);
    expect(report.files.map((f) => rel(dir, f.path))).toEqual([path.join('sub', 'a.c')]);
    expect(report.skipped.map((s) => [rel(dir, s.path), s.reason])).toEqual([
      ['link.c', `the same file as ${path.join(dir, 'sub', 'a.c')}`],
      ['linkdir', `the same folder as ${path.join(dir, 'sub')}`],
    ]);
  });

  it('lists a second link to the same file, a broken link and a self-loop with their reasons', () => {
    const dir = tempTree({ 'a.c': 'int a;\n' });
    fs.symlinkSync(path.join(dir, 'a.c'), path.join(dir, 'b.c'));
    fs.symlinkSync(path.join(dir, 'gone.c'), path.join(dir, 'broken.c'));
    fs.symlinkSync('self.c', path.join(dir, 'self.c'));
    const { report, stderr } = checkJson(dir);
    expect(report.files.map((f) => rel(dir, f.path))).toEqual(['a.c']);
    const reasons = Object.fromEntries(report.skipped.map((s) => [rel(dir, s.path), s.reason]));
    expect(reasons['b.c']).toBe(`the same file as ${path.join(dir, 'a.c')}`);
    expect(reasons['broken.c']).toBe('a broken symlink (its target does not exist)');
    expect(reasons['self.c']).toContain('symlink loop');
    // The text format tells the same on standard error.
    expect(stderr).toContain(`skipped ${path.join(dir, 'broken.c')}: a broken symlink`);
  });
});

describe('check never opens special files', () => {
  it('lists a FIFO and a link to /dev/zero found in a folder as skipped, and reads the rest', () => {
    const dir = tempTree({ 'a.c': 'int a;\n' });
    execFileSync('mkfifo', [path.join(dir, 'pipe.c')]);
    fs.symlinkSync('/dev/zero', path.join(dir, 'zero.c'));
    const { code, report } = checkJson(dir);
    expect(code).toBe(0);
    expect(report.files.map((f) => rel(dir, f.path))).toEqual(['a.c']);
    expect(report.skipped.map((s) => [rel(dir, s.path), s.reason])).toEqual([
      ['pipe.c', 'a FIFO (named pipe), not a regular file'],
      ['zero.c', 'a device, not a regular file'],
    ]);
  });

  it('a FIFO, a device or a link loop named explicitly is an error in plain words (exit 2)', () => {
    const dir = tempTree({});
    execFileSync('mkfifo', [path.join(dir, 'pipe.c')]);
    fs.symlinkSync('loop.c', path.join(dir, 'loop.c'));
    const fifo = run(['check', path.join(dir, 'pipe.c')]);
    expect([fifo.code, fifo.signal]).toEqual([2, null]);
    expect(fifo.stderr).toBe(`ecp-lens: ${path.join(dir, 'pipe.c')} is a FIFO (named pipe); ecp-lens reads only regular files and folders\n`);
    const zero = run(['check', '/dev/zero']);
    expect(zero.code).toBe(2);
    expect(zero.stderr).toContain('/dev/zero is a device');
    const loop = run(['check', path.join(dir, 'loop.c')]);
    expect(loop.code).toBe(2);
    expect(loop.stderr).toContain('a symlink loop');
    expect(loop.stderr).not.toContain('no such file');
    const simulated = run(['simulate', path.join(dir, 'pipe.c')]);
    expect(simulated.code).toBe(2);
    expect(simulated.stderr).toContain('FIFO');
  });

  it('an included header that is a FIFO or a device is listed as skipped with its reason, in process and in workers', () => {
    const includer = '#include "pipe.h"\n#include "zero.h"\n#include "absent.h"\nint a;\n';
    const dir = tempTree({ 'src/a.c': includer, 'src/b.c': includer.replace('int a', 'int b') });
    fs.mkdirSync(path.join(dir, 'inc'));
    execFileSync('mkfifo', [path.join(dir, 'inc', 'pipe.h')]);
    fs.symlinkSync('/dev/zero', path.join(dir, 'inc', 'zero.h'));
    for (const jobs of ['1', '2']) {
      const r = run(['check', '--format', 'json', '--jobs', jobs, '-I', path.join(dir, 'inc'), path.join(dir, 'src', 'a.c'), path.join(dir, 'src', 'b.c')]);
      expect([r.code, r.signal]).toEqual([0, null]);
      const report = JSON.parse(r.stdout) as Report;
      // Each once, though both files include them; a header that is simply absent is not a skipped input.
      expect(report.skipped.map((s) => [rel(dir, s.path), s.reason])).toEqual([
        [path.join('inc', 'pipe.h'), 'a FIFO (named pipe), not a regular file (a header a.c includes)'],
        [path.join('inc', 'zero.h'), 'a device, not a regular file (a header a.c includes)'],
      ]);
      expect(r.stderr).toContain(`skipped ${path.join(dir, 'inc', 'pipe.h')}: a FIFO`);
    }
  });
});

describe('check input and output errors', () => {
  it('a path with no C or C++ sources exits 2, saying so, without pointing at --help', () => {
    const dir = tempTree({ 'notes.txt': 'nothing here' });
    const r = run(['check', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`ecp-lens: no C or C++ files found under ${dir}\n`);
    const missing = run(['check', path.join(dir, 'nope.c')]);
    expect(missing.stderr).not.toContain('--help');
  });

  it('a failed write to standard output exits 2 with one line', () => {
    const full = fs.openSync('/dev/full', 'w');
    try {
      const r = run(['check', 'examples/attach-ecp-mistakes.c'], ROOT, { stdio: ['ignore', full, 'pipe'] });
      expect(r.code).toBe(2);
      expect(r.stderr).toBe('ecp-lens: cannot write to standard output: no space left on the device\n');
    } finally {
      fs.closeSync(full);
    }
  });

  it('a standard error that cannot be written changes no exit status: 2 for an error, 0 for a clean run with progress', () => {
    const full = fs.openSync('/dev/full', 'w');
    const dir = tempTree({ 'clean.c': 'int a;\n' });
    try {
      const error = run(['check', '/dev/zero'], ROOT, { stdio: ['ignore', 'pipe', full] });
      expect(error.code).toBe(2);
      const clean = run(['check', '--progress', dir], ROOT, { stdio: ['ignore', 'pipe', full] });
      expect(clean.code).toBe(0);
      expect(clean.stdout).toContain('1 file checked');
    } finally {
      fs.closeSync(full);
    }
  });

  it('a reader that closes the pipe early gets no error message', () => {
    const r = spawnSync('sh', ['-c', `"${process.execPath}" "${CLI}" check --format json examples | head -c1`], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(r.stdout).toBe('{');
    expect(r.stderr).toBe('');
  });
});
