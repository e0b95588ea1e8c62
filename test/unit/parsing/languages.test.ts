import { describe, it, expect, beforeAll } from 'vitest';
import { initParser, isLanguageLoaded, languageFor, loadLanguage, parseText, reparseText, syntaxErrors } from '../../../server/src/parsing/parser';

const CPP = 'namespace n {\nint F(int& a) { return a; }\n}\n';

beforeAll(async () => {
  await initParser();
});

describe('which grammar a file gets', () => {
  it('C++ for C++ extensions and for languageId cpp; a .h only when a C++ source includes it', () => {
    for (const f of ['a.cpp', 'a.cc', 'a.cxx', 'A.CPP', 'a.hpp', 'a.hh', 'a.hxx', 'a.inl', 'file:///w/x%20y/a.cpp']) expect(languageFor(f), f).toBe('cpp');
    for (const f of ['a.c', 'a.h', 'a.txt', 'file:///w/a.c']) expect(languageFor(f), f).toBe('c');
    expect(languageFor('a.h', { includedFrom: 'cpp' })).toBe('cpp');
    expect(languageFor('a.h', { includedFrom: 'c' })).toBe('c');
    expect(languageFor('untitled:1', { languageId: 'cpp' })).toBe('cpp');
    expect(languageFor('a.c', { languageId: 'c' })).toBe('c');
  });
});

describe('the C++ grammar loads lazily', () => {
  it('is parsed as C until the C++ grammar is loaded, then as C++ (re-parse switches grammar)', async () => {
    expect(isLanguageLoaded('cpp')).toBe(false);
    const early = parseText(CPP, 'cpp');
    expect(early.language).toBe('c');
    expect(syntaxErrors(early.tree).length).toBeGreaterThan(0);
    await loadLanguage('cpp');
    expect(isLanguageLoaded('cpp')).toBe(true);
    const late = reparseText(early, CPP, 'cpp');
    expect(late.language).toBe('cpp');
    expect(syntaxErrors(late.tree)).toEqual([]);
    const edited = reparseText(late, CPP.replace('return a;', 'return a + 1;'));
    expect(edited.language).toBe('cpp');
    expect(syntaxErrors(edited.tree)).toEqual([]);
    edited.tree.delete();
  });
});
