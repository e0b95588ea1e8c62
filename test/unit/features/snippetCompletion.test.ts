/**
 * Every context-aware snippet completion, accepted with its defaults in the function (or file) it
 * was offered in, must parse without errors and be reported clean by ECP Lens's own analysis.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { CompletionItemKind, type CompletionItem } from 'vscode-languageserver';
import { completion } from '../../../server/src/features/completion';
import { initParser, parseText, syntaxErrors } from '../../../server/src/parsing/parser';
import { analyzeParsed } from '../../../server/src/analysis';
import { serverWith, positionAt } from './helpers';
import { applyCompletion } from './applySnippet';

const FLT_HEAD = `#include <fltKernel.h>

typedef struct _CONTOSO_ECP_CONTEXT {
    USHORT Size;
    USHORT Reserved;
    ULONG Flags;
} CONTOSO_ECP_CONTEXT, *PCONTOSO_ECP_CONTEXT;

DEFINE_GUID(GUID_ECP_CONTOSO_SIDE,
    0x4f1f2a9e, 0x3c1b, 0x4d6a, 0x9b, 0x2e, 0x51, 0x7c, 0x0e, 0x3a, 0x66, 0x10);

PFLT_FILTER gFilterHandle;
union {
    PAGED_LOOKASIDE_LIST Paged;
    NPAGED_LOOKASIDE_LIST NonPaged;
} gContosoEcpLookaside;
`;

const FSRTL_HEAD = FLT_HEAD.replace('#include <fltKernel.h>', '#include <ntifs.h>').replace(/PFLT_FILTER gFilterHandle;\n[\s\S]*$/, 'PDEVICE_OBJECT gLowerDeviceObject;\n');

/** Host sources; `@@` marks where the user types the prefix (on a line of its own). */
const HOSTS: Record<string, string> = {
  'FltMgr function with a Cleanup label': `${FLT_HEAD}
_IRQL_requires_(PASSIVE_LEVEL)
NTSTATUS
ContosoOpen(
    _In_ PFLT_INSTANCE Instance,
    _In_ PUNICODE_STRING FileName
    )
{
    NTSTATUS status = STATUS_SUCCESS;
    OBJECT_ATTRIBUTES objectAttributes;

    if (FileName->Length == 0) {
        status = STATUS_INVALID_PARAMETER;
        goto Cleanup;
    }
    InitializeObjectAttributes(&objectAttributes, FileName, OBJ_KERNEL_HANDLE | OBJ_CASE_INSENSITIVE, NULL, NULL);
    @@

Cleanup:
    return status;
}
`,
  'FltMgr function without a label': `${FLT_HEAD}
_IRQL_requires_(PASSIVE_LEVEL)
NTSTATUS
ContosoOpen(
    _In_ PFLT_FILTER Filter,
    _In_ PFLT_INSTANCE Instance,
    _In_ POBJECT_ATTRIBUTES ObjectAttributes
    )
{
    @@
}
`,
  'FltMgr VOID function': `${FLT_HEAD}
_IRQL_requires_(PASSIVE_LEVEL)
VOID
ContosoTouch(
    _In_ PFLT_INSTANCE Instance,
    _In_ POBJECT_ATTRIBUTES ObjectAttributes
    )
{
    @@
}
`,
  'FltMgr pre-create callback': `${FLT_HEAD}
FLT_PREOP_CALLBACK_STATUS
FLTAPI
ContosoPreCreate(
    _Inout_ PFLT_CALLBACK_DATA Data,
    _In_ PCFLT_RELATED_OBJECTS FltObjects,
    _Flt_CompletionContext_Outptr_ PVOID *CompletionContext
    )
{
    OBJECT_ATTRIBUTES sideAttributes;

    *CompletionContext = NULL;
    InitializeObjectAttributes(&sideAttributes, &Data->Iopb->TargetFileObject->FileName, OBJ_KERNEL_HANDLE, NULL, NULL);
    @@
    return FLT_PREOP_SUCCESS_NO_CALLBACK;
}
`,
  'FltMgr routine owning a list': `${FLT_HEAD}
_IRQL_requires_max_(APC_LEVEL)
VOID
ContosoDropEcp(
    _Inout_ PECP_LIST EcpList
    )
{
    @@
}
`,
  'FsRtl function with an Exit label': `${FSRTL_HEAD}
_IRQL_requires_(PASSIVE_LEVEL)
NTSTATUS
ContosoOpen(
    _In_ POBJECT_ATTRIBUTES ObjectAttributes
    )
{
    NTSTATUS status;

    status = STATUS_SUCCESS;
    @@

Exit:
    return status;
}
`,
  'FsRtl IRP_MJ_CREATE dispatch': `${FSRTL_HEAD}
NTSTATUS
ContosoDispatchCreate(
    _In_ PDEVICE_OBJECT DeviceObject,
    _Inout_ PIRP Irp
    )
{
    @@
    UNREFERENCED_PARAMETER(DeviceObject);
    IoSkipCurrentIrpStackLocation(Irp);
    return IoCallDriver(gLowerDeviceObject, Irp);
}
`,
  'FltMgr file scope': `${FLT_HEAD}
@@
`,
  'FsRtl file scope': `${FSRTL_HEAD}
@@
`,
};

