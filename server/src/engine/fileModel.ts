/**
 * What the engine needs to know about a whole file before walking any function: the function
 * definitions, object-like and function-like macros, pointer typedefs and struct layouts, and the
 * annotations in front of each function. Built by one iterative walk.
 */
import { unparsedRegionsOf, type Node, type Tree, type UnparsedRegion } from '../parsing/parser';
import type { Annotation } from '../parsing/mask';
import type { TextChange } from '../parsing/remask';
import { isIntactDefinition } from '../parsing/recover';
import { sha1Hex } from '../util/hash';
import { TextCache, interned, detachedDeep } from '../util/textCache';
import { constantValue } from './constants';
import { ppArmTaken, type PpScope } from './preprocessor';
import { nameWords, withoutComments } from '../util/codeText';

export interface FunctionDef {
  name: string;
  node: Node; //            function_definition
  body: Node; //            compound_statement
  params: ParamDecl[];
  returnType: string;
  annotations: Annotation[];
  /** Start IRQL from `_IRQL_requires_(X)` / `_IRQL_requires_min_(X)`, else 0. */
  startIrql: number;
  /** Defined in an included header: run at call sites (reported there), never analysed alone. */
  fromHeader?: boolean;
  /** URI of the other file of the program that defines it (then `fromHeader` is set too). */
  file?: string;
  /** How `#if`s in its text are decided (a header function: the header's view of the build). */
  pp?: PpScope;
  /**
   * Names its calls resolve to in the model when that differs from the name itself: a function
   * merged from another program file calls its own file's `static` helper, which the caller's
   * model holds under another name because the caller has a function of the same name.
   */
  scope?: Map<string, string>;
}

/** The function a call of `name` written in `from` runs: resolved in `from`'s own file first. */
export function calleeOf(model: FileModel, from: FunctionDef | undefined, name: string): FunctionDef | undefined {
  return functionNamed(model, from?.scope?.get(name) ?? name);
}

/**
 * The function a C++ call names: `Helpers::Allocate` of a member defined in its class body (held
 * as `Allocate`), `ns::Add` of a function in a namespace (held as `Add`), `Attach` called from a
 * sibling member defined out of line (held as `EcpBuilder::Attach`, when no other class has one).
 */
export function functionNamed(model: FileModel, name: string): FunctionDef | undefined {
  const direct = model.functions.get(name);
  if (direct || !name) return direct;
  for (let at = name.indexOf('::'); at >= 0; at = name.indexOf('::', at + 2)) {
    const shorter = model.functions.get(name.slice(at + 2));
    if (shorter) return shorter;
  }
  const member = memberIndex(model).get(name.slice(name.lastIndexOf(':') + 1));
  return member ? model.functions.get(member) : undefined;
}

/** Last name component → the one qualified function name that ends with it (null when several do). */
const memberIndexes = new WeakMap<Map<string, FunctionDef>, { size: number; index: Map<string, string | null> }>();

function memberIndex(model: FileModel): Map<string, string | null> {
  const cached = memberIndexes.get(model.functions);
  if (cached && cached.size === model.functions.size) return cached.index;
  const index = new Map<string, string | null>();
  for (const key of model.functions.keys()) {
    const at = key.lastIndexOf('::');
    if (at < 0) continue;
    const last = key.slice(at + 2);
    index.set(last, index.has(last) ? null : key);
  }
  memberIndexes.set(model.functions, { size: model.functions.size, index });
  return index;
}

export interface ParamDecl {
  name: string;
  type: string; //          declaration text without the name, e.g. 'PECP_LIST *'
}

/**
 * A C++ reference parameter (`PVOID& out`) names the caller's variable: what the function stores
 * in it is handed to the caller, so it is not one of the function's locals.
 */
export function isReferenceParam(p: ParamDecl): boolean {
  return /&\s*$/.test(p.type);
}

export interface FunctionMacro {
  name: string;
  params: string[];
  body: string;
}

