/**
 * The documentation link of every diagnostic (`codeDescription.href`) opens the shipped
 * docs/rules.md at the rule's own heading: its `#L<n>` fragment names that line, read from the
 * real file, so renaming or moving a heading without the code following fails here.
 */
import { describe, it, expect } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { RULE_CODES, ruleDocUrl } from '../../../server/src/rules/registry';

const DOCS = path.resolve(__dirname, '../../../docs/rules.md');

describe('rule documentation links', () => {
  it('every rule links to the line of its own heading in docs/rules.md', () => {
    const lines = fs.readFileSync(DOCS, 'utf8').split('\n');
    expect(RULE_CODES.length).toBeGreaterThan(20);
    for (const code of RULE_CODES) {
      const href = new URL(ruleDocUrl(code)!);
      expect(fileURLToPath(href), code).toBe(DOCS);
      const line = /^#L(\d+)$/.exec(href.hash)?.[1];
      expect(line, `${code}: ${href.hash}`).toBeDefined();
      expect(lines[Number(line) - 1], code).toBe(`## ${code}`);
    }
  });

  it('a code without a section links to the file itself, never to a wrong line', () => {
    expect(ruleDocUrl('ecp-no-such-rule')).toBe(pathToFileURL(DOCS).href);
  });
});
