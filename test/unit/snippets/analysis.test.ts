/** Every static snippet, expanded with its defaults into its realistic host file, is reported clean by ECP Lens. */
import { describe, it, expect, beforeAll } from 'vitest';
import { initParser, parseText, syntaxErrors } from '../../../server/src/parsing/parser';
import { analyzeParsed } from '../../../server/src/analysis';
import { snippetSources } from '../../../server/src/features/snippetExpand';

beforeAll(async () => {
  await initParser();
});

describe.each(snippetSources().map((s) => [s.prefix, s.source] as const))('%s', (_, source) => {
  it('parses without errors and has no findings', () => {
    const parsed = parseText(source);
    try {
      expect(syntaxErrors(parsed.tree)).toHaveLength(0);
      const findings = analyzeParsed(parsed, source).findings.map((f) => `${f.code} at ${f.range.start.line + 1}: ${f.message}`);
      expect(findings).toEqual([]);
    } finally {
      parsed.tree.delete();
    }
  });
});
