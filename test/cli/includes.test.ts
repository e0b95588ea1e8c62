import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const CLI = path.resolve(__dirname, '../../dist/cli.js');

const SOURCE = `#include <fltKernel.h>
#include "inc/checks.h"
extern PFLT_FILTER gFilter;
extern const GUID GUID_ECP_CONTOSO_MARK;
NTSTATUS Mark(_Inout_ PECP_LIST List)
{
    NTSTATUS status;
    PVOID mark = NULL;
    status = FltAllocateExtraCreateParameter(gFilter, &GUID_ECP_CONTOSO_MARK, 8, 0, NULL, 'kmEx', &mark);
    ENSURE(status);
    status = FltInsertExtraCreateParameter(gFilter, List, mark);
    ENSURE(status);
    mark = NULL;
Cleanup:
    if (mark != NULL) FltFreeExtraCreateParameter(gFilter, mark);
    return status;
}
`;

function check(header: string | undefined): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecp-inc-'));
  fs.writeFileSync(path.join(dir, 'mark.c'), SOURCE);
  if (header !== undefined) {
    fs.mkdirSync(path.join(dir, 'inc'));
    fs.writeFileSync(path.join(dir, 'inc/checks.h'), `#pragma once\n#include "more.h"\n${header}\n`);
    fs.writeFileSync(path.join(dir, 'inc/more.h'), '#define ENSURE_UNUSED 1\n');
  }
  const r = spawnSync(process.execPath, [CLI, 'check', '--format', 'json', path.join(dir, 'mark.c')], { encoding: 'utf8' });
  return JSON.parse(r.stdout).files[0].findings.map((f: { code: string; range: { start: { line: number } } }) => `${f.code}@${f.range.start.line + 1}`);
}

describe('macros from the file\'s own headers', () => {
  it('follows a quoted include next to the file, so a check macro defined there is understood', () => {
    expect(check('#define ENSURE(s) do { if (!NT_SUCCESS(s)) goto Cleanup; } while (0)')).toEqual([]);
  });

  it('reports what the header macro really does: returning on failure leaks the context', () => {
    expect(check('#define ENSURE(s) do { if (!NT_SUCCESS(s)) return s; } while (0)')).toEqual(['ecp-context-leak@9']);
  });

  it('without the header the macro is unknown: the failure paths run on and the finding shows it', () => {
    expect(check(undefined)).toContain('ecp-unchecked-status@11');
  });
});

describe('functions defined in the file\'s own headers', () => {
  it('runs an inline helper from a header on the caller\'s path and reports at the call', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecp-inc-fn-'));
    fs.writeFileSync(path.join(dir, 'helpers.h'), `#pragma once
extern PFLT_FILTER gFilter;
extern const GUID GUID_ECP_CONTOSO_MARK;
FORCEINLINE NTSTATUS AddMark(PECP_LIST List)
{
    PVOID mark = NULL;
    NTSTATUS status = FltAllocateExtraCreateParameter(gFilter, &GUID_ECP_CONTOSO_MARK, 8, 0, NULL, 'kmEx', &mark);
    if (!NT_SUCCESS(status)) return status;
    status = FltInsertExtraCreateParameter(gFilter, List, mark);
    if (!NT_SUCCESS(status)) FltFreeExtraCreateParameter(gFilter, mark);
    return status;
}
`);
    fs.writeFileSync(path.join(dir, 'build.c'), `#include <fltKernel.h>
#include "helpers.h"
NTSTATUS Build(_Outptr_ PECP_LIST *Out)
{
    PECP_LIST list = NULL;
    NTSTATUS status = FltAllocateExtraCreateParameterList(gFilter, 0, &list);
    if (!NT_SUCCESS(status)) return status;
    status = AddMark(list);
    if (!NT_SUCCESS(status)) return status;
    *Out = list;
    return STATUS_SUCCESS;
}
`);
    const r = spawnSync(process.execPath, [CLI, 'check', '--format', 'json', path.join(dir, 'build.c')], { encoding: 'utf8' });
    const findings = JSON.parse(r.stdout).files[0].findings as { code: string; range: { start: { line: number } }; related: { message: string; range: { start: { line: number } } }[] }[];
    expect(findings.map((f) => `${f.code}@${f.range.start.line + 1}`)).toEqual(['ecp-list-leak@6']);
    // Steps inside the header are reported at the call in this file, never at header lines.
    expect(findings[0].related.every((s) => s.range.start.line + 1 >= 6)).toBe(true);
  });
});
