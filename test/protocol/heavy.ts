/** Generated sources that keep the server busy: many allocations for systematic fault injection. */

/**
 * One function allocating and freeing `count` ECP lists, each checked; systematic mode fails each
 * of them in turn. On a failure the function returns at once, so the fault paths share all but a
 * short tail; with `keepGoing` it goes on with the next allocation, so every fault path runs the
 * rest of the function (work that no prefix sharing saves: count paths of up to count sites each).
 */
export function manyAllocations(name: string, count: number, keepGoing = false): string {
  const body: string[] = [];
  for (let i = 0; i < count; i++) {
    body.push(`    status = FltAllocateExtraCreateParameterList(Filter, 0, &list${i});`);
    if (keepGoing) body.push('    if (NT_SUCCESS(status)) {', `        FltFreeExtraCreateParameterList(Filter, list${i});`, '    }');
    else body.push('    if (!NT_SUCCESS(status)) {', '        return status;', '    }', `    FltFreeExtraCreateParameterList(Filter, list${i});`);
  }
  const locals = Array.from({ length: count }, (_, i) => `    PECP_LIST list${i} = NULL;`);
  return [`NTSTATUS ${name}(PFLT_FILTER Filter)`, '{', '    NTSTATUS status;', ...locals, ...body, '    return STATUS_SUCCESS;', '}', ''].join('\n');
}

/**
 * A file whose simulation is all setup: `Small` allocates and frees one list, and `functions`
 * other functions make `calls` ECP calls each, which the simulator's setup reads (the file's
 * lookaside inits come from the syntactic rules over every call of the file).
 */
export function setupHeavy(functions: number, calls: number): string {
  const small = ['NTSTATUS Small(PFLT_FILTER Filter)', '{', '    PECP_LIST list = NULL;', '    NTSTATUS status = FltAllocateExtraCreateParameterList(Filter, 0, &list);', '    if (!NT_SUCCESS(status)) {', '        return status;', '    }', '    FltFreeExtraCreateParameterList(Filter, list);', '    return STATUS_SUCCESS;', '}'];
  const others = Array.from({ length: functions }, (_, i) => [`BOOLEAN Busy${i}(PVOID Context)`, '{', ...Array.from({ length: calls }, () => '    if (FsRtlIsEcpFromUserMode(Context)) return TRUE;'), '    return FALSE;', '}']);
  return [...small, ...others.flat(), ''].join('\n');
}
