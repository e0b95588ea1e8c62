/**
 * Messages that echo the user's code stay bounded in every CLI format and in the editor alike:
 * a delete whose flags are a 50,000-character expression yields findings whose messages and path
 * steps end in an ellipsis at the bound instead of repeating the name in full.
 */
import { describe, it, expect } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { run, tempTree } from './helpers';
import { MAX_MESSAGE_CHARS } from '../../server/src/util/clip';

const FIXTURE = path.resolve(__dirname, '../fixtures/rules/ecp-lookaside-flags-pos-nonpaged-deleted-as-paged.c');
// The delete's flags written as a 50,000-character expression (still 0): the message quotes them.
const LONG_FLAGS = `(0 /* ${'no flags '.repeat(6_250)}*/)`;
const SOURCE = fs.readFileSync(FIXTURE, 'utf8').replace('&gContosoEcpLookaside, 0);', `&gContosoEcpLookaside, ${LONG_FLAGS});`);

describe('message bound', () => {
  const dir = tempTree({ 'long.c': SOURCE });
  const file = path.join(dir, 'long.c');

  it('JSON and SARIF messages and path steps are clipped with an ellipsis', () => {
    const json = JSON.parse(run(['check', '--format', 'json', file]).stdout);
    const findings = json.files[0].findings as { code: string; message: string; related: { message: string }[] }[];
    const flags = findings.find((f) => f.code === 'ecp-lookaside-flags');
    expect(flags, JSON.stringify(findings.map((f) => f.code))).toBeDefined();
    for (const f of findings) {
      expect(f.message.length).toBeLessThanOrEqual(MAX_MESSAGE_CHARS);
      for (const r of f.related) expect(r.message.length).toBeLessThanOrEqual(MAX_MESSAGE_CHARS);
    }
    expect(flags!.message.length).toBe(MAX_MESSAGE_CHARS);
    expect(flags!.message.endsWith('…')).toBe(true);
    expect(flags!.message).toMatch(/^gContosoEcpLookaside is deleted with flags \(0 \/\* no flags no flags/);
    const sarif = JSON.parse(run(['check', '--format', 'sarif', file]).stdout);
    for (const r of sarif.runs[0].results) expect(r.message.text.length).toBeLessThanOrEqual(MAX_MESSAGE_CHARS);
  });

  it('text output lines stay bounded', () => {
    const text = run(['check', file]).stdout;
    const lines = text.split('\n').filter((l) => l.includes('ecp-lookaside-flags'));
    expect(lines).toHaveLength(1);
    // The path, the position, the clipped message and the code.
    expect(lines[0].length).toBeLessThan(MAX_MESSAGE_CHARS + file.length + 100);
    expect(lines[0]).toContain('…');
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
