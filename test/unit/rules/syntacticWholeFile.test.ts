/**
 * The whole-file syntactic pass (the workspace index and the CLI's first pass read the lookaside
 * pairs from it) walks only the top-level parts that name a catalog routine: it must find exactly
 * what walking every call of the file finds, wherever the calls stand; a file that names no
 * lookaside routine, directly or through a macro, is not walked for its workspace facts.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { initParser, parseText } from '../../../server/src/parsing/parser';
import { buildFileModel } from '../../../server/src/engine/fileModel';
import { checkSyntax, checkSyntaxIn, mayUseLookaside } from '../../../server/src/rules/syntactic';
import { factsOf } from '../../../server/src/workspace';

beforeAll(async () => {
  await initParser();
});

const SOURCE = `
#include <fltKernel.h>
NPAGED_LOOKASIDE_LIST Pool;
static ULONG Plain(ULONG x) { return x + 1; }
#if DBG
NTSTATUS InitInArm(void)
{
    FltInitExtraCreateParameterLookasideList(Filter, &Pool, FSRTL_ECP_LOOKASIDE_FLAG_NONPAGED_POOL, sizeof(CTX), 'xtcE');
    return STATUS_SUCCESS;
}
#endif
VOID Unload(void) { FltDeleteExtraCreateParameterLookasideList(Filter, &Pool, 0); }
VOID Build(PECP_LIST List) { FltAllocateExtraCreateParameter(Filter, &Guid, 8, 0, NULL, 0, &Ctx); }
`;

describe('whole-file syntactic pass', () => {
  for (const [name, text] of [
    ['a file with calls in an #if arm, after ordinary code and a default pool tag', SOURCE],
    ['the mistakes example', fs.readFileSync(path.join(__dirname, '../../../examples/attach-ecp-mistakes.c'), 'utf8')],
  ] as const) {
    it(`finds what a walk of every call finds: ${name}`, () => {
      const parsed = parseText(text);
      const model = buildFileModel(parsed.tree, parsed.masked, parsed.annotations);
      const whole = checkSyntax(parsed.tree, model);
      const everyCall = checkSyntaxIn(parsed.tree.rootNode, model);
      expect(whole).toEqual(everyCall);
      expect(whole.findings.length + whole.lookasideInits.length + whole.lookasideDeletes.length).toBeGreaterThan(0);
      parsed.tree.delete();
    });
  }
  it('reads the lookaside pair of the sample file', () => {
    const parsed = parseText(SOURCE);
    const whole = checkSyntax(parsed.tree, buildFileModel(parsed.tree, parsed.masked, parsed.annotations));
    expect(whole.lookasideInits.map((u) => u.name)).toEqual(['Pool']);
    expect(whole.lookasideDeletes.map((u) => u.name)).toEqual(['Pool']);
    expect(whole.findings.map((f) => f.code)).toContain('ecp-default-pool-tag');
    parsed.tree.delete();
  });
});

describe('workspace facts of a file without lookaside names', () => {
  it('still reads a lookaside use through a macro of its header', () => {
    // The file never spells the routine's name: only the header's macro does.
    const header = '#define DROP_POOL(l) FltDeleteExtraCreateParameterLookasideList(Filter, l, 0)\n';
    const text = '#include "pool.h"\nVOID Unload(void) { DROP_POOL(&Pool); }\n';
    expect(text).not.toContain('LookasideList');
    const facts = factsOf(text, 'c', { readInclude: (name) => (name === 'pool.h' ? header : undefined) });
    expect(facts.lookasideDeletes.map((u) => u.name)).toEqual(['Pool']);
  });
  it('gives every fixture and example the lookaside uses of the whole-file pass', () => {
    const roots = ['../../fixtures', '../../../examples'].map((d) => path.join(__dirname, d));
    const files = roots.flatMap((r) => fs.readdirSync(r, { recursive: true }).map(String).filter((f) => /\.(c|h)$/.test(f)).map((f) => path.join(r, f)));
    let skipped = 0;
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8');
      const parsed = parseText(text);
      const model = buildFileModel(parsed.tree, parsed.masked, parsed.annotations);
      const whole = checkSyntax(parsed.tree, model);
      if (!mayUseLookaside(text, model)) {
        skipped++;
        expect([whole.lookasideInits, whole.lookasideDeletes], file).toEqual([[], []]);
      }
      const facts = factsOf(text);
      expect([facts.lookasideInits, facts.lookasideDeletes], file).toEqual([whole.lookasideInits, whole.lookasideDeletes]);
      parsed.tree.delete();
    }
    expect(skipped).toBeGreaterThan(50);
  });
});
