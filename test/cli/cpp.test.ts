import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'dist/cli.js');

describe('ecp-lens on C++ sources', () => {
  it('check parses a .cpp file as C++: the leak in the namespaced member function and nothing else', () => {
    const file = path.join(ROOT, 'test/fixtures/rules/ecp-list-leak-pos-cpp-member-function.cpp');
    const r = spawnSync(process.execPath, [CLI, 'check', '--format', 'json', file], { encoding: 'utf8' });
    const report = JSON.parse(r.stdout);
    expect(report.files[0].findings.map((f: { code: string; range: { start: { line: number } } }) => `${f.code}@${f.range.start.line + 1}`)).toEqual(['ecp-list-leak@17']);
    expect(r.status).toBe(1);
  });

  it('simulate runs an out-of-line member function by its qualified name', () => {
    const file = path.join(ROOT, 'test/fixtures/rules/ecp-list-leak-pos-cpp-member-function.cpp');
    const r = spawnSync(process.execPath, [CLI, 'simulate', '--format', 'json', '--function', 'EcpBuilder::Attach', file], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout).function).toBe('EcpBuilder::Attach');
  });
});
