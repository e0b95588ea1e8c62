import { describe, it, expect, beforeAll } from 'vitest';
import type { MarkupContent } from 'vscode-languageserver';
import { hover } from '../../../server/src/features/hover';
import { catalog, routine } from '../../../server/src/catalog';
import type { EcpLensServer } from '../../../server/src/server';
import { serverWith, minifilter, at, positionAt, offsetOf } from './helpers';

let server: EcpLensServer;
let uri: string;
const value = (h: ReturnType<typeof hover>) => (h?.contents as MarkupContent | undefined)?.value ?? '';

beforeAll(async () => {
  ({ server, uri } = await serverWith(minifilter));
});

describe('hover on catalogued names', () => {
  it('shows a routine with prototype, IRQL, return codes and counterpart, ranged on the name', () => {
    const h = hover(server, at(uri, minifilter, 'FltAllocateExtraCreateParameter(', 1, 4));
    const r = routine('FltAllocateExtraCreateParameter')!;
    expect(value(h)).toContain(r.prototype);
    expect(value(h)).toContain('**IRQL:** <= APC_LEVEL');
    for (const c of r.returnCodes) expect(value(h)).toContain(c.status);
    expect(value(h)).toContain(`**Counterpart:** \`${r.counterpart}\``);
    const start = offsetOf(minifilter, 'FltAllocateExtraCreateParameter(');
    expect(h?.range).toEqual({ start: positionAt(minifilter, start), end: positionAt(minifilter, start + r.name.length) });
  });

  it('shows a flag with its value and accepting routines', () => {
    const v = value(hover(server, at(uri, minifilter, 'FSRTL_ALLOCATE_ECP_FLAG_NONPAGED_POOL', 1, 8)));
    expect(v).toContain('0x00000002');
    for (const r of catalog.flagFamilies.get('FSRTL_ALLOCATE_ECP_FLAGS')!.acceptedBy) expect(v).toContain(r);
  });

  it('shows a system GUID with its value and context structure', () => {
    const v = value(hover(server, at(uri, minifilter, 'GUID_ECP_NETWORK_OPEN_CONTEXT', 1, 10)));
    expect(v).toContain('{c584edbf-00df-4d28-b884-35baca8911e8}');
    expect(v).toContain('NETWORK_OPEN_ECP_CONTEXT');
  });

  it('shows a status code, the bug check by name and by code, and a type in sizeof', () => {
    expect(value(hover(server, at(uri, minifilter, 'STATUS_OBJECT_NAME_NOT_FOUND', 1, 3)))).toContain('0xC0000034');
    expect(value(hover(server, at(uri, minifilter, 'FSRTL_EXTRA_CREATE_PARAMETER_VIOLATION', 1, 3)))).toContain('Bug check 0x0000010C');
    expect(value(hover(server, at(uri, minifilter, '0x10C', 1, 1)))).toContain('FSRTL_EXTRA_CREATE_PARAMETER_VIOLATION');
    expect(value(hover(server, at(uri, minifilter, 'PECP_LIST ecpList', 1, 3)))).toContain('ECP_LIST');
  });

  it('shows a field of a catalogued structure through a variable of that type', () => {
    const v = value(hover(server, at(uri, minifilter, '.ExtraCreateParameter', 1, 5)));
    expect(v).toContain('ExtraCreateParameter; // IO_DRIVER_CREATE_CONTEXT');
  });

  it('shows nothing for plain C, an unknown field, or a number that is no bug check', () => {
    expect(hover(server, at(uri, minifilter, 'Data->Iopb', 1, 7))).toBeNull();
    expect(hover(server, at(uri, minifilter, 'USHORT Size', 1, 2))).toBeNull();
    expect(hover(server, at(uri, minifilter, '0x4f1f2a9e', 1, 3))).toBeNull();
  });
});

describe('hover on a variable holding an ECP object', () => {
  it('summarises the simulated state at the line and at the end of the function', () => {
    const v = value(hover(server, at(uri, minifilter, 'FltInsertExtraCreateParameter(gFilterHandle, ecpList', 1, 'FltInsertExtraCreateParameter(gFilterHandle, '.length + 2)));
    expect(v).toContain('**ecpList** — ECP_LIST allocated at line 35 (simulated)');
    const line = positionAt(minifilter, offsetOf(minifilter, 'FltInsertExtraCreateParameter(gFilterHandle, ecpList')).line + 1;
    // The insert's status is tested, so its documented failure is a path too (the context stays out).
    // After the insert: the create succeeds, fails with STATUS_OBJECT_NAME_NOT_FOUND, or fails otherwise.
    expect(v).toContain(`At line ${line}: a live list with 1 context inserted on 3 paths, a live list with 0 contexts inserted on 1 path`);
    expect(v).toMatch(/a live list with 1 context inserted on (all paths|\d+ paths?)/);
    expect(v).toContain('freed on all paths');
    expect(v).toMatch(/Simulated over \d+ paths?/);
  });

  it('reports a context as loose before the insert, with its ECP type', () => {
    const v = value(hover(server, at(uri, minifilter, 'RtlZeroMemory(ecpContext', 1, 16)));
    expect(v).toContain('ECP context (GUID_ECP_CONTOSO_SIDE) allocated at line 40');
    expect(v).toContain('allocated, in no list');
  });

  it('reports a leak on the path that returns without freeing', async () => {
    const leaky = minifilter.replace('        FltFreeExtraCreateParameterList(gFilterHandle, ecpList);\n        return status;\n    }\n    RtlZero', '        return status;\n    }\n    RtlZero');
    const d = await serverWith(leaky);
    const v = value(hover(d.server, at(d.uri, leaky, '&ecpList);', 1, 3)));
    expect(v).toMatch(/leaked on 1 path \(returns at line \d+\)/);
  });

  it('says nothing about a variable no ECP call wrote', () => {
    expect(hover(server, at(uri, minifilter, 'fileHandle = NULL', 1, 2))).toBeNull();
  });
});

describe('hover robustness', () => {
  it('returns null for malformed params, unknown documents and positions past the end', () => {
    for (const p of [null, undefined, {}, { textDocument: { uri: 3 } }, { textDocument: { uri }, position: { line: -1, character: 0 } }, { textDocument: { uri: 'file:///none.c' }, position: { line: 0, character: 0 } }, { textDocument: { uri }, position: { line: 99999, character: 0 } }]) {
      expect(hover(server, p)).toBeNull();
    }
  });

  it('answers from the current version after a change', async () => {
    const d = await serverWith('int x;\n');
    d.server.documents.change(d.uri, 2, [{ text: 'void F(void) { FltAcknowledgeEcp(gF, e); }\n' }]);
    expect(value(hover(d.server, { textDocument: { uri: d.uri }, position: { line: 0, character: 18 } }))).toContain('FltAcknowledgeEcp');
  });
});
