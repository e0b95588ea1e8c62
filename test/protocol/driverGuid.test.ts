/**
 * Hover on the driver's own ECP type (real server over stdio): the GUID's value, where it is
 * defined (this file or a quoted header) and the context structure an allocation gives it.
 */
import { describe, it, expect, afterEach } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { HoverRequest, type Hover } from 'vscode-languageserver-protocol/node';
import { startServer, type TestServer } from './harness';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

const HEADER = [
  '#pragma once',
  'DEFINE_GUID(GUID_ECP_FABRIKAM_TRACE, 0x1b2c3d4e, 0x5f60, 0x4172, 0x83, 0x94, 0xa5, 0xb6, 0xc7, 0xd8, 0xe9, 0xfa);',
  '',
].join('\n');

const SOURCE = [
  '#include <fltKernel.h>',
  '#include "fabrikam.h"',
  'static const GUID GUID_ECP_FABRIKAM_HINT = { 0x7a0c5e21, 0x94b3, 0x4d0e, { 0x8f, 0x61, 0x2e, 0x55, 0x19, 0xc4, 0x03, 0xaa } };',
  'typedef struct _FABRIKAM_HINT { ULONG Level; } FABRIKAM_HINT;',
  'NTSTATUS Attach(PFLT_FILTER Filter, PECP_LIST List)',
  '{',
  '    PVOID hint = NULL;',
  '    NTSTATUS status = FltAllocateExtraCreateParameter(Filter, &GUID_ECP_FABRIKAM_HINT, sizeof(FABRIKAM_HINT), 0, NULL, \'hbaF\', &hint);',
  '    if (!NT_SUCCESS(status)) return status;',
  '    (VOID)GUID_ECP_FABRIKAM_TRACE;',
  '    return FltInsertExtraCreateParameter(Filter, List, hint);',
  '}',
  '',
].join('\n');

async function hoverOn(uri: string, line: number, needle: string): Promise<string> {
  const character = SOURCE.split('\n')[line].indexOf(needle) + 2;
  const h = (await server!.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line, character } })) as Hover | null;
  return h ? (h.contents as { value: string }).value : '';
}

describe("hover on the driver's own ECP types", () => {
  it('shows the value, the definition and the carried structure; from a quoted header too', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecp-guid-'));
    fs.writeFileSync(path.join(dir, 'fabrikam.h'), HEADER);
    fs.writeFileSync(path.join(dir, 'attach.c'), SOURCE);
    server = await startServer({ diagnosticsDelay: 0 }, { workspaceFolders: [pathToFileURL(dir).toString()] });
    const uri = pathToFileURL(path.join(dir, 'attach.c')).toString();
    await server.open(uri, SOURCE);
    const own = await hoverOn(uri, 7, 'GUID_ECP_FABRIKAM_HINT');
    expect(own).toContain('**GUID_ECP_FABRIKAM_HINT** `{7a0c5e21-94b3-4d0e-8f61-2e5519c403aa}`');
    expect(own).toContain('this file, line 3');
    expect(own).toContain('`FABRIKAM_HINT` (allocated with `sizeof(FABRIKAM_HINT)` at line 8)');
    expect(own).not.toContain('```');
    const fromHeader = await hoverOn(uri, 9, 'GUID_ECP_FABRIKAM_TRACE');
    expect(fromHeader).toContain('`{1b2c3d4e-5f60-4172-8394-a5b6c7d8e9fa}`');
    expect(fromHeader).toContain('`fabrikam.h`, line 2');
    expect(fromHeader).toContain('no allocation of this type in the file says which');
  });
});

describe('hover on a GUID from a header whose name is Markdown', () => {
  it('shows the name as code: no image or link in it renders', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecp-guid-'));
    // A folder and file can be named so; the include names them as written.
    const include = 'x![p](https://attacker.example/p.png) [run](https://attacker.example/).h';
    fs.mkdirSync(path.join(dir, path.dirname(include)), { recursive: true });
    fs.writeFileSync(path.join(dir, include), HEADER);
    const source = SOURCE.replace('#include "fabrikam.h"', `#include "${include}"`);
    fs.writeFileSync(path.join(dir, 'attach.c'), source);
    server = await startServer({ diagnosticsDelay: 0 }, { workspaceFolders: [pathToFileURL(dir).toString()] });
    const uri = pathToFileURL(path.join(dir, 'attach.c')).toString();
    await server.open(uri, source);
    const hover = await hoverOn(uri, 9, 'GUID_ECP_FABRIKAM_TRACE');
    expect(hover).toContain(`\`${include}\`, line 2`);
    // Outside code spans, no Markdown link or image is left.
    expect(hover.replace(/`[^`]*`/g, '')).not.toMatch(/\]\(/);
  });
});
