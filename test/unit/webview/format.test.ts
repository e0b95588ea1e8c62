import { describe, it, expect } from 'vitest';
import { yScale } from '../../../client/webview/chart';
import { num, delta, percent, shortBytes, statusKind } from '../../../client/webview/format';

describe('chart scale', () => {
  it('uses whole 1/2/5 steps and at most about four ticks', () => {
    expect(yScale(24)).toEqual({ step: 10, top: 30 });
    expect(yScale(136)).toEqual({ step: 50, top: 150 });
    expect(yScale(232)).toEqual({ step: 100, top: 300 });
    expect(yScale(3)).toEqual({ step: 1, top: 3 });
    expect(yScale(0)).toEqual({ step: 16, top: 64 });
    for (const max of [1, 7, 72, 96, 1000, 65536, 1234567]) {
      const { step, top } = yScale(max);
      expect(Number.isInteger(step) && top >= max && top / step <= 5).toBe(true);
    }
  });
});

describe('number formatting', () => {
  it('groups digits and signs changes', () => {
    expect(num(1234567)).toBe('1,234,567');
    expect(num(-24)).toBe('-24');
    expect(num(Number.NaN)).toBe('—');
    expect(delta(112)).toBe('+112');
    expect(delta(-24, ' B')).toBe('−24 B');
    expect(delta(0)).toBe('');
    expect(percent(0.875)).toBe('87.5%');
    expect(percent(0)).toBe('0%');
    expect(shortBytes(512)).toBe('512');
    expect(shortBytes(1536)).toBe('1.5K');
  });
  it('classifies call results', () => {
    expect(statusKind('STATUS_SUCCESS')).toBe('ok');
    expect(statusKind('STATUS_INSUFFICIENT_RESOURCES')).toBe('fail');
    expect(statusKind(null)).toBe('void');
    expect(statusKind('TRUE')).toBe('bool');
  });
});
