/**
 * Warm-up at `initialize`: the first analysis in a fresh process runs on cold code (the parser's
 * wasm still in its baseline tier, the engine's JavaScript not yet compiled), about twice the cost
 * of the same analysis a moment later. A client sends `initialize` before any `didOpen`, so the
 * server spends that cost there, on a built-in driver text, instead of on the user's first file.
 *
 * Nothing of it is published or kept: the text's functions have names no driver uses, and the
 * engine's caches (keyed by a function's text) hold its entries only until they are evicted.
 */
import { parseText } from './parsing/parser';
import { analyzeParsed, type Finding } from './analysis';

/**
 * One unit of the warm-up text: the ECP routines, branches, loops, a switch and a cleanup label,
 * written so that some functions are correct and some are not (findings are built and serialised
 * as a publication would be). `@` is replaced by a per-copy suffix.
 */
const UNIT = `
static const GUID GUID_WARMUP_ECP_@ = { 0x1d2c3b4a, 0x5e6f, 0x4a1b, { 0x8c, 0x9d, 0x0e, 0x1f, 0x2a, 0x3b, 0x4c, 0x5d } };

typedef struct _WARMUP_PAYLOAD_@ {
    ULONG Kind;
    ULONG Length;
    PVOID Owner;
} WARMUP_PAYLOAD_@, *PWARMUP_PAYLOAD_@;

static VOID
WarmUpCleanup_@(_Inout_ PVOID EcpContext, _In_ LPCGUID EcpType)
{
    UNREFERENCED_PARAMETER(EcpContext);
    UNREFERENCED_PARAMETER(EcpType);
}

NTSTATUS
WarmUpAttach_@(_In_ PFLT_FILTER Filter, _In_ PFLT_INSTANCE Instance, _In_ POBJECT_ATTRIBUTES Attributes, _Out_ PHANDLE Handle, _In_ ULONG Mode)
{
    NTSTATUS status;
    PECP_LIST list = NULL;
    PWARMUP_PAYLOAD_@ payload = NULL;
    IO_DRIVER_CREATE_CONTEXT context;
    IO_STATUS_BLOCK iosb;
    ULONG i;

    status = FltAllocateExtraCreateParameterList(Filter, 0, &list);
    if (!NT_SUCCESS(status)) {
        return status;
    }
    status = FltAllocateExtraCreateParameter(Filter, &GUID_WARMUP_ECP_@, sizeof(WARMUP_PAYLOAD_@), 0,
                                             WarmUpCleanup_@, 'pUmW', (PVOID *)&payload);
    if (!NT_SUCCESS(status)) {
        goto Cleanup;
    }
    payload->Kind = Mode;
    payload->Length = 0;
    for (i = 0; i < 4; i++) {
        if (Mode & (1 << i)) {
            payload->Length += i;
        }
    }
    switch (Mode) {
    case 1:
        payload->Owner = NULL;
        break;
    case 2:
        payload->Owner = Instance;
        break;
    default:
        break;
    }
    status = FltInsertExtraCreateParameter(Filter, list, payload);
    if (!NT_SUCCESS(status)) {
        FltFreeExtraCreateParameter(Filter, payload);
        goto Cleanup;
    }
    IoInitializeDriverCreateContext(&context);
    context.ExtraCreateParameter = list;
    status = FltCreateFileEx2(Filter, Instance, Handle, NULL, GENERIC_READ, Attributes, &iosb, NULL,
                              FILE_ATTRIBUTE_NORMAL, FILE_SHARE_READ, FILE_OPEN, 0, NULL, 0, 0, &context);
Cleanup:
    FltFreeExtraCreateParameterList(Filter, list);
    return status;
}

NTSTATUS
WarmUpLeak_@(_In_ PFLT_FILTER Filter, _In_ BOOLEAN Early)
{
    NTSTATUS status;
    PECP_LIST list = NULL;
    PVOID extra = NULL;

    status = FltAllocateExtraCreateParameterList(Filter, 0, &list);
    if (!NT_SUCCESS(status)) {
        return status;
    }
    if (Early) {
        return STATUS_UNSUCCESSFUL;
    }
    status = FltAllocateExtraCreateParameter(Filter, &GUID_WARMUP_ECP_@, 16, 0, NULL, 'xUmW', &extra);
    if (NT_SUCCESS(status)) {
        FltFreeExtraCreateParameter(Filter, extra);
        FltFreeExtraCreateParameter(Filter, extra);
    }
    FltFreeExtraCreateParameterList(Filter, list);
    return status;
}

FLT_PREOP_CALLBACK_STATUS
WarmUpPreCreate_@(_Inout_ PFLT_CALLBACK_DATA Data, _In_ PCFLT_RELATED_OBJECTS Objects, _Out_ PVOID *Completion)
{
    PECP_LIST list = NULL;
    PWARMUP_PAYLOAD_@ found = NULL;
    ULONG size = 0;
    NTSTATUS status;

    *Completion = NULL;
    status = FltGetEcpListFromCallbackData(Objects->Filter, Data, &list);
    if (!NT_SUCCESS(status) || list == NULL) {
        return FLT_PREOP_SUCCESS_NO_CALLBACK;
    }
    status = FltFindExtraCreateParameter(Objects->Filter, list, &GUID_WARMUP_ECP_@, (PVOID *)&found, &size);
    if (NT_SUCCESS(status) && !FltIsEcpFromUserMode(Objects->Filter, found)) {
        if (found->Length > size) {
            return FLT_PREOP_COMPLETE;
        }
        FltAcknowledgeEcp(Objects->Filter, found);
    }
    return FLT_PREOP_SUCCESS_NO_CALLBACK;
}
`;

/** Copies of the unit in the warm-up text: enough for the parser and the engine to reach their optimised code. */
const COPIES = 2;

export interface WarmUpReport {
  millis: number;
  /** What the analysis of the built-in text found (its own functions only; never published). */
  findings: { code: string; functionName: string | null }[];
}

/** Parses and analyses the built-in text as the diagnostics would, then drops all of it. */
export function warmUp(toWire: (f: Finding) => unknown): WarmUpReport {
  const started = performance.now();
  const text = `#include <fltKernel.h>\n${Array.from({ length: COPIES }, (_, i) => UNIT.replace(/@/g, `w${i}`)).join('\n')}`;
  const parsed = parseText(text);
  let findings: WarmUpReport['findings'] = [];
  try {
    const result = analyzeParsed(parsed, text, { lazyFixes: true });
    findings = result.findings.map((f) => ({ code: f.code, functionName: f.functionName }));
    // Serialised as a publication is (the message is never sent).
    JSON.stringify(result.findings.map(toWire));
  } finally {
    parsed.tree.delete();
  }
  // A second parse: by now the parser's hot functions run their optimised code.
  parseText(text).tree.delete();
  return { millis: performance.now() - started, findings };
}
