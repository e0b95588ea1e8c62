/** Generated sources that keep the server busy: many allocations for systematic fault injection. */

/** One function allocating and freeing `count` ECP lists, each checked; systematic mode runs it count + 1 times. */
export function manyAllocations(name: string, count: number): string {
  const body: string[] = [];
  for (let i = 0; i < count; i++) {
    body.push(
      `    status = FltAllocateExtraCreateParameterList(Filter, 0, &list${i});`,
      '    if (!NT_SUCCESS(status)) {',
      '        return status;',
      '    }',
      `    FltFreeExtraCreateParameterList(Filter, list${i});`,
    );
  }
  const locals = Array.from({ length: count }, (_, i) => `    PECP_LIST list${i} = NULL;`);
  return [`NTSTATUS ${name}(PFLT_FILTER Filter)`, '{', '    NTSTATUS status;', ...locals, ...body, '    return STATUS_SUCCESS;', '}', ''].join('\n');
}