export interface FileModel {
  functions: Map<string, FunctionDef>;
  /** Object-like macros: NAME → replacement text. */
  defines: Map<string, string>;
  macros: Map<string, FunctionMacro>;
  /** typedef names that are pointers (PFOO for `typedef struct _FOO *PFOO`). */
  pointerTypedefs: Set<string>;
  /** Estimated x64 sizes of structures defined in the file, by every typedef name. */
  structSizes: Map<string, number>;
  /**
   * Function-like regions no parse could read (a body that never closes, a definition the grammar
   * cannot place), with their 0-based line and name when visible: not analysed, and reported so.
   */
  unparsedRegions: UnparsedRegion[];
  /** The build configuration's view of this text: which `#if` arms are taken (absent: all explored). */
  pp?: PpScope;
  /** ECP routines called through pointers looked up at run time (routinePointers.ts): pointer → routine. */
  routinePointers?: Map<string, string>;
}

/** What an ERROR region's children may contribute besides intact definitions. */
const KEPT_FROM_ERRORS = new Set(['ERROR', 'preproc_def', 'preproc_function_def', 'preproc_if', 'preproc_ifdef', 'preproc_elif', 'preproc_elifdef', 'preproc_else', 'declaration', 'type_definition']);

const IRQL_LEVELS: Record<string, number> = { PASSIVE_LEVEL: 0, APC_LEVEL: 1, DISPATCH_LEVEL: 2, HIGH_LEVEL: 15 };

/** What is read from a function's text, once per text: a function of the next version with the same text shares it. */
interface TextFacts {
  text?: string;
  body?: string;
  code?: string;
  digest?: string;
  identifiers?: Set<string>;
}

const textFacts = new WeakMap<FunctionDef, TextFacts>();

function factsOf(fn: FunctionDef): TextFacts {
  let facts = textFacts.get(fn);
  if (!facts) textFacts.set(fn, (facts = {}));
  return facts;
}

/** Body identifiers by function digest, across versions: an unchanged function is not scanned again. */
const identifiersByDigest = new Map<string, Set<string>>();
const IDENTIFIER_SETS_KEPT = 20_000;

/** The function's text (read from the tree once per model). */
export function functionText(fn: FunctionDef): string {
  const facts = factsOf(fn);
  return (facts.text ??= fn.node.text);
}

/** The body's text (read from the tree once per model). */
export function bodyText(fn: FunctionDef): string {
  const facts = factsOf(fn);
  return (facts.body ??= fn.body.text);
}

/** The body's text with its comments blanked (once per model): what the code names, not its prose. */
export function bodyCode(fn: FunctionDef): string {
  const facts = factsOf(fn);
  return (facts.code ??= withoutComments(bodyText(fn)));
}

/**
 * A SHA-1 of the function's text, once per model. Hashing the text costs about what looking it up
 * in a cache by text would, and keeps no copy of it.
 */
export function functionDigest(fn: FunctionDef): string {
  const facts = factsOf(fn);
  return (facts.digest ??= sha1Hex(functionText(fn)));
}

/** The identifiers the body mentions, computed once per function text (kept by its digest). */
export function bodyIdentifiers(fn: FunctionDef): Set<string> {
  const facts = factsOf(fn);
  if (facts.identifiers) return facts.identifiers;
  const digest = functionDigest(fn);
  let ids = identifiersByDigest.get(digest);
  if (!ids) {
    ids = new Set<string>();
    for (const word of nameWords(bodyText(fn))) ids.add(interned(word));
    if (identifiersByDigest.size >= IDENTIFIER_SETS_KEPT) identifiersByDigest.clear();
    identifiersByDigest.set(digest, ids);
  }
  facts.identifiers = ids;
  return ids;
}

/** A model whose maps can be added to without changing `model` (its functions are shared). */
export function copyModel(model: FileModel): FileModel {
  return {
    ...model,
    functions: new Map(model.functions),
    defines: new Map(model.defines),
    macros: new Map(model.macros),
    pointerTypedefs: new Set(model.pointerTypedefs),
    structSizes: new Map(model.structSizes),
  };
}

/**
 * What a model built after an edit may take over from the model of the text before it: the
 * changes since (`ParsedText.edits`). A function whose text lies outside every changed range has
 * the same text as one of the previous model's (shifted), so what was read from that text (its
 * text, digest, identifiers) is carried over instead of being read and hashed again.
 */
export interface ModelReuse {
  previous: FileModel;
  edits: TextChange[];
}

/** Where each function of a model stood (plain numbers: the tree it was read from may be gone). */
interface FunctionSpan {
  def: FunctionDef;
  length: number;
  /** The body's start, from the function's start. */
  bodyOffset: number;
}

