import { describe, it, expect, beforeAll } from 'vitest';
import { initParser, parseText } from '../../../server/src/parsing/parser';
import { PpScope, definesOf, evaluate, ppArmTaken, type BuildFacts } from '../../../server/src/engine/preprocessor';
import { buildFileModel } from '../../../server/src/engine/fileModel';

beforeAll(async () => {
  await initParser();
});

function facts(defines: Record<string, string>, known = true, undefs: string[] = []): BuildFacts {
  return { defines: new Map(Object.entries(defines)), undefs: new Set(undefs), known, forcedIncludes: [], key: JSON.stringify([defines, known, undefs]) };
}

const scope = (build: BuildFacts, text = '', headers = '') => new PpScope(build, text, definesOf(headers));
const ev = (expr: string, s: PpScope) => evaluate(expr, s, 1_000_000, 0);

describe('#if expressions', () => {
  const known = scope(facts({ V2: '1', LEVEL: '3', HEX: '0x10', EMPTY: '' }));

  it('evaluates defined(), !, &&, ||, comparisons and integer constants', () => {
    expect(ev('defined(V2)', known)).toBe(1);
    expect(ev('defined V2 && !defined(V1)', known)).toBe(1);
    expect(ev('LEVEL >= 3 && HEX == 16', known)).toBe(1);
    expect(ev('(LEVEL << 2) + 1 == 13 ? 1 : 0', known)).toBe(1);
    expect(ev('V1 || 0', known)).toBe(0);
    expect(ev('0x0A000000L > 10UL', known)).toBe(1);
    expect(ev("'A' == 65", known)).toBe(1);
    expect(ev('TRUE && !FALSE', known)).toBe(1);
  });

  it('a name the known configuration does not define is 0, but a name the compiler or the WDK defines is unknown', () => {
    expect(ev('USE_TRACE', known)).toBe(0);
    expect(ev('NTDDI_VERSION >= NTDDI_WIN8', known)).toBeUndefined();
    expect(ev('defined(_WIN64)', known)).toBeUndefined();
    expect(ev('defined(ALLOC_PRAGMA)', known)).toBeUndefined();
    expect(ev('DBG', known)).toBeUndefined();
    expect(ev('defined(SL_IGNORE_READONLY_ATTRIBUTE)', known)).toBeUndefined();
    expect(ev('defined(FILE_OPEN_REPARSE_POINT)', known)).toBeUndefined();
  });

  it('unknown parts decide only when the known part does: && with false, || with true', () => {
    expect(ev('defined(V1) && NTDDI_VERSION > 5', known)).toBe(0);
    expect(ev('defined(V2) || NTDDI_VERSION > 5', known)).toBe(1);
    expect(ev('defined(V2) && NTDDI_VERSION > 5', known)).toBeUndefined();
    expect(ev('NTDDI_VERSION_FROM_WIN32_WINNT(0x601) > 1', known)).toBeUndefined();
  });

  it('without a known configuration an undefined name is unknown, never false', () => {
    const unknown = scope(facts({ V2: '1' }, false));
    expect(ev('defined(USE_TRACE)', unknown)).toBeUndefined();
    expect(ev('defined(V2)', unknown)).toBe(1);
    expect(ev('1 + 1 == 2', unknown)).toBe(1);
  });

  it('unreadable or empty conditions are unknown', () => {
    expect(ev('EMPTY', known)).toBeUndefined();
    expect(ev('LEVEL >', known)).toBeUndefined();
    expect(ev('1 / 0', known)).toBeUndefined();
    expect(ev('"text"', known)).toBeUndefined();
  });

  it('-U makes a name not defined even when the configuration is otherwise unknown', () => {
    expect(ev('defined(V3)', scope(facts({}, false, ['V3'])))).toBe(0);
  });
});

describe('names the file and its headers define', () => {
  it('a header\'s #define counts as defined, even when the configuration knows nothing of it', () => {
    const s = scope(facts({}), '', '#define TRACE_ECPS\n#define LAYOUT 2\n');
    expect(ev('defined(TRACE_ECPS)', s)).toBe(1);
    expect(ev('LAYOUT == 2', s)).toBe(1);
  });

  it('the file\'s own #define counts from where it is: an include guard is taken', () => {
    const text = '#ifndef TAG_H\n#define TAG_H\n#define MAX 4\n#endif\n';
    const s = scope(facts({}), text);
    expect(s.defined('TAG_H', 0)).toBe(false);
    expect(s.defined('TAG_H', text.length)).toBe(true);
    expect(s.value('MAX', text.length, 0)).toBe(4);
  });

  it('while a project header is missing, a name nothing defines is unknown, not false', () => {
    const s = new PpScope(facts({ V2: '1' }), '', definesOf(''), new Set(), ['version.h']);
    expect(ev('defined(FROM_VERSION_H)', s)).toBeUndefined();
    expect(ev('defined(V2)', s)).toBe(1);
  });

  it('a name #undef-ed anywhere is unknown', () => {
    const s = scope(facts({ V2: '1' }), '#undef V2\n');
    expect(s.defined('V2', 100)).toBeUndefined();
  });

  it('headers that disagree on a value leave it unknown', () => {
    const s = scope(facts({}), '', '#define LAYOUT 1\n#define LAYOUT 2\n');
    expect(ev('LAYOUT == 2', s)).toBeUndefined();
  });
});

