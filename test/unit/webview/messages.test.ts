import { describe, it, expect } from 'vitest';
import { isHostToPanel, isPanelToHost, isPanelState, isTrace, parseFaultInput } from '../../../client/webview/messages';
import { panelHtml, panelCsp } from '../../../client/webview/html';
import { loadTraceFixture, TRACE_FIXTURES } from '../../fixtures/traces';

const leak = loadTraceFixture('seven-step-leak');
const copy = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

describe('trace fixtures', () => {
  it.each(TRACE_FIXTURES)('%s conforms to Trace', (name) => {
    const t = loadTraceFixture(name);
    expect(isTrace(t)).toBe(true);
    expect(t.simulated).toBe(true);
    expect(t.steps.length).toBeGreaterThan(0);
    t.steps.forEach((s, i) => expect(s.index).toBe(i));
  });

  it('the leak trace is the seven-step attach with a 24-byte FSel list and 72+N contexts', () => {
    expect(leak.steps).toHaveLength(7);
    const list = leak.steps[0].snapshot.lists[0];
    expect([list.blockBytes, list.pool, list.tag]).toEqual([24, 'paged', 'FSel']);
    const ctx = leak.steps[1].snapshot.looseContexts[0];
    expect(ctx.blockBytes).toBe(ctx.contextBytes + 72);
    expect(leak.final.leaks.map((l) => l.line)).toEqual([19, 22, 26]);
  });
});

describe('isHostToPanel', () => {
  it('accepts the messages the host sends', () => {
    expect(isHostToPanel({ type: 'trace', trace: leak })).toBe(true);
    expect(isHostToPanel({ type: 'trace', trace: leak, step: 3 })).toBe(true);
    expect(isHostToPanel({ type: 'selectStep', line: 30 })).toBe(true);
    expect(isHostToPanel({ type: 'busy', busy: true })).toBe(true);
    expect(isHostToPanel({ type: 'error', message: 'no function at the cursor' })).toBe(true);
  });

  it('rejects unknown, malformed and mistyped messages', () => {
    for (const bad of [null, undefined, 42, 'trace', [], {}, { type: 'eval', code: '1' }, { type: 'selectStep', line: 0 },
      { type: 'selectStep', line: 1.5 }, { type: 'selectStep', line: '3' }, { type: 'busy', busy: 'yes' }, { type: 'error' },
      { type: 'trace' }, { type: 'trace', trace: leak, step: -1 }, { type: 'trace', trace: leak, step: '1' }]) {
      expect(isHostToPanel(bad), JSON.stringify(bad)).toBe(false);
    }
  });

  it('rejects a trace with any field of the wrong type, deep inside too', () => {
    const mutations: ((t: any) => void)[] = [
      (t) => (t.simulated = false),
      (t) => delete t.function,
      (t) => (t.steps[2].args = ['ok', 7]),
      (t) => (t.steps[1].snapshot.paged.bytes = '136'),
      (t) => (t.steps[1].snapshot.tags[0].pool = 'session'),
      (t) => (t.steps[4].snapshot.lists[0].contexts[0].ecpType = null),
      (t) => (t.steps[4].snapshot.lists[0].attachedTo = { kind: 'create' }),
      (t) => (t.steps[3].snapshot.lookasides[0].hitRate = Number.NaN),
      (t) => (t.final.leaks[0].kind = 'handle'),
      (t) => (t.final.bugCheck = { code: 1 }),
      (t) => (t.explored = [{ failedAllocation: 1 }]),
      (t) => (t.path = { kind: 'diagnostic', code: 'x' }),
      (t) => (t.steps[0].snapshot.live[0].owner = 'root'),
    ];
    for (const mutate of mutations) {
      const t = copy(leak);
      mutate(t);
      expect(isHostToPanel({ type: 'trace', trace: t }), mutate.toString()).toBe(false);
    }
  });
});