const spansOf = new WeakMap<FileModel, Map<number, FunctionSpan>>();

/** The start in the previous text of [start, end) of the new one, or undefined if an edit touched it. */
function startBefore(edits: TextChange[], start: number, end: number): number | undefined {
  for (let k = edits.length - 1; k >= 0; k--) {
    const e = edits[k];
    if (end <= e.start) continue;
    if (start < e.newEnd) return undefined;
    start -= e.newEnd - e.oldEnd;
    end -= e.newEnd - e.oldEnd;
  }
  return start;
}

/**
 * Gives a function what was read from its text in the previous model, if that model had a
 * function of exactly this text at the place the edits moved it from: its text and digest, and
 * its body's text and identifiers when the body starts at the same place in it.
 */
function carryOver(reuse: ModelReuse | undefined, previous: Map<number, FunctionSpan> | undefined, def: FunctionDef, start: number, end: number): void {
  const from = reuse && previous && startBefore(reuse.edits, start, end);
  const old = from === undefined ? undefined : previous!.get(from);
  if (!old || old.length !== end - start) return;
  const facts = textFacts.get(old.def);
  if (!facts) return;
  textFacts.set(def, old.bodyOffset === def.body.startIndex - start ? facts : { text: facts.text, digest: facts.digest });
}

export function buildFileModel(tree: Tree, source: string, annotations: Annotation[], pp?: PpScope, reuse?: ModelReuse): FileModel {
  const model: FileModel = {
    functions: new Map(),
    defines: new Map(),
    macros: new Map(),
    pointerTypedefs: new Set(['PVOID', 'PECP_LIST', 'PECP_HEADER', 'PIO_DRIVER_CREATE_CONTEXT', 'LPCGUID', 'LPGUID', 'PFLT_FILTER', 'PFLT_INSTANCE', 'PFLT_CALLBACK_DATA', 'PIRP', 'PUNICODE_STRING', 'PWCHAR', 'PCHAR', 'PUCHAR', 'PULONG', 'PUSHORT', 'HANDLE']),
    structSizes: new Map(),
    unparsedRegions: unparsedRegionsOf(tree),
    pp,
  };
  const stack: Node[] = [tree.rootNode];
  let previousEnd = 0;
  const topLevel: { node: Node; type: string }[] = [];
  while (stack.length > 0) {
    const node = stack.pop()!;
    const type = node.type;
    switch (type) {
      case 'preproc_if':
      case 'preproc_ifdef':
      case 'preproc_elif':
      case 'preproc_elifdef':
        // The build decides the arm when it can; otherwise every arm's definitions are kept.
        for (const child of activeChildren(node, pp).reverse()) stack.push(child);
        break;
      case 'translation_unit':
      case 'preproc_else':
      case 'linkage_specification':
      case 'declaration_list':
      case 'namespace_definition':
      case 'template_declaration':
      case 'field_declaration_list':
        for (let i = node.namedChildCount - 1; i >= 0; i--) stack.push(node.namedChild(i)!);
        break;
      case 'ERROR':
        // An error region can hold whole definitions (a broken `#if` arrangement around them):
        // the intact ones are functions like any other, as parse recovery counts them.
        for (let i = node.namedChildCount - 1; i >= 0; i--) {
          const child = node.namedChild(i)!;
          if (child.type === 'function_definition' ? isIntactDefinition(child) : KEPT_FROM_ERRORS.has(child.type)) stack.push(child);
        }
        break;
      case 'class_specifier':
      case 'struct_specifier':
      case 'union_specifier': {
        // C++ member functions defined in the class body; C structures hold no functions.
        const members = node.childForFieldName('body');
        if (members && members.descendantsOfType('function_definition').length > 0) stack.push(members);
        topLevel.push({ node, type });
        break;
      }
      default:
        topLevel.push({ node, type });
    }
  }
  topLevel.sort((a, b) => a.node.startIndex - b.node.startIndex);
  const spans = new Map<number, FunctionSpan>();
  spansOf.set(model, spans);
  const previousSpans = reuse && spansOf.get(reuse.previous);
  for (const { node, type } of topLevel) {
    const end = node.endIndex;
    if (type === 'function_definition') {
      const def = addFunction(model, node, annotationsBetween(annotations, previousEnd, node), source);
      if (def) {
        carryOver(reuse, previousSpans, def, node.startIndex, end);
        spans.set(node.startIndex, { def, length: end - node.startIndex, bodyOffset: def.body.startIndex - node.startIndex });
      }
    } else if (type === 'preproc_def') addDefine(model, node);
    else if (type === 'preproc_function_def') addMacro(model, node);
    else if (type === 'type_definition') addTypedef(model, node, source);
    // Only a declaration that says `enum` can hold enumerators (the text test saves a tree walk).
    if ((type === 'type_definition' || type === 'declaration' || type === 'enum_specifier') && /\benum\b/.test(source.slice(node.startIndex, end))) addEnumerators(model, node);
    previousEnd = end;
  }
  dropUnparsed(model);
  return model;
}