async function offered(host: string): Promise<{ text: string; items: CompletionItem[] }> {
  const marker = host.indexOf('@@');
  const text = host.slice(0, marker) + 'ecp' + host.slice(marker + 2);
  const d = await serverWith(text);
  const list = completion(d.server, { textDocument: { uri: d.uri }, position: positionAt(text, marker + 3) });
  return { text, items: list.items.filter((i) => i.kind === CompletionItemKind.Snippet) };
}

function problems(source: string): string[] {
  const parsed = parseText(source);
  try {
    const lines = source.split('\n');
    const syntax = syntaxErrors(parsed.tree).map((n) => `syntax error at ${n.startPosition.row + 1}: ${lines[n.startPosition.row]?.trim()}`);
    const findings = analyzeParsed(parsed, source).findings.map((f) => `${f.code} at ${f.range.start.line + 1}: ${f.message}`);
    return [...syntax, ...findings];
  } finally {
    parsed.tree.delete();
  }
}

beforeAll(async () => {
  await initParser();
});

describe.each(Object.entries(HOSTS))('%s', (_, host) => {
  it('the host itself is clean', () => {
    expect(problems(host.replace('@@', ''))).toEqual([]);
  });

  it('every snippet offered there expands into code that parses and is reported clean', async () => {
    const { text, items } = await offered(host);
    expect(items.length).toBeGreaterThan(0);
    for (const item of items) {
      const applied = applyCompletion(text, item);
      expect({ snippet: item.label, problems: problems(applied) }).toEqual({ snippet: item.label, problems: [] });
    }
  });
});

describe('error-handling style', () => {
  it('jumps to the existing Cleanup label, hoists the declarations and frees the list there', async () => {
    const { text, items } = await offered(HOSTS['FltMgr function with a Cleanup label']);
    const attach = items.find((i) => i.filterText === 'ecp-attach-flt')!;
    expect(attach.label).toBe('ecp-attach-flt (uses gFilterHandle, Instance, &objectAttributes)');
    const body = (attach.textEdit as { newText: string }).newText;
    expect(body).toContain('goto Cleanup;');
    expect(body).not.toMatch(/^Cleanup:/m);
    expect(body).not.toMatch(/\breturn\b/);
    const applied = applyCompletion(text, attach);
    expect(applied).toMatch(/OBJECT_ATTRIBUTES objectAttributes;\n    PECP_LIST ecpList = NULL;/);
    expect(applied).toMatch(/Cleanup:\n    \/\* 7\.[^\n]*\n    if \(ecpList != NULL\) \{\n        FltFreeExtraCreateParameterList\(gFilterHandle, ecpList\);\n    \}\n    return status;/);
  });

  it('uses an Exit label in the FsRtl flavour', async () => {
    const { items } = await offered(HOSTS['FsRtl function with an Exit label']);
    const attach = items.find((i) => i.filterText === 'ecp-attach-fsrtl')!;
    expect((attach.textEdit as { newText: string }).newText).toContain('goto Exit;');
  });

  it('returns early without a label, and with a bare return in a VOID function', async () => {
    const plain = (await offered(HOSTS['FltMgr function without a label'])).items.find((i) => i.filterText === 'ecp-attach-flt')!;
    expect(plain.label).toBe('ecp-attach-flt (uses Filter, Instance, ObjectAttributes)');
    expect((plain.textEdit as { newText: string }).newText).toContain('return $14;');
    const asVoid = (await offered(HOSTS['FltMgr VOID function'])).items.find((i) => i.filterText === 'ecp-attach-flt')!;
    const body = (asVoid.textEdit as { newText: string }).newText;
    expect(body).toContain('return;');
    expect(body).not.toMatch(/return \$/);
  });
});
