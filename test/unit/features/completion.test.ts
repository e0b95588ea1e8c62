import { describe, it, expect, beforeAll } from 'vitest';
import { CompletionItemKind, CompletionTriggerKind, InsertTextFormat, type CompletionItem } from 'vscode-languageserver';
import { completion, statementCanStart } from '../../../server/src/features/completion';
import { catalog, routineList, statusList } from '../../../server/src/catalog';
import type { EcpLensServer } from '../../../server/src/server';
import { serverWith, minifilter, at, insertAt, positionAt } from './helpers';

let server: EcpLensServer;
let uri: string;
beforeAll(async () => {
  ({ server, uri } = await serverWith(minifilter));
});

const labels = (items: CompletionItem[]) => items.map((i) => i.label);

/** Completion at the end of `typed`, inserted on a line of its own before `before`. */
async function completeTyped(text: string, before: string, typed: string, options = {}) {
  const edit = insertAt(text, before, `${typed}\n`);
  const d = await serverWith(edit.text);
  const list = completion(d.server, { textDocument: { uri: d.uri }, position: positionAt(edit.text, edit.offset - 1) }, options);
  return { list, text: edit.text };
}

describe('completion in arguments', () => {
  it('offers exactly the ECP allocation flags (and 0) in the Flags argument of FltAllocateExtraCreateParameter', () => {
    const list = completion(server, at(uri, minifilter, 'FSRTL_ALLOCATE_ECP_FLAG_NONPAGED_POOL', 1, 'FSRTL_'.length));
    expect(list.isIncomplete).toBe(false);
    expect(labels(list.items).sort()).toEqual(['0', 'FSRTL_ALLOCATE_ECP_FLAG_CHARGE_QUOTA', 'FSRTL_ALLOCATE_ECP_FLAG_NONPAGED_POOL']);
    expect(labels(list.items)).not.toContain('FSRTL_ALLOCATE_ECPLIST_FLAG_CHARGE_QUOTA');
  });

  it('offers the list flag in the Flags argument of the list allocator, also after a trigger comma', () => {
    const list = completion(server, { ...at(uri, minifilter, '(gFilterHandle, 0, &ecpList)', 1, '(gFilterHandle, '.length), context: { triggerKind: CompletionTriggerKind.TriggerCharacter, triggerCharacter: ',' } });
    expect(labels(list.items).sort()).toEqual(['0', 'FSRTL_ALLOCATE_ECPLIST_FLAG_CHARGE_QUOTA']);
  });

  it('offers system GUIDs and the GUIDs the document and the workspace define in EcpType, with &', () => {
    const list = completion(server, at(uri, minifilter, '&GUID_ECP_CONTOSO_SIDE', 1, '&GUID_'.length), { workspaceGuids: () => ['GUID_ECP_FROM_OTHER_FILE'] });
    const names = labels(list.items);
    expect(names).toContain('&GUID_ECP_CONTOSO_SIDE');
    expect(names).toContain('&GUID_ECP_CONTOSO_AUDIT');
    expect(names).toContain('&GUID_ECP_FROM_OTHER_FILE');
    for (const g of catalog.guids.keys()) expect(names).toContain(`&${g}`);
    expect(names).not.toContain('FltAllocateExtraCreateParameter');
    const own = list.items.find((i) => i.label === '&GUID_ECP_CONTOSO_SIDE')!;
    const start = positionAt(minifilter, minifilter.indexOf('&GUID_ECP_CONTOSO_SIDE'));
    expect((own.textEdit as { range: { start: unknown } }).range.start).toEqual(start);
  });

  it('tolerates a workspace provider that throws', () => {
    const list = completion(server, at(uri, minifilter, '&GUID_ECP_CONTOSO_SIDE', 1, 3), { workspaceGuids: () => { throw new Error('index not ready'); } });
    expect(labels(list.items)).toContain('&GUID_ECP_CONTOSO_SIDE');
  });

  it('offers status codes after == on a status and after case in a switch on a status', () => {
    const eq = completion(server, at(uri, minifilter, 'STATUS_OBJECT_NAME_NOT_FOUND', 1, 0));
    expect(labels(eq.items)).toEqual(statusList.map((s) => s.name));
    const inCase = completion(server, at(uri, minifilter, 'STATUS_SUCCESS:', 1, 'STATUS_'.length));
    expect(labels(inCase.items)).toContain('STATUS_SUCCESS');
  });

  it('offers nothing in comments and strings, or after ( outside ECP arguments', () => {
    expect(completion(server, at(uri, minifilter, 'No side file yet', 1, 3)).items).toEqual([]);
    expect(completion(server, { ...at(uri, minifilter, 'RtlZeroMemory(ecpContext', 1, 14), context: { triggerKind: CompletionTriggerKind.TriggerCharacter, triggerCharacter: '(' } }).items).toEqual([]);
    expect(completion(server, { bogus: true }).items).toEqual([]);
  });
});

