/**
 * What one file tells the lifecycle rules about the driver's entry points: the `FLT_REGISTRATION`
 * initialisers (their unload callback), the `FLT_OPERATION_REGISTRATION` arrays (which callback
 * runs for which major function) and the `DriverObject->MajorFunction[...] = F` assignments.
 * Plain JSON, so the workspace index can keep it per file.
 */
import type { Node, Tree } from '../parsing/parser';

/** A range in the file the facts came from (0-based). */
export interface FactSite {
  line: number;
  character: number;
  endLine: number;
  endCharacter: number;
}

export interface UnloadRegistration {
  /** The FLT_REGISTRATION variable. */
  registration: string;
  /** Its FilterUnloadCallback. */
  unload: string;
  site: FactSite;
}

export interface OperationEntry {
  /** `IRP_MJ_READ`, ... as written. */
  major: string;
  /** PreOperation and PostOperation callbacks that are named (not NULL). */
  callbacks: string[];
  /** How it was registered, for the message. */
  via: 'operation' | 'dispatch';
  site: FactSite;
}

export interface LifecycleFacts {
  unloads: UnloadRegistration[];
  /** Operation registrations and dispatch assignments; `major` is `*` for a loop over all of them. */
  operations: OperationEntry[];
}

export const NO_LIFECYCLE_FACTS: LifecycleFacts = { unloads: [], operations: [] };

/**
 * The fields of `FLT_REGISTRATION` in declaration order (fltKernel.h): a positional initialiser
 * names the unload callback in the sixth place.
 */
const REGISTRATION_FIELDS = ['Size', 'Version', 'Flags', 'ContextRegistration', 'OperationRegistration', 'FilterUnloadCallback'];
/** `FLT_OPERATION_REGISTRATION`: MajorFunction, Flags, PreOperation, PostOperation, Reserved1. */
const OPERATION_FIELDS = ['MajorFunction', 'Flags', 'PreOperation', 'PostOperation'];

const CONTAINERS = new Set(['translation_unit', 'preproc_if', 'preproc_ifdef', 'preproc_else', 'preproc_elif', 'preproc_elifdef', 'linkage_specification', 'declaration_list', 'namespace_definition']);

export function lifecycleFactsOf(tree: Tree, text: string): LifecycleFacts {
  const facts: LifecycleFacts = { unloads: [], operations: [] };
  if (/\bFLT_(OPERATION_)?REGISTRATION\b/.test(text)) {
    const stack: Node[] = [tree.rootNode];
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (CONTAINERS.has(node.type)) {
        for (let i = node.namedChildCount - 1; i >= 0; i--) stack.push(node.namedChild(i)!);
      } else if (node.type === 'declaration') {
        readDeclaration(node, facts);
      }
    }
  }
  if (/\bMajorFunction\s*\[/.test(text)) {
    for (const a of tree.rootNode.descendantsOfType('assignment_expression')) if (a) readDispatch(a, facts);
  }
  return facts;
}

function readDeclaration(node: Node, facts: LifecycleFacts): void {
  for (const d of node.childrenForFieldName('declarator')) {
    if (d?.type !== 'init_declarator') continue;
    const value = d.childForFieldName('value');
    if (value?.type !== 'initializer_list') continue;
    // `CONST` (a macro the grammar does not know) puts the type or the name in an ERROR node: read
    // the text before the initialiser.
    const head = node.text.slice(0, value.startIndex - node.startIndex);
    const name = /([A-Za-z_]\w*)\s*(\[[^\]]*\])?\s*=\s*$/.exec(head)?.[1];
    if (!name) continue;
    if (/\bFLT_REGISTRATION\b/.test(head)) {
      const unload = fieldValue(value, REGISTRATION_FIELDS, 'FilterUnloadCallback');
      const callee = unload && functionName(unload);
      if (callee) facts.unloads.push({ registration: name, unload: callee, site: siteOf(unload) });
    } else if (/\bFLT_OPERATION_REGISTRATION\b/.test(head)) {
      for (const entry of value.namedChildren) {
        if (entry?.type !== 'initializer_list') continue;
        const major = fieldValue(entry, OPERATION_FIELDS, 'MajorFunction')?.text;
        if (!major || major === 'IRP_MJ_OPERATION_END') continue;
        const callbacks = ['PreOperation', 'PostOperation'].map((f) => fieldValue(entry, OPERATION_FIELDS, f)).map((n) => n && functionName(n)).filter((n): n is string => Boolean(n));
        if (callbacks.length > 0) facts.operations.push({ major, callbacks, via: 'operation', site: siteOf(entry) });
      }
    }
  }
}

/** `X->MajorFunction[IRP_MJ_READ] = Dispatch;` (a non-constant index: every major function). */
function readDispatch(a: Node, facts: LifecycleFacts): void {
  const left = a.childForFieldName('left');
  const right = a.childForFieldName('right');
  if (left?.type !== 'subscript_expression' || !right) return;
  const array = left.childForFieldName('argument');
  if (array?.type !== 'field_expression' || array.childForFieldName('field')?.text !== 'MajorFunction') return;
  const index = left.childForFieldName('index')?.text.trim() ?? '';
  const callee = functionName(right);
  if (!callee) return;
  facts.operations.push({ major: /^IRP_MJ_\w+$/.test(index) ? index : '*', callbacks: [callee], via: 'dispatch', site: siteOf(a) });
}

/** The value given to `field`, by designator (`.F = v`) or by position. */
function fieldValue(list: Node, order: string[], field: string): Node | undefined {
  const items = list.namedChildren.filter((c): c is Node => Boolean(c) && c!.type !== 'comment');
  if (items.some((c) => c.type === 'initializer_pair')) {
    const pair = items.find((c) => c.type === 'initializer_pair' && c.childForFieldName('designator')?.text.replace(/^\./, '').trim() === field);
    return pair?.childForFieldName('value') ?? undefined;
  }
  return items[order.indexOf(field)];
}

/** `F`, `(PFLT_PRE_OPERATION_CALLBACK)F`, `&F`; NULL and anything else: none. */
function functionName(node: Node): string | undefined {
  let n: Node | null = node;
  while (n && (n.type === 'cast_expression' || n.type === 'parenthesized_expression' || (n.type === 'pointer_expression' && n.text.startsWith('&')))) {
    n = n.type === 'cast_expression' ? n.childForFieldName('value') : n.type === 'pointer_expression' ? n.childForFieldName('argument') : n.namedChild(0);
  }
  if (!n || (n.type !== 'identifier' && n.type !== 'qualified_identifier')) return undefined;
  const name = n.text.replace(/\s+/g, '').replace(/^::/, '');
  return name === 'NULL' ? undefined : name;
}

export function siteOf(n: Node): FactSite {
  return { line: n.startPosition.row, character: n.startPosition.column, endLine: n.endPosition.row, endCharacter: n.endPosition.column };
}