/** The children of a conditional-compilation node the build keeps: its arm, its alternative, or both. */
export function activeChildren(node: Node, pp: PpScope | undefined): Node[] {
  const alternative = node.childForFieldName('alternative');
  const all = node.namedChildren.filter((c): c is Node => c !== null);
  const taken = ppArmTaken(node, pp);
  if (taken === undefined) return all;
  if (!taken) return alternative ? [alternative] : [];
  const condition = node.childForFieldName('condition');
  const name = node.childForFieldName('name');
  return all.filter((c) => c.id !== alternative?.id && c.id !== condition?.id && c.id !== name?.id);
}

const CONDITIONAL = new Set(['preproc_if', 'preproc_ifdef', 'preproc_elif', 'preproc_elifdef']);

/** Whether the build keeps `node`: no enclosing conditional (below `stop`) leaves it out. */
export function inTakenArms(node: Node, pp: PpScope | undefined, stop?: Node): boolean {
  let child = node;
  for (let n = node.parent; n && n.id !== stop?.id; child = n, n = n.parent) {
    if (CONDITIONAL.has(n.type) && !activeChildren(n, pp).some((c) => c.id === child.id)) return false;
  }
  return true;
}

/** A function inside a region recovery could not read is not analysed (it is reported instead). */
function dropUnparsed(model: FileModel): void {
  if (model.unparsedRegions.length === 0) return;
  for (const [name, fn] of model.functions) {
    if (model.unparsedRegions.some((r) => fn.node.startIndex < r.end && r.start < fn.node.endIndex)) model.functions.delete(name);
  }
}

/** Annotations between `from` and the end of the function's declarator (`all` is sorted by start). */
function annotationsBetween(all: Annotation[], from: number, fn: Node): Annotation[] {
  const declarator = fn.childForFieldName('declarator');
  const until = declarator ? declarator.endIndex : fn.startIndex;
  let lo = 0;
  let hi = all.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (all[mid].start < from) lo = mid + 1;
    else hi = mid;
  }
  const out: Annotation[] = [];
  for (let i = lo; i < all.length && all[i].start < until; i++) if (all[i].end <= until) out.push(all[i]);
  return out;
}

interface Head {
  name: string;
  params: ParamDecl[];
  returnType: string;
}

/**
 * What a function's head says (name, parameters, return type), by the head's text: it depends on
 * nothing else, and an edit leaves most heads as they were, so they are not read from the tree again.
 */
const headCache = new TextCache<Head | null>(2 * 1024 * 1024);

function readHead(node: Node): Head | null {
  const declarator = findFunctionDeclarator(node.childForFieldName('declarator'));
  const nameNode = declarator?.childForFieldName('declarator');
  if (!declarator || !nameNode || !FUNCTION_NAME_TYPES.has(nameNode.type)) return null;
  const params: ParamDecl[] = [];
  const list = declarator.childForFieldName('parameters');
  for (const p of list?.namedChildren ?? []) {
    if (!p || p.type !== 'parameter_declaration') continue;
    const name = declaredName(p.childForFieldName('declarator'));
    if (!name) continue;
    const typeText = p.text.replace(new RegExp(`\\b${name}\\b`), '').replace(/\s+/g, ' ').trim();
    params.push({ name, type: typeText });
  }
  const returnType = trailingReturnType(declarator) ?? node.childForFieldName('type')?.text ?? '';
  return { name: nameNode.text.replace(/\s+/g, ''), params, returnType };
}

