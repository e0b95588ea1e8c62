import { describe, it, expect } from 'vitest';
import { clipMessage, MAX_MESSAGE_CHARS, MAX_NAME_CHARS } from '../../../server/src/util/clip';
import { toDiagnostic } from '../../../server/src/server';
import type { Finding } from '../../../server/src/analysis';

const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } };

describe('message length bound', () => {
  it('keeps short text and clips long text with an ellipsis', () => {
    expect(clipMessage('short')).toBe('short');
    const clipped = clipMessage('x'.repeat(127_652));
    expect(clipped).toHaveLength(MAX_MESSAGE_CHARS);
    expect(clipped.endsWith('x…')).toBe(true);
  });

  it('never leaves half of a surrogate pair', () => {
    const clipped = clipMessage('a'.repeat(8) + '😀'.repeat(10), 10);
    expect(clipped).toBe('a'.repeat(8) + '…');
  });

  it('bounds a diagnostic message and its related messages', () => {
    const long = `${'F'.repeat(100_000)} leaks`;
    const finding: Finding = { code: 'ecp-list-leak', severity: 'warning', message: long, range, related: [{ range, message: long }], fixes: [], functionName: null };
    const d = toDiagnostic('file:///w/a.c', finding);
    expect(String(d.message).length).toBeLessThanOrEqual(MAX_MESSAGE_CHARS);
    expect(d.relatedInformation?.[0].message.length).toBeLessThanOrEqual(MAX_MESSAGE_CHARS);
    expect(String(d.message).startsWith('FFF')).toBe(true);
  });
});

describe('hover pieces that echo user code', () => {
  it('a driver GUID hover bounds the names it quotes', async () => {
    const { driverGuidMarkdown } = await import('../../../server/src/features/driverGuid');
    const name = `GUID_${'Q'.repeat(60_000)}`;
    const md = driverGuidMarkdown({ name, value: undefined, where: `${'h'.repeat(60_000)}.h`, line: 3 }, { type: `T${'t'.repeat(60_000)}`, line: 9 });
    expect(md.length).toBeLessThan(2_000);
    expect(md).toContain(`**${name.slice(0, MAX_NAME_CHARS - 1)}…**`);
  });
});
