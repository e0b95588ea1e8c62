import { describe, it, expect, beforeAll } from 'vitest';
import { initParser, parseText } from '../../../server/src/parsing/parser';
import { buildFileModel } from '../../../server/src/engine/fileModel';

beforeAll(async () => {
  await initParser();
});

function model(text: string) {
  const parsed = parseText(text);
  try {
    return buildFileModel(parsed.tree, parsed.masked, parsed.annotations);
  } finally {
    parsed.tree.delete();
  }
}

describe('file model', () => {
  it('estimates x64 structure sizes with natural alignment (arrays align like their element)', () => {
    const m = model(`
      typedef struct _A { ULONG Value; ULONG Reserved[7]; } A, *PA;
      typedef struct _B { UCHAR Flag; PVOID Pointer; } B;
      typedef struct _C { USHORT Size; USHORT Reserved; GUID Id; } C;
      typedef struct _D { UCHAR Bytes[3]; } D;
    `);
    expect(m.structSizes.get('A')).toBe(32);
    expect(m.structSizes.get('B')).toBe(16);
    expect(m.structSizes.get('C')).toBe(20);
    expect(m.structSizes.get('D')).toBe(3);
    expect(m.pointerTypedefs.has('PA')).toBe(true);
  });

  it('finds functions inside #ifdef blocks and reads the IRQL annotation in front of them', () => {
    const m = model(`
      #ifdef ALLOC_PRAGMA
      #endif
      #if DBG
      _IRQL_requires_(DISPATCH_LEVEL)
      VOID AtDispatch(_In_ PVOID p) { }
      #endif
      VOID AtPassive(_In_ PVOID p) { }
    `);
    expect(m.functions.get('AtDispatch')?.startIrql).toBe(2);
    expect(m.functions.get('AtPassive')?.startIrql).toBe(0);
  });

  it('collects object-like and function-like macros', () => {
    const m = model(`#define TAG 'xpcE'\n#define CHECK(s) do { if (!NT_SUCCESS(s)) return s; } while (0)\n`);
    expect(m.defines.get('TAG')).toBe("'xpcE'");
    expect(m.macros.get('CHECK')?.params).toEqual(['s']);
  });
});