function addFunction(model: FileModel, node: Node, annotations: Annotation[], source: string): FunctionDef | undefined {
  const body = node.childForFieldName('body');
  if (!body) return undefined;
  const key = source.slice(node.startIndex, body.startIndex);
  let head = headCache.get(key);
  if (head === undefined) {
    head = readHead(node);
    if (head) head = detachedDeep(head);
    headCache.set(key, head);
  }
  if (!head) return undefined;
  const { name, returnType } = head;
  const params = head.params.map((p) => ({ ...p }));
  let startIrql = 0;
  for (const a of annotations) {
    if (a.name === '_IRQL_requires_' || a.name === '_IRQL_requires_min_' || a.name === '__drv_requiresIRQL' || a.name === '__drv_minIRQL') {
      startIrql = Math.max(startIrql, IRQL_LEVELS[a.args.trim()] ?? 0);
    }
  }
  const def: FunctionDef = { name, node, body, params, returnType, annotations, startIrql, ...(model.pp ? { pp: model.pp } : {}) };
  model.functions.set(name, def);
  return def;
}

/**
 * What a function's name can be: `F`, a member defined in its class (`field_identifier`), a member
 * defined out of line (`EcpBuilder::Attach`), a destructor or an operator.
 */
const FUNCTION_NAME_TYPES = new Set(['identifier', 'field_identifier', 'qualified_identifier', 'destructor_name', 'operator_name']);

/** `auto F(...) -> NTSTATUS`: the type after the arrow. */
function trailingReturnType(declarator: Node): string | undefined {
  for (const child of declarator.namedChildren) {
    if (child?.type === 'trailing_return_type') return child.namedChild(0)?.text;
  }
  return undefined;
}

function findFunctionDeclarator(node: Node | null): Node | null {
  let current = node;
  for (let guard = 0; current && guard < 50; guard++) {
    if (current.type === 'function_declarator') return current;
    current = current.childForFieldName('declarator');
  }
  return null;
}

/** The identifier a declarator declares (through pointers, arrays, parentheses). */
export function declaredName(node: Node | null): string | undefined {
  let current = node;
  for (let guard = 0; current && guard < 50; guard++) {
    if (current.type === 'identifier' || current.type === 'type_identifier' || current.type === 'field_identifier') return current.text;
    // C++ references (`PECP_LIST& list`) hold their declarator without a field name.
    current = current.type === 'reference_declarator' ? current.namedChild(0) : current.childForFieldName('declarator');
  }
  return undefined;
}

function addDefine(model: FileModel, node: Node): void {
  const name = node.childForFieldName('name')?.text;
  const value = node.childForFieldName('value')?.text.trim();
  if (name && value) model.defines.set(name, value);
}

/**
 * Enumerators become object-like defines with their folded value (an explicit value, else one
 * more than the previous enumerator), so conditions and `switch`es on enum locals can be decided.
 */
function addEnumerators(model: FileModel, node: Node): void {
  const enums = node.type === 'enum_specifier' ? [node] : node.descendantsOfType('enum_specifier');
  for (const spec of enums) {
    let next = 0;
    for (const e of spec?.childForFieldName('body')?.namedChildren ?? []) {
      if (!e || e.type !== 'enumerator') continue;
      const name = e.childForFieldName('name')?.text;
      const valueNode = e.childForFieldName('value');
      const value = valueNode ? constantValue(model, valueNode) : next;
      if (value === undefined) break;
      if (name && !model.defines.has(name)) model.defines.set(name, String(value));
      next = value + 1;
    }
  }
}

function addMacro(model: FileModel, node: Node): void {
  const name = node.childForFieldName('name')?.text;
  const params = node.childForFieldName('parameters');
  const value = node.childForFieldName('value')?.text;
  if (!name || !params || value === undefined) return;
  const names = params.namedChildren.filter((p): p is Node => p !== null && p.type === 'identifier').map((p) => p.text);
  model.macros.set(name, { name, params: names, body: value.replace(/\\\r?\n/g, '\n') });
}

/**
 * What a typedef declares, read from its text once: the names (pointer or not) and, for a
 * structure defined in it, each field's type and declarators. Its size depends on the typedefs
 * before it as well, so it is computed from this each time.
 */
interface TypedefShape {
  names: { name: string; pointer: boolean }[];
  /** The structure's fields, when the type is a `struct` with a body. */
  fields?: { type: string; declarators: { pointer: boolean; array: boolean; size: string | undefined }[] }[];
}

