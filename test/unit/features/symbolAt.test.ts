import { describe, it, expect, beforeAll } from 'vitest';
import { initParser, parseText, type ParsedText } from '../../../server/src/parsing/parser';
import { callsAt, callsFromText, declaredType, inCommentOrString, symbolAt } from '../../../server/src/features/symbolAt';
import { minifilter, offsetOf } from './helpers';

let parsed: ParsedText;
beforeAll(async () => {
  await initParser();
  parsed = parseText(minifilter);
});

const parse = (text: string) => parseText(text);

describe('symbolAt', () => {
  it('finds a routine name inside a macro argument', () => {
    const text = 'void F(void) { if (NT_SUCCESS(FltAllocateExtraCreateParameterList(gF, 0, &l))) {} }';
    const sym = symbolAt(parse(text), offsetOf(text, 'FltAllocate', 1, 5));
    expect(sym).toMatchObject({ name: 'FltAllocateExtraCreateParameterList', kind: 'identifier' });
    expect(sym?.field).toBeUndefined();
  });

  it('finds the variable behind a cast and an address-of, and accepts the cursor just after a word', () => {
    const at = offsetOf(minifilter, '(PVOID *)&ecpContext', 1, '(PVOID *)&'.length);
    expect(symbolAt(parsed, at)?.name).toBe('ecpContext');
    expect(symbolAt(parsed, at + 'ecpContext'.length)?.name).toBe('ecpContext');
  });

  it('finds a GUID after & and a type inside sizeof', () => {
    expect(symbolAt(parsed, offsetOf(minifilter, '&GUID_ECP_CONTOSO_SIDE', 1, 4))?.name).toBe('GUID_ECP_CONTOSO_SIDE');
    expect(symbolAt(parsed, offsetOf(minifilter, 'sizeof(CONTOSO_ECP_CONTEXT)', 1, 9))?.name).toBe('CONTOSO_ECP_CONTEXT');
  });

  it('reads a field of a variable with its base and operator', () => {
    const dot = symbolAt(parsed, offsetOf(minifilter, 'driverContext.ExtraCreateParameter', 1, 16));
    expect(dot).toMatchObject({ name: 'ExtraCreateParameter', field: { base: 'driverContext', path: 'ExtraCreateParameter', operator: '.' } });
    const arrow = symbolAt(parsed, offsetOf(minifilter, 'Data->Iopb', 1, 7));
    expect(arrow?.field).toEqual({ base: 'Data', path: 'Iopb', operator: '->' });
  });

  it('builds the dotted path of a nested field', () => {
    const text = 'void F(PNETWORK_OPEN_ECP_CONTEXT c) { c->in.Location = 0; }';
    expect(symbolAt(parse(text), offsetOf(text, 'Location', 1, 2))?.field).toEqual({ base: 'c', path: 'in.Location', operator: '->' });
  });

  it('reads a number (a bug check code) and returns nothing on blanks', () => {
    expect(symbolAt(parsed, offsetOf(minifilter, '0x10C', 1, 2))).toMatchObject({ name: '0x10C', kind: 'number' });
    expect(symbolAt(parsed, offsetOf(minifilter, '\n\nPFLT_FILTER', 1, 1))).toBeUndefined();
    expect(symbolAt(parsed, -1)).toBeUndefined();
    expect(symbolAt(parsed, minifilter.length + 5)).toBeUndefined();
  });
});

describe('declaredType', () => {
  it('knows locals, parameters and globals where the offset sees them', () => {
    const inOpen = offsetOf(minifilter, 'driverContext.ExtraCreateParameter');
    expect(declaredType(parsed, 'driverContext', inOpen)).toMatchObject({ type: 'IO_DRIVER_CREATE_CONTEXT', scope: 'local' });
    expect(declaredType(parsed, 'Instance', inOpen)).toMatchObject({ type: 'PFLT_INSTANCE', scope: 'parameter' });
    expect(declaredType(parsed, 'gFilterHandle', inOpen)).toMatchObject({ type: 'PFLT_FILTER', scope: 'global' });
    expect(declaredType(parsed, 'CompletionContext', offsetOf(minifilter, '*CompletionContext = NULL'))).toMatchObject({ type: 'PVOID *', scope: 'parameter' });
    expect(declaredType(parsed, 'networkOpen', inOpen)).toBeUndefined();
  });
});

describe('callsAt', () => {
  it('gives the innermost call and the argument index in a complete call', () => {
    const at = offsetOf(minifilter, 'FSRTL_ALLOCATE_ECP_FLAG_NONPAGED_POOL', 1, 3);
    const [call] = callsAt(parsed, at);
    expect(call).toMatchObject({ name: 'FltAllocateExtraCreateParameter', argIndex: 3 });
  });

  it('lists the enclosing calls innermost first through a macro', () => {
    const text = 'void F(void) { if (NT_SUCCESS(FltInsertExtraCreateParameter(gF, l, e))) {} }';
    const calls = callsAt(parse(text), offsetOf(text, ', e)', 1, 2));
    expect(calls.map((c) => [c.name, c.argIndex])).toEqual([
      ['FltInsertExtraCreateParameter', 2],
      ['NT_SUCCESS', 0],
    ]);
  });

  it('handles an unclosed call while typing (broken tree)', () => {
    const text = 'void F(void)\n{\n    status = FltAllocateExtraCreateParameter(gFilterHandle, &GUID_X, sizeof(CTX), \n}\n';
    const at = offsetOf(text, ', \n}', 1, 2);
    const calls = callsAt(parse(text), at);
    expect(calls[0]).toMatchObject({ name: 'FltAllocateExtraCreateParameter', argIndex: 3 });
  });

  it('ignores commas in nested calls, strings and comments in the text scan', () => {
    const text = 'x = Foo(a, Bar(1, 2), "q,(", /* , ( */ \'(\', ';
    expect(callsFromText(text, text.length)[0]).toMatchObject({ name: 'Foo', argIndex: 4 });
    expect(callsFromText('x = Foo(a, // b,\n', 16)).toEqual([]);
  });

  it('returns nothing outside parentheses and after a closed call', () => {
    expect(callsAt(parsed, offsetOf(minifilter, '    RtlZeroMemory'))).toEqual([]);
    expect(callsAt(parsed, offsetOf(minifilter, 'RtlZeroMemory(ecpContext, sizeof(CONTOSO_ECP_CONTEXT));', 1, 54))).toEqual([]);
  });

  it('stays bounded on a 10,000-deep parenthesis nest', () => {
    const text = 'void F(void) { x = ' + '('.repeat(10_000) + 'Foo(a, ';
    const calls = callsAt(parse(text), text.length);
    expect(calls[0]).toMatchObject({ name: 'Foo', argIndex: 1 });
  });
});

describe('inCommentOrString', () => {
  it('tells comments and strings from code', () => {
    expect(inCommentOrString(parsed, offsetOf(minifilter, 'No side file yet', 1, 3))).toBe(true);
    expect(inCommentOrString(parsed, offsetOf(minifilter, "'sdCE'", 1, 2))).toBe(true);
    expect(inCommentOrString(parsed, offsetOf(minifilter, 'RtlZeroMemory', 1, 2))).toBe(false);
  });
});
