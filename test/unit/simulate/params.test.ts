/** Parameter validation of ecpLens/simulate, and the panel host's request parameters. */
import { describe, it, expect } from 'vitest';
import { validateSimulateParams } from '../../../server/src/simulate/params';
import { simulateParams, commandUri, commandFunction, commandPosition, RequestSequence } from '../../../client/src/poolPanelParams';

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