describe('arms in the tree', () => {
  const source = `#ifdef V2
int NewOne(void) { return 2; }
#elif LEVEL > 2
int Middle(void) { return 1; }
#else
int OldOne(void) { return 0; }
#endif
#ifndef V2
int NotV2(void) { return 0; }
#endif
`;
  const functions = (build: BuildFacts | undefined) => {
    const parsed = parseText(source, 'c');
    try {
      const pp = build ? new PpScope(build, source, definesOf('')) : undefined;
      return [...buildFileModel(parsed.tree, parsed.masked, parsed.annotations, pp).functions.keys()].sort();
    } finally {
      parsed.tree.delete();
    }
  };

  it('file scope: only the definitions of the arms the build takes', () => {
    expect(functions(facts({ V2: '1' }))).toEqual(['NewOne']);
    expect(functions(facts({ LEVEL: '3' }))).toEqual(['Middle', 'NotV2']);
    expect(functions(facts({}))).toEqual(['NotV2', 'OldOne']);
  });

  it('file scope without a configuration: every arm, as before', () => {
    expect(functions(undefined)).toEqual(['Middle', 'NewOne', 'NotV2', 'OldOne']);
    expect(functions(facts({}, false))).toEqual(['Middle', 'NewOne', 'NotV2', 'OldOne']);
  });

  it('a name shaped like a SAL annotation (`_AMD64_`) in a conditional directive is not masked away, and decides', () => {
    const text = '#ifdef _AMD64_\nint Wide(void) { return 8; }\n#endif\n#if !defined(_AMD64_) && 1\nint Narrow(void) { return 4; }\n#endif\n';
    const parsed = parseText(text, 'c');
    try {
      expect(parsed.masked.split('\n')[0]).toBe('#ifdef _AMD64_');
      const pp = new PpScope(facts({ _AMD64_: '1' }), text, definesOf(''));
      expect([...buildFileModel(parsed.tree, parsed.masked, parsed.annotations, pp).functions.keys()]).toEqual(['Wide']);
    } finally {
      parsed.tree.delete();
    }
  });

  it('CRLF line endings: the directives still decide', () => {
    const text = source.replace(/\n/g, '\r\n');
    const parsed = parseText(text, 'c');
    try {
      const pp = new PpScope(facts({ LEVEL: '3' }), text, definesOf(''));
      expect([...buildFileModel(parsed.tree, parsed.masked, parsed.annotations, pp).functions.keys()].sort()).toEqual(['Middle', 'NotV2']);
    } finally {
      parsed.tree.delete();
    }
  });

  it('#ifdef and #ifndef nodes are read by their directive', () => {
    const text = '#ifndef X\nint a;\n#endif\n#ifdef X\nint b;\n#endif\n';
    const parsed = parseText(text, 'c');
    try {
      const [ifndef, ifdef] = parsed.tree.rootNode.namedChildren;
      const s = new PpScope(facts({ X: '1' }), text, definesOf(''));
      expect(ppArmTaken(ifndef!, s)).toBe(false);
      expect(ppArmTaken(ifdef!, s)).toBe(true);
      expect(ppArmTaken(ifdef!, undefined)).toBeUndefined();
    } finally {
      parsed.tree.delete();
    }
  });
});

describe('the view key', () => {
  const header = '#pragma once\n#ifdef USE_V2\n#define LEVEL BASE\n#endif\n#if LEVEL > 1\nint x;\n#endif\n';
  const view = (build: BuildFacts, unordered: string[] = []) => new PpScope(build, header, definesOf(''), new Set(unordered)).viewKey;

  it('names no condition of the text depends on do not change it: files including a header share its model', () => {
    expect(view(facts({ USE_V2: '1', OTHER: '7' }), ['MAIN_ONLY'])).toBe(view(facts({ USE_V2: '1' })));
  });

  it('a name a condition uses, or one its definition uses, changes it', () => {
    expect(view(facts({ USE_V2: '1', BASE: '2' }))).not.toBe(view(facts({ USE_V2: '1', BASE: '1' })));
    expect(view(facts({}))).not.toBe(view(facts({ USE_V2: '1' })));
    expect(view(facts({}, false))).not.toBe(view(facts({})));
  });
});

describe('system headers', () => {
  it('WDK, SDK, CRT and compiler headers are known by name; project headers are not', async () => {
    const { isSystemHeader } = await import('../../../server/src/engine/preprocessor');
    for (const h of ['fltKernel.h', 'ntifs.h', 'ntddscsi.h', 'ntddvol.h', 'ata.h', 'sys/stat.h', 'cpuid.h', 'immintrin.h', 'wdf.h', 'km\\ntstrsafe.h']) expect(isSystemHeader(h), h).toBe(true);
    for (const h of ['tagdefs.h', 'btrfs_drv.h', 'zstd/lib/zstd.h', 'avlib.h', 'ntfsprivate_ecp.h']) expect(isSystemHeader(h), h).toBe(false);
  });
});
