import { describe, it, expect, beforeAll } from 'vitest';
import type { MarkupContent } from 'vscode-languageserver';
import { signatureHelp, oneLinePrototype } from '../../../server/src/features/signatureHelp';
import { routineList, parameterMarkdown } from '../../../server/src/catalog';
import type { EcpLensServer } from '../../../server/src/server';
import { serverWith, minifilter, at, insertAt, positionAt } from './helpers';

let server: EcpLensServer;
let uri: string;
beforeAll(async () => {
  ({ server, uri } = await serverWith(minifilter));
});

describe('one-line prototypes', () => {
  it.each(routineList.map((r) => [r.name, r] as const))('%s: one line with every parameter located by its name', (_, r) => {
    const line = oneLinePrototype(r);
    expect(line.label).not.toContain('\n');
    expect(line.label).toContain(`${r.name}(`);
    expect(line.params).toHaveLength(r.params.length);
    r.params.forEach((p, i) => expect(line.label.slice(...line.params[i]).endsWith(p.name)).toBe(true));
  });
});

describe('signature help', () => {
  it('gives the routine, its parameters and the active one inside a complete call', () => {
    const help = signatureHelp(server, at(uri, minifilter, 'FSRTL_ALLOCATE_ECP_FLAG_NONPAGED_POOL', 1, 2))!;
    expect(help.activeParameter).toBe(3);
    const sig = help.signatures[0];
    expect(sig.label).toMatch(/^NTSTATUS FLTAPI FltAllocateExtraCreateParameter\(_In_ PFLT_FILTER Filter, /);
    const flags = sig.parameters![3];
    expect(sig.label.slice(...(flags.label as [number, number]))).toBe('_In_ FSRTL_ALLOCATE_ECP_FLAGS Flags');
    const doc = (flags.documentation as MarkupContent).value;
    expect(doc).toBe(parameterMarkdown(routineList.find((r) => r.name === 'FltAllocateExtraCreateParameter')!, 3));
    expect(doc).toContain('FSRTL_ALLOCATE_ECP_FLAG_CHARGE_QUOTA');
    expect(doc).toContain('FSRTL_ALLOCATE_ECP_FLAG_NONPAGED_POOL');
  });

  it('follows the cursor through nested calls to the ECP routine around them', () => {
    const help = signatureHelp(server, at(uri, minifilter, 'sizeof(CONTOSO_ECP_CONTEXT),', 1, 8))!;
    expect(help.signatures[0].label).toContain('FltAllocateExtraCreateParameter(');
    expect(help.activeParameter).toBe(2);
    const inMacro = signatureHelp(server, at(uri, minifilter, 'ecpList, ecpContext);', 1, 10))!;
    expect(inMacro.signatures[0].label).toContain('FltInsertExtraCreateParameter(');
    expect(inMacro.activeParameter).toBe(2);
  });

  it('works while the call is still being typed', async () => {
    const edit = insertAt(minifilter, '    IoInitializeDriverCreateContext', '    status = FltRemoveExtraCreateParameter(gFilterHandle, ecpList, \n');
    const d = await serverWith(edit.text);
    const help = signatureHelp(d.server, { textDocument: { uri: d.uri }, position: positionAt(edit.text, edit.offset - 1) })!;
    expect(help.signatures[0].label).toContain('FltRemoveExtraCreateParameter(');
    expect(help.activeParameter).toBe(2);
  });

  it('is silent outside ECP calls, in comments and for malformed params', () => {
    expect(signatureHelp(server, at(uri, minifilter, 'RtlZeroMemory(ecpContext', 1, 15))).toBeNull();
    expect(signatureHelp(server, at(uri, minifilter, 'No side file yet', 1, 3))).toBeNull();
    expect(signatureHelp(server, { textDocument: { uri }, position: { line: 'x', character: 0 } })).toBeNull();
    expect(signatureHelp(server, null)).toBeNull();
  });
});
