/** Parameter validation of ecpLens/simulate, and the panel host's request parameters. */
import { describe, it, expect } from 'vitest';
import { validateSimulateParams } from '../../../server/src/simulate/params';
import { simulateParams, commandUri, commandFunction, commandPosition, RequestSequence, shiftPosition, targetOfTrace } from '../../../client/src/poolPanelParams';
import { MAX_FUNCTION_NAME } from '../../../server/src/protocol';

describe('validateSimulateParams', () => {
  it('accepts and copies well-formed params', () => {
    const raw = { textDocument: { uri: 'file:///a.c' }, function: 'F', path: { kind: 'faults' }, faults: { failAllocations: [2, 3], failTags: ['Tst1'], systematic: true }, extra: 1 };
    expect(validateSimulateParams(raw)).toEqual({
      params: { textDocument: { uri: 'file:///a.c' }, function: 'F', path: { kind: 'faults' }, faults: { failAllocations: [2, 3], failTags: ['Tst1'], systematic: true } },
    });
    expect(validateSimulateParams({ textDocument: { uri: 'u' }, position: { line: 3, character: 0 }, path: { kind: 'diagnostic', code: 'ecp-list-leak', line: 4 } })).toEqual({
      params: { textDocument: { uri: 'u' }, position: { line: 3, character: 0 }, path: { kind: 'diagnostic', code: 'ecp-list-leak', line: 4 } },
    });
  });

  it.each([
    [null, /object parameter/],
    [{}, /textDocument.uri/],
    [{ textDocument: { uri: 'u' }, function: 'a b' }, /C identifier/],
    [{ textDocument: { uri: 'u' }, position: { line: -1, character: 0 } }, /position/],
    [{ textDocument: { uri: 'u' }, path: { kind: 'random' } }, /path.kind/],
    [{ textDocument: { uri: 'u' }, path: { kind: 'diagnostic', code: 'x', line: 1 } }, /rule code/],
    [{ textDocument: { uri: 'u' }, faults: { failAllocations: [0] } }, /failAllocations/],
    [{ textDocument: { uri: 'u' }, faults: { failAllocations: [1, 1, 1] } }, /lists allocation #1 more than once/],
    [{ textDocument: { uri: 'u' }, faults: { failAllocations: Array(65).fill(1) } }, /at most 64/],
    [{ textDocument: { uri: 'u' }, faults: { failTags: ['TooLong'] } }, /failTags/],
    [{ textDocument: { uri: 'u' }, faults: { systematic: 'yes' } }, /systematic/],
  ])('rejects %j', (raw, message) => {
    const r = validateSimulateParams(raw);
    expect('error' in r && r.error).toMatch(message);
  });
});

describe('panel host request parameters', () => {
  it('maps the panel fault settings onto a path choice', () => {
    expect(simulateParams({ uri: 'u', function: 'F' })).toEqual({ textDocument: { uri: 'u' }, function: 'F', path: { kind: 'success' } });
    expect(simulateParams({ uri: 'u', function: 'F', faults: { failAllocations: [2], failTags: [], systematic: false } })).toEqual({
      textDocument: { uri: 'u' }, function: 'F', path: { kind: 'faults' }, faults: { failAllocations: [2], failTags: [], systematic: false },
    });
    expect(simulateParams({ uri: 'u', position: { line: 1, character: 2 }, faults: { failAllocations: [], failTags: [], systematic: true } })).toEqual({
      textDocument: { uri: 'u' }, position: { line: 1, character: 2 }, path: { kind: 'success' }, faults: { failAllocations: [], failTags: [], systematic: true },
    });
  });

  it('reads command arguments defensively and keeps only the latest request', () => {
    expect(commandUri('file:///a.c')).toBe('file:///a.c');
    expect(commandUri({ scheme: 'file', toString: () => 'file:///b.c' })).toBe('file:///b.c');
    expect(commandUri(42)).toBeUndefined();
    expect(commandFunction('Attach_1')).toBe('Attach_1');
    expect(commandFunction('<img>')).toBeUndefined();
    expect(commandFunction('Attach$Écp')).toBe('Attach$Écp');
    expect(commandFunction('A'.repeat(600))).toBe('A'.repeat(600));
    expect(commandFunction('a\u202eb')).toBeUndefined();
    expect(commandPosition({ line: 3, character: 9 })).toEqual({ line: 3, character: 9 });
    expect(commandPosition({ line: -1, character: 0 })).toBeUndefined();
    expect(commandPosition('AttachClean')).toBeUndefined();
    const seq = new RequestSequence();
    const a = seq.next();
    const b = seq.next();
    expect([seq.isLatest(a), seq.isLatest(b)]).toEqual([false, true]);
  });
});

describe('a panel target moved along with edits', () => {
  const at = (line: number, character: number) => ({ line, character });
  const change = (sl: number, sc: number, el: number, ec: number, text: string) => ({ range: { start: at(sl, sc), end: at(el, ec) }, text });

  it('lines inserted or removed above move it; a change after it does not', () => {
    expect(shiftPosition(at(10, 4), [change(2, 0, 2, 0, 'a\nb\n')])).toEqual(at(12, 4));
    expect(shiftPosition(at(10, 4), [change(2, 0, 5, 0, '')])).toEqual(at(7, 4));
    expect(shiftPosition(at(10, 4), [change(10, 9, 10, 9, 'x\ny')])).toEqual(at(10, 4));
    expect(shiftPosition(at(10, 4), [change(11, 0, 11, 0, 'x\n')])).toEqual(at(10, 4));
    // CR alone is a line break as LSP counts them.
    expect(shiftPosition(at(10, 4), [change(0, 0, 0, 0, 'a\rb\r\n')])).toEqual(at(12, 4));
  });

  it('a change on its line before it moves its column; one that covers it takes it to its start', () => {
    expect(shiftPosition(at(3, 8), [change(3, 0, 3, 2, 'static ')])).toEqual(at(3, 13));
    expect(shiftPosition(at(3, 8), [change(3, 0, 3, 2, 'a\nbc')])).toEqual(at(4, 8));
    expect(shiftPosition(at(3, 8), [change(3, 5, 4, 0, '')])).toEqual(at(3, 5));
    // Several changes in the order the editor lists them.
    expect(shiftPosition(at(10, 0), [change(0, 0, 0, 0, '\n'), change(0, 0, 0, 0, '\n')])).toEqual(at(12, 0));
  });

  it('a name too long to send back is re-simulated by the position of its function; a usual name by name', () => {
    const long = `F${'x'.repeat(MAX_FUNCTION_NAME)}`;
    const range = { start: at(5, 0), end: at(9, 1) };
    const kept = targetOfTrace({ uri: 'u', position: at(6, 3) }, { function: long, range });
    expect(simulateParams(kept)).toMatchObject({ position: at(5, 0) });
    expect(simulateParams(kept).function).toBeUndefined();
    const usual = targetOfTrace({ uri: 'u', position: at(6, 3) }, { function: 'F', range });
    expect(simulateParams(usual)).toMatchObject({ function: 'F' });
    expect(simulateParams(usual).position).toBeUndefined();
  });
});
