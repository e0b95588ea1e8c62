/**
 * Integer constant folding for the arguments that matter: flags (catalog constants, #defines,
 * `|`), pool tags ('abcd' multi-character literals) and context sizes (sizeof of known types).
 */
import type { Node } from '../parsing/parser';
import type { FileModel } from './fileModel';
import { flagInfo } from './catalogAccess';

const MAX_DEFINE_DEPTH = 8;

/**
 * How the names of the function being run resolve when its file and the model's differ
 * (`FunctionDef.scope`): a wrapper of another file folds its own `#define`s and `sizeof`s.
 */
export type NameScope = Map<string, string> | undefined;

/** Value of a node, or of an identifier given by name; undefined when not a known constant. */
export function constantValue(model: FileModel, node: Node | string, scope?: NameScope, depth = 0): number | undefined {
  if (depth > MAX_DEFINE_DEPTH) return undefined;
  if (typeof node === 'string') return nameValue(model, node, scope, depth);
  switch (node.type) {
    case 'number_literal':
      return parseNumber(node.text);
    case 'char_literal':
      return charLiteralValue(node.text);
    case 'true':
      return 1;
    case 'false':
      return 0;
    case 'null':
      return 0;
    case 'identifier':
      return nameValue(model, node.text, scope, depth);
    case 'parenthesized_expression':
      return node.namedChild(0) ? constantValue(model, node.namedChild(0)!, scope, depth + 1) : undefined;
    case 'cast_expression': {
      const v = node.childForFieldName('value');
      return v ? constantValue(model, v, scope, depth + 1) : undefined;
    }
    case 'sizeof_expression':
      return sizeofValue(model, node, scope);
    case 'binary_expression': {
      const l = node.childForFieldName('left');
      const r = node.childForFieldName('right');
      const op = node.childForFieldName('operator')?.text;
      if (!l || !r) return undefined;
      const a = constantValue(model, l, scope, depth + 1);
      const b = constantValue(model, r, scope, depth + 1);
      if (a === undefined || b === undefined) return undefined;
      return applyBinary(op ?? '', a, b);
    }
    default:
      return undefined;
  }
}

function applyBinary(op: string, a: number, b: number): number | undefined {
  switch (op) {
    case '|':
      return (a | b) >>> 0;
    case '&':
      return (a & b) >>> 0;
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '<<':
      return (a << b) >>> 0;
    default:
      return undefined;
  }
}

function nameValue(model: FileModel, name: string, scope: NameScope, depth: number): number | undefined {
  const flag = flagInfo(name);
  if (flag) return flag.value;
  if (name === 'NULL' || name === 'FALSE') return 0;
  if (name === 'TRUE') return 1;
  const define = model.defines.get(scope?.get(name) ?? name);
  if (define !== undefined) return textValue(model, define, scope, depth + 1);
  return undefined;
}

/** The value of an expression given as text (a macro's expansion), as a #define body is folded. */
export function textConstant(model: FileModel, text: string, scope?: NameScope): number | undefined {
  return textValue(model, text, scope, 0);
}

/** Folds the text of a #define body: numbers, char literals, names, `|` and parentheses. */
function textValue(model: FileModel, text: string, scope: NameScope, depth: number): number | undefined {
  // `#define errno errno`, or two names defined as each other: no value, and no endless folding.
  if (depth > MAX_DEFINE_DEPTH) return undefined;
  const t = text.trim().replace(/^\((.*)\)$/s, '$1').trim();
  if (/^'.*'$/.test(t)) return charLiteralValue(t);
  if (/^(0x[0-9a-f]+|\d+)[uUlL]*$/i.test(t)) return parseNumber(t);
  if (/^[A-Za-z_]\w*$/.test(t)) return nameValue(model, t, scope, depth + 1);
  if (t.includes('|')) {
    let acc = 0;
    for (const part of t.split('|')) {
      const v = textValue(model, part, scope, depth + 1);
      if (v === undefined) return undefined;
      acc = (acc | v) >>> 0;
    }
    return acc;
  }
  return undefined;
}

export function parseNumber(text: string): number | undefined {
  const t = text.replace(/[uUlL]+$/, '');
  const v = /^0x/i.test(t) ? parseInt(t, 16) : /^0[0-7]+$/.test(t) ? parseInt(t, 8) : Number(t);
  return Number.isFinite(v) ? v : undefined;
}

/** 'Tst1' as C compilers fold a multi-character constant: first character in the high byte. */
export function charLiteralValue(text: string): number | undefined {
  const body = text.slice(1, -1);
  if (body.length === 0 || body.length > 4 || body.includes('\\')) return body === '\\0' ? 0 : undefined;
  let v = 0;
  for (const ch of body) v = ((v << 8) | (ch.charCodeAt(0) & 0xff)) >>> 0;
  return v;
}

/** The 4 characters of a pool tag as written in source ('Tst1'), from its folded value. */
export function tagText(value: number): string {
  let s = '';
  for (let shift = 24; shift >= 0; shift -= 8) {
    const c = (value >>> shift) & 0xff;
    if (c !== 0 || s.length > 0) s += c >= 32 && c < 127 ? String.fromCharCode(c) : '.';
  }
  return s;
}

function sizeofValue(model: FileModel, node: Node, scope: NameScope): number | undefined {
  const typeNode = node.childForFieldName('type');
  const valueNode = node.childForFieldName('value');
  const text = (typeNode ?? valueNode)?.text.replace(/[()\s]/g, '') ?? '';
  if (text.endsWith('*')) return 8;
  if (model.pointerTypedefs.has(text) || /^P[A-Z0-9_]+$/.test(text)) return 8;
  return model.structSizes.get(scope?.get(text) ?? text) ?? KNOWN_SIZES[text];
}

const KNOWN_SIZES: Record<string, number> = {
  ULONG: 4, LONG: 4, USHORT: 2, UCHAR: 1, BOOLEAN: 1, GUID: 16, ULONGLONG: 8, LONGLONG: 8, LARGE_INTEGER: 8,
  UNICODE_STRING: 16, IO_DRIVER_CREATE_CONTEXT: 40,
  NETWORK_OPEN_ECP_CONTEXT: 28, PREFETCH_OPEN_ECP_CONTEXT: 8, ECP_OPEN_PARAMETERS: 8, NETWORK_APP_INSTANCE_ECP_CONTEXT: 20,
};
