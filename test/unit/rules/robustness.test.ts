import { describe, it, expect, beforeAll } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { initParser, parseText } from '../../../server/src/parsing/parser';
import { analyzeParsed } from '../../../server/src/analysis';

const EXAMPLE = fs.readFileSync(path.resolve(__dirname, '../../../examples/attach-ecp-mistakes.c'), 'utf8');

beforeAll(async () => {
  await initParser();
});

function analyse(text: string, deterministic = false) {
  const parsed = parseText(text);
  try {
    return analyzeParsed(parsed, text, { deterministic });
  } finally {
    parsed.tree.delete();
  }
}

/** Deterministic pseudo-random numbers, so a failure can be replayed. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('no input crashes or hangs the analysis', () => {
  it('survives every truncation of a real driver file', () => {
    for (let cut = 0; cut < EXAMPLE.length; cut += 97) {
      expect(() => analyse(EXAMPLE.slice(0, cut))).not.toThrow();
    }
  });

  it('survives random edits: deleted, duplicated and swapped spans', () => {
    const next = rng(42);
    for (let i = 0; i < 60; i++) {
      const a = Math.floor(next() * EXAMPLE.length);
      const b = Math.min(EXAMPLE.length, a + Math.floor(next() * 400));
      const mutated = i % 3 === 0 ? EXAMPLE.slice(0, a) + EXAMPLE.slice(b) : i % 3 === 1 ? EXAMPLE.slice(0, b) + EXAMPLE.slice(a, b) + EXAMPLE.slice(b) : EXAMPLE.slice(b) + EXAMPLE.slice(0, a);
      expect(() => analyse(mutated)).not.toThrow();
    }
  });

  it('survives binary noise', () => {
    const next = rng(7);
    const noise = Array.from({ length: 50_000 }, () => String.fromCharCode(Math.floor(next() * 256))).join('');
    expect(analyse(noise).findings).toEqual([]);
  });

  it('survives 10,000-deep nesting of blocks, parentheses and else-if chains inside an ECP function', () => {
    const head = 'PFLT_FILTER F; NTSTATUS f(int x) { PECP_LIST l = NULL; NTSTATUS s = FltAllocateExtraCreateParameterList(F, 0, &l); if (!NT_SUCCESS(s)) return s;\n';
    const blocks = head + '{'.repeat(10_000) + 'x++;' + '}'.repeat(10_000) + ' FltFreeExtraCreateParameterList(F, l); return s; }';
    const parens = head + `x = ${'('.repeat(10_000)}1${')'.repeat(10_000)}; FltFreeExtraCreateParameterList(F, l); return s; }`;
    let chain = head;
    for (let i = 0; i < 10_000; i++) chain += `${i ? 'else ' : ''}if (x == ${i}) { x++; }\n`;
    chain += 'FltFreeExtraCreateParameterList(F, l); return s; }';
    for (const text of [blocks, parens, chain]) {
      const r = analyse(text);
      expect(r.findings.filter((f) => f.code === 'ecp-list-leak')).toEqual([]);
    }
  });

  it('stops a function with too many paths quietly and says so, without inventing findings', () => {
    let body = 'PFLT_FILTER F; NTSTATUS f(int a) { PECP_LIST l = NULL; NTSTATUS s = FltAllocateExtraCreateParameterList(F, 0, &l); if (!NT_SUCCESS(s)) return s;\n';
    // Each branch inserts an ECP of its own allocation site, so the 2^40 states stay different at
    // every join (merging cannot fold them) and the path bound must be reached.
    body = body.replace('{ PECP_LIST', '{ PVOID c; PECP_LIST');
    for (let i = 0; i < 40; i++) body += `if (a & ${1 << (i % 30)}) { s = FltAllocateExtraCreateParameter(F, &GUID_X${i}, 8, 0, NULL, 'xpcE', &c); if (NT_SUCCESS(s)) { s = FltInsertExtraCreateParameter(F, l, c); if (!NT_SUCCESS(s)) FltFreeExtraCreateParameter(F, c); } }\n`;
    body += 'FltFreeExtraCreateParameterList(F, l); return s; }';
    // Without the editor's wall-clock bound (as the CLI runs), so the bound hit is the path bound on
    // any machine, fast or loaded.
    const r = analyse(body, true);
    expect(r.findings).toEqual([]);
    expect(r.log.join('\n')).toMatch(/stopped exploring after more than \d+ (paths|statements)/);
    // Paths that reach the end alike (everything freed) are merged there, so the bound is reached
    // after about 200,000 statements: seconds on a quiet machine, a minute on a loaded one.
  }, 120_000);

  it('handles a 5 MB file', () => {
    const unit = EXAMPLE.replace(/\b(Contoso\w*|Ecpx\w*|Attach\w*)\b/g, (m) => m);
    const copies = Math.ceil((5 * 1024 * 1024) / unit.length);
    const big = Array.from({ length: copies }, (_, i) => unit.replace(/\b([A-Z]\w*)\s*\(\s*\n?\s*_In/g, `$1_${i}(_In`)).join('\n');
    expect(big.length).toBeGreaterThan(5 * 1024 * 1024);
    const r = analyse(big);
    expect(r.findings.length).toBeGreaterThan(0);
  }, 120_000);
});
