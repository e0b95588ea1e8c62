import { describe, it, expect } from 'vitest';
import { TextCache, ownCopy } from '../../../server/src/util/textCache';

describe('text-keyed cache', () => {
  it('finds a value by equal text, whatever string object carries it', () => {
    const cache = new TextCache<number>(1000);
    const doc = 'int a; int f(void) { return 1; }';
    cache.set(doc.slice(7), 42);
    expect(cache.get(`int f(void) { return ${1}; }`)).toBe(42);
    expect(cache.get('int f(void) { return 2; }')).toBeUndefined();
  });

  it('holds at most its bound of characters (it starts over when full)', () => {
    const cache = new TextCache<number>(10);
    cache.set('aaaaaa', 1);
    cache.set('bbbb', 2);
    expect(cache.get('aaaaaa')).toBe(1);
    cache.set('cc', 3);
    expect(cache.get('aaaaaa')).toBeUndefined();
    expect(cache.get('cc')).toBe(3);
  });

  it('copies keep the text exactly, surrogate pairs and CR LF included', () => {
    const text = 'x\r\n\u{1F600}é\u0000';
    expect(ownCopy(text)).toBe(text);
  });
});
