/** Every rule ECP Lens reports: stable code, default severity, one-line summary. */

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface RuleInfo {
  code: string;
  severity: Severity;
  summary: string;
}

export const RULES: readonly RuleInfo[] = [
  { code: 'ecp-list-leak', severity: 'error', summary: 'An ECP list this function allocated is neither freed nor handed off on some path.' },
  { code: 'ecp-context-leak', severity: 'error', summary: 'An ECP context is neither inserted, freed nor handed off on some path.' },
  { code: 'ecp-double-free', severity: 'error', summary: 'A list or context is freed twice on some path.' },
  { code: 'ecp-free-inserted', severity: 'error', summary: 'A context is freed while a list still owns it.' },
  { code: 'ecp-use-after-free', severity: 'error', summary: 'A list or context (or a context inside a freed list) is used after it was freed.' },
  { code: 'ecp-foreign-list-free', severity: 'error', summary: 'A list or context that belongs to an in-flight create is freed.' },
  { code: 'ecp-create-context', severity: 'error', summary: 'A create is given a driver create context that is uninitialised, or whose ExtraCreateParameter is unset or dead.' },
  { code: 'ecp-flag-family', severity: 'error', summary: 'A flag of one ECP flag family is passed where another family is expected.' },
  { code: 'ecp-arg-count', severity: 'error', summary: 'An ECP routine is called with the wrong number of arguments.' },
  { code: 'ecp-unchecked-status', severity: 'warning', summary: "A failing call's out-parameter is used on a path where the call may have failed." },
  { code: 'ecp-duplicate-type', severity: 'warning', summary: 'Two contexts of the same ECP type are inserted into one list.' },
  { code: 'ecp-lookaside-not-deleted', severity: 'warning', summary: 'An ECP lookaside list is initialised but never deleted anywhere in the workspace.' },
  { code: 'ecp-irql', severity: 'warning', summary: 'An ECP routine is called where the IRQL may be above its maximum.' },
  { code: 'ecp-context-size', severity: 'warning', summary: 'A context size of zero, or sizeof a pointer where the structure was meant.' },
  { code: 'ecp-api-family-mix', severity: 'warning', summary: 'An object made by the Flt* family is released or used through FsRtl*, or the reverse.' },
  { code: 'ecp-cleanup-signature', severity: 'warning', summary: 'A cleanup callback does not have the signature VOID (PVOID EcpContext, LPCGUID EcpType).' },
  { code: 'ecp-default-pool-tag', severity: 'warning', summary: 'An ECP allocation uses a default or zero pool tag.' },
  { code: 'ecp-untrusted-ecp', severity: 'information', summary: "A custom ECP's payload is used without checking that it did not come from user mode." },
  { code: 'ecp-empty-list', severity: 'error', summary: 'A list with no ECP in it is handed to a create (bug check 0x10C, subcode 0x15).' },
  { code: 'ecp-wrong-free', severity: 'error', summary: 'An ECP or list is released with ExFreePool*/ExFreeToLookasideList instead of its own free routine.' },
  { code: 'ecp-cleanup-frees-context', severity: 'error', summary: 'A cleanup callback frees the context that the system frees after it returns.' },
  { code: 'ecp-lookaside-flags', severity: 'warning', summary: 'A lookaside list is deleted with other flags than it was initialised with.' },
  { code: 'ecp-free-null', severity: 'error', summary: 'A free routine, or another ECP routine that reaches through its pointer, is given a list or context that is NULL on some path.' },
  { code: 'ecp-null-list', severity: 'warning', summary: 'A list from FltGetEcpListFromCallbackData/FsRtlGetEcpListFromIrp is used without a NULL check.' },
  { code: 'ecp-lookaside-lifecycle', severity: 'error', summary: 'An ECP lookaside list is initialised after FltStartFiltering, or deleted before FltUnregisterFilter, on the driver\'s entry or unload path.' },
  { code: 'ecp-create-only-routine', severity: 'warning', summary: 'A create-only ECP routine is reached from a callback or dispatch routine of another major function, on a path no MajorFunction check restricts.' },
];

export const RULE_CODES: readonly string[] = RULES.map((r) => r.code);

const byCode = new Map(RULES.map((r) => [r.code, r]));

export function ruleInfo(code: string): RuleInfo | undefined {
  return byCode.get(code);
}

export { ruleDocUrl } from './ruleDocs';