/** Per grammar (C and C++ may read one text differently). */
const typedefShapes = new WeakMap<object, TextCache<TypedefShape>>();

function typedefShape(node: Node, source: string): TypedefShape {
  const text = source.slice(node.startIndex, node.endIndex);
  let cache = typedefShapes.get(node.tree.language);
  if (!cache) typedefShapes.set(node.tree.language, (cache = new TextCache<TypedefShape>(1024 * 1024)));
  let shape = cache.get(text);
  if (shape) return shape;
  const names: TypedefShape['names'] = [];
  for (const d of node.childrenForFieldName('declarator')) {
    const name = d && declaredName(d);
    if (d && name) names.push({ name, pointer: d.type === 'pointer_declarator' });
  }
  const typeNode = node.childForFieldName('type');
  const body = typeNode && typeNode.type === 'struct_specifier' ? typeNode.childForFieldName('body') : null;
  const fields = body
    ? body.namedChildren
        .filter((f): f is Node => f !== null && f.type === 'field_declaration')
        .map((field) => ({
          type: field.childForFieldName('type')?.text ?? '',
          declarators: field.childrenForFieldName('declarator').filter((d): d is Node => d !== null).map((d) => ({ pointer: d.type === 'pointer_declarator', array: d.type === 'array_declarator', size: d.type === 'array_declarator' ? d.childForFieldName('size')?.text : undefined })),
        }))
    : undefined;
  shape = detachedDeep({ names, ...(fields ? { fields } : {}) });
  cache.set(text, shape);
  return shape;
}

function addTypedef(model: FileModel, node: Node, source: string): void {
  const shape = typedefShape(node, source);
  const size = shape.fields ? estimateStructSize(shape.fields, model) : undefined;
  for (const { name, pointer } of shape.names) {
    if (pointer) model.pointerTypedefs.add(name);
    else if (size !== undefined) model.structSizes.set(name, size);
  }
}

/** Sizes of common kernel types on x64. */
const TYPE_SIZES: Record<string, number> = {
  UCHAR: 1, CHAR: 1, BOOLEAN: 1, BYTE: 1, char: 1,
  USHORT: 2, SHORT: 2, WCHAR: 2, CSHORT: 2, short: 2,
  ULONG: 4, LONG: 4, NTSTATUS: 4, int: 4, unsigned: 4, DWORD: 4, INT: 4, UINT32: 4, ACCESS_MASK: 4,
  ULONGLONG: 8, LONGLONG: 8, ULONG64: 8, LONG64: 8, UINT64: 8, SIZE_T: 8, ULONG_PTR: 8, LARGE_INTEGER: 8, USN: 8,
  GUID: 16, UNICODE_STRING: 16, LIST_ENTRY: 16, FILE_ID_128: 16,
};

/** Types whose alignment is smaller than their size suggests. */
const TYPE_ALIGN: Record<string, number> = { GUID: 4, FILE_ID_128: 1 };

function fieldSize(type: string, isPointer: boolean, model: FileModel): number | undefined {
  if (isPointer || model.pointerTypedefs.has(type) || /^P[A-Z0-9_]+$/.test(type) || type === 'HANDLE') return 8;
  return TYPE_SIZES[type] ?? model.structSizes.get(type);
}

function estimateStructSize(fields: NonNullable<TypedefShape['fields']>, model: FileModel): number | undefined {
  let offset = 0;
  let maxAlign = 1;
  for (const field of fields) {
    const type = field.type;
    for (const d of field.declarators) {
      const element = fieldSize(type, d.pointer, model);
      if (element === undefined) return undefined;
      let size = element;
      if (d.array) {
        const count = Number(d.size);
        if (!Number.isFinite(count)) return undefined;
        size *= count;
      }
      // Arrays align like their element; structures of known size like their largest power of two up to 8.
      const align = TYPE_ALIGN[type] ?? Math.min(8, alignmentOf(element));
      offset = Math.ceil(offset / align) * align + size;
      maxAlign = Math.max(maxAlign, align);
    }
  }
  return Math.ceil(offset / maxAlign) * maxAlign;
}

function alignmentOf(size: number): number {
  if (size >= 8) return 8;
  if (size >= 4) return 4;
  if (size >= 2) return 2;
  return 1;
}

export function irqlLevel(name: string): number | undefined {
  return IRQL_LEVELS[name];
}
