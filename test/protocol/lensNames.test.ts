/**
 * The "Simulate pool" code lens over real JSON-RPC: its arguments carry the position of the
 * function's name, and simulating at that position (what the client does) runs that function
 * whatever its name: non-ASCII letters, `$`, more than 512 characters, two names that differ only
 * past the ASCII part. A re-simulation by the name the trace returned runs it too.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { CodeLensRequest } from 'vscode-languageserver-protocol/node';
import { startServer, type TestServer } from './harness';
import { SimulateRequest, type Trace } from '../../server/src/protocol';
import { isOutsideFunction, lensChoices, simulateParams, targetOfTrace } from '../../client/src/poolPanelParams';
import { MAX_FUNCTION_NAME } from '../../server/src/protocol';

const LONG = `Attach${'x'.repeat(600)}`;
const NAMES = ['AttachÉcp', 'Attach$Ecp', 'Attachécp', LONG, 'AttachEcp'];

/** A function that leaks its list when `leaks`, and one that frees it otherwise. */
function fn(name: string, leaks: boolean): string {
  return [
    `NTSTATUS ${name}(PFLT_FILTER Filter)`,
    '{',
    '    PECP_LIST list = NULL;',
    '    NTSTATUS status = FltAllocateExtraCreateParameterList(Filter, 0, &list);',
    '    if (!NT_SUCCESS(status)) return status;',
    leaks ? '    return STATUS_SUCCESS;' : '    FltFreeExtraCreateParameterList(Filter, list);\n    return STATUS_SUCCESS;',
    '}',
    '',
  ].join('\n');
}

const URI = 'file:///names/hostile.c';
// Only the first leaks: a lens that ran any other function would show "no leak".
const TEXT = ['#include <fltKernel.h>', '', ...NAMES.map((n, i) => fn(n, i % 2 === 0))].join('\n');

let server: TestServer;

beforeAll(async () => {
  server = await startServer({ diagnosticsDelay: 0 });
  await server.open(URI, TEXT);
});

afterAll(async () => {
  await server?.stop();
});

describe('code lens → simulator for unusual names', () => {
  it('each lens runs the function it stands above', async () => {
    const lenses = (await server.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: URI } }))!.filter((l) => l.command?.command === 'ecpLens.openPoolSimulator');
    expect(lenses.map((l) => l.command!.arguments![1])).toEqual(NAMES);
    for (const [i, lens] of lenses.entries()) {
      const [uri, , position] = lens.command!.arguments!;
      const trace = await server.connection.sendRequest<Trace>(SimulateRequest, { textDocument: { uri }, position });
      expect(trace.function).toBe(NAMES[i]);
      expect(trace.final.leaks.length).toBe(i % 2 === 0 ? 1 : 0);
      // The panel simulates again by the returned name (a fault plan, an edit): the same function.
      const again = await server.connection.sendRequest<Trace>(SimulateRequest, { textDocument: { uri }, function: trace.function });
      expect(again.function).toBe(NAMES[i]);
      expect(again.range).toEqual(trace.range);
    }
  });

  it('still rejects a name that is no identifier', async () => {
    await expect(server.connection.sendRequest(SimulateRequest, { textDocument: { uri: URI }, function: '<img src=x>' })).rejects.toThrow(/function must be/);
  });

  it('outside a function: the error the client recognises, and the lens choices it offers in its QuickPick', async () => {
    const err = await server.connection.sendRequest(SimulateRequest, { textDocument: { uri: URI }, position: { line: 1, character: 0 } }).then(() => '', (e: Error) => e.message);
    expect(isOutsideFunction(err)).toBe(true);
    const lenses = (await server.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: URI } }))!;
    const choices = lensChoices(lenses.map((l) => l.command));
    expect(choices.map((c) => c.name)).toEqual(NAMES);
    // Picking one simulates that function.
    const trace = await server.connection.sendRequest<Trace>(SimulateRequest, { textDocument: { uri: URI }, position: choices[3].position });
    expect(trace.function).toBe(LONG);
  });

  it('a name longer than the server takes by name is re-simulated with a fault plan, as the panel asks', async () => {
    const huge = `Attach${'y'.repeat(MAX_FUNCTION_NAME)}`;
    const uri = 'file:///names/huge.c';
    await server.open(uri, ['#include <fltKernel.h>', '', fn('Other', false), fn(huge, false)].join('\n'));
    const lens = (await server.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } }))!.find((l) => l.command?.arguments?.[1] === huge)!;
    const first = await server.connection.sendRequest<Trace>(SimulateRequest, simulateParams({ uri, position: lens.command!.arguments![2] }));
    expect(first.function).toBe(huge);
    // The panel's fault plan, sent with what the host kept of the trace.
    const target = { ...targetOfTrace({ uri }, first), faults: { failAllocations: [1], failTags: [], systematic: false } };
    const again = await server.connection.sendRequest<Trace>(SimulateRequest, simulateParams(target));
    expect(again.function).toBe(huge);
    expect(again.faultMatches?.map((m) => m.allocation)).toEqual([1]);
  });
});