describe('isPanelToHost', () => {
  const faults = { failAllocations: [2], failTags: ['Tst1'], systematic: false };
  it('accepts the messages the panel sends', () => {
    expect(isPanelToHost({ type: 'ready' })).toBe(true);
    expect(isPanelToHost({ type: 'revealLine', line: 19, uri: leak.uri })).toBe(true);
    expect(isPanelToHost({ type: 'simulate', uri: leak.uri, function: 'AttachTrackingEcp', faults })).toBe(true);
    expect(isPanelToHost({ type: 'simulate', uri: leak.uri, function: 'F', faults: { failAllocations: [], failTags: [], systematic: true } })).toBe(true);
  });
  it('rejects bad lines, uris and fault plans', () => {
    for (const bad of [{ type: 'revealLine', line: 0, uri: 'u' }, { type: 'revealLine', line: 3 }, { type: 'simulate', uri: 'u', function: 'F' },
      { type: 'simulate', uri: 'u', function: 'F', faults: { ...faults, failAllocations: [0] } },
      { type: 'simulate', uri: 'u', function: 'F', faults: { ...faults, failTags: ['TooLong'] } },
      { type: 'simulate', uri: 'u', function: 'F', faults: { ...faults, systematic: 1 } },
      { type: 'simulate', uri: 'u', function: 'F', faults: { ...faults, failAllocations: Array.from({ length: 65 }, (_, i) => i + 1) } },
      { type: 'openExternal', url: 'https://x' }, null]) {
      expect(isPanelToHost(bad), JSON.stringify(bad)).toBe(false);
    }
  });
});

describe('panel state and fault input', () => {
  it('validates persisted state', () => {
    expect(isPanelState({ trace: leak, step: 2 })).toBe(true);
    expect(isPanelState({ trace: leak, step: 2, faults: { failAllocations: [1], failTags: [], systematic: false } })).toBe(true);
    expect(isPanelState({ trace: leak, step: -1 })).toBe(false);
    expect(isPanelState({ trace: { function: 'f' }, step: 0 })).toBe(false);
    expect(isPanelState(undefined)).toBe(false);
  });
  it('parses allocation numbers and tags', () => {
    expect(parseFaultInput('3, 5', 'Tst1 FSel')).toEqual({ faults: { failAllocations: [3, 5], failTags: ['Tst1', 'FSel'] } });
    expect(parseFaultInput('1,1,1', '')).toEqual({ error: 'allocation #1 is listed more than once; each number fails one allocation attempt' });
    expect(parseFaultInput('', '')).toEqual({ faults: { failAllocations: [], failTags: [] } });
    expect(parseFaultInput('0', '')).toHaveProperty('error');
    expect(parseFaultInput('two', '')).toHaveProperty('error');
    expect(parseFaultInput('1', 'Toolong')).toHaveProperty('error');
  });
});

describe('panelHtml', () => {
  const nonce = 'q83vEjRWeJq83vEjRWeJqw==';
  const opts = { cspSource: 'https://file+.vscode-resource.vscode-cdn.net', nonce, scriptUri: 'https://x.test/dist/webview.js', styleUri: 'https://x.test/dist/webview.css' };
  const html = panelHtml(opts);
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)?.[1] ?? '';

  it('sets the strict CSP with the nonce', () => {
    expect(csp).toBe(panelCsp(opts.cspSource, nonce));
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain(`script-src 'nonce-${nonce}'`);
    expect(csp).toContain(`style-src ${opts.cspSource}`);
    expect(csp).toContain(`img-src ${opts.cspSource} data:`);
    expect(csp).toContain(`font-src ${opts.cspSource}`);
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
  });

  it('loads only the bundle and stylesheet, with no inline script, style or handler', () => {
    const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts).toHaveLength(1);
    expect(scripts[0][1]).toContain(`nonce="${nonce}"`);
    expect(scripts[0][1]).toContain(`src="${opts.scriptUri}"`);
    expect(scripts[0][2].trim()).toBe('');
    expect(html).toContain(`<link rel="stylesheet" href="${opts.styleUri}">`);
    expect(html).not.toMatch(/\son[a-z]+=/i);
    expect(html).not.toMatch(/style=/i);
    expect(html).not.toMatch(/<style/i);
  });

  it('escapes attribute values and refuses a weak nonce', () => {
    const odd = panelHtml({ ...opts, scriptUri: 'https://x.test/a"><script>alert(1)</script>' });
    expect(odd).not.toContain('"><script>alert(1)');
    expect(() => panelHtml({ ...opts, nonce: 'abc' })).toThrow();
    expect(() => panelHtml({ ...opts, nonce: "abcdefghijklmnop' 'unsafe-inline" })).toThrow();
  });
});