describe('routine and snippet completion', () => {
  it('offers routine names as functions with a one-line signature inside an expression, without snippets', async () => {
    const { list } = await completeTyped(minifilter, '    IoInitializeDriverCreateContext', '    status = Flt');
    const item = list.items.find((i) => i.label === 'FltAllocateExtraCreateParameterList')!;
    expect(item.kind).toBe(CompletionItemKind.Function);
    expect(item.detail).toMatch(/^NTSTATUS FLTAPI FltAllocateExtraCreateParameterList\(_In_ PFLT_FILTER Filter, .*\)$/);
    expect(item.insertText).toBe('FltAllocateExtraCreateParameterList');
    expect(labels(list.items)).toHaveLength(routineList.length);
    expect(list.items.some((i) => i.kind === CompletionItemKind.Snippet)).toBe(false);
  });

  it('offers attach snippets at statement start with the filter, instance and object attributes in scope', async () => {
    const { list } = await completeTyped(minifilter, '    IoInitializeDriverCreateContext', '    ecp-att');
    const attach = list.items.find((i) => i.filterText === 'ecp-attach-flt')!;
    expect(attach.label).toBe('ecp-attach-flt (uses gFilterHandle, Instance, ObjectAttributes)');
    expect(attach.insertTextFormat).toBe(InsertTextFormat.Snippet);
    const body = (attach.textEdit as { newText: string }).newText;
    expect(body).toContain('${1:gFilterHandle}');
    expect(body).toContain('${8:Instance}');
    expect(body).toContain('&${3:GUID_ECP_CONTOSO_SIDE}');
    expect(body).toContain('ecpList2'); // the function already has an ecpList
    expect(body).not.toMatch(/^NTSTATUS /m); // reuses the function's status
    expect(body).toContain('return $14;');
  });

  it('uses FltObjects->Filter and the callback data in a pre-create callback', async () => {
    const { list } = await completeTyped(minifilter, '    status = FltGetEcpListFromCallbackData', '    ecp');
    const find = list.items.find((i) => i.filterText === 'ecp-find-flt')!;
    expect(find.label).toBe('ecp-find-flt (uses FltObjects->Filter, Data)');
    expect((find.textEdit as { newText: string }).newText).toContain('${1:FltObjects->Filter}');
  });

  it('offers FsRtl flavours in a file without fltKernel.h', async () => {
    const text = '#include <ntifs.h>\n\nNTSTATUS Open(_In_ POBJECT_ATTRIBUTES Oa)\n{\n    NTSTATUS status = STATUS_SUCCESS;\n    return status;\n}\n';
    const { list } = await completeTyped(text, '    return status;', '    ecp');
    expect(list.items.map((i) => i.filterText)).toContain('ecp-attach-fsrtl');
    expect(list.items.map((i) => i.filterText)).not.toContain('ecp-attach-flt');
  });

  it('offers a new ECP type with a fresh GUID at file scope, and no routine names there', async () => {
    const { list } = await completeTyped(minifilter, 'PFLT_FILTER gFilterHandle;', 'ecp-ty');
    const type = list.items.find((i) => i.filterText === 'ecp-type')!;
    expect(type.label).toMatch(/^ecp-type \(new GUID \{[0-9a-f-]{36}\}\)$/);
    expect((type.textEdit as { newText: string }).newText).toMatch(/DEFINE_GUID\(\$2,\n\t\$\{3:0x[0-9a-f]{8}, 0x[0-9a-f]{4}, /);
    expect(list.items.some((i) => i.kind === CompletionItemKind.Function)).toBe(false);
  });
});

describe('statementCanStart', () => {
  it('accepts the start of a statement and refuses the middle of an expression', () => {
    expect(statementCanStart('{\n    x = 1;\n    ', 16)).toBe(true);
    expect(statementCanStart('Cleanup:\n    ', 13)).toBe(true);
    expect(statementCanStart('    x = ', 8)).toBe(false);
    expect(statementCanStart('if (a)\n    ', 11)).toBe(false);
    expect(statementCanStart('x = c ? a :\n    ', 16)).toBe(false);
  });
});
