/**
 * What a context-aware snippet can reuse at the cursor: the filter and instance handles, object
 * attributes, callback data / IRP / list in scope, the ECP type GUIDs and context structures the
 * file defines, the status variable, the function's error-handling label and return type, and
 * which API family the file uses.
 */
import type { Node, ParsedText } from '../parsing/parser';
import { catalog } from '../catalog';
import { enclosingFunction, namesInScope, type DeclaredName } from './symbolAt';

export interface SnippetScope {
  family: 'flt' | 'fsrtl';
  filter?: string;
  instance?: string;
  objectAttributes?: string;
  callbackData?: string;
  irp?: string;
  ecpList?: string;
  lookaside?: string;
  status?: string;
  guids: string[];
  contextType?: string;
  /** Every name declared anywhere in the function or the file (fresh locals must avoid them). */
  taken: Set<string>;
  fn?: {
    node: Node;
    returnType: string;
    /** An error label (`Cleanup:`, `Exit:`) after the cursor: name and the offset just after its colon. */
    label?: { name: string; afterColon: number };
    /** Where hoisted declarations go: after the leading declarations of the body. */
    declarationsEnd: number;
    indent: string;
  };
}

const type = (d: DeclaredName) => d.type.replace(/\s+/g, ' ').trim();

export function snippetScope(parsed: ParsedText, source: string, offset: number, extraGuids: string[] = []): SnippetScope {
  const visible = namesInScope(parsed, offset);
  const fnNode = enclosingFunction(parsed, offset);
  const all = fnNode ? namesInScope(parsed, fnNode.endIndex) : visible;
  const params = visible.filter((d) => d.scope === 'parameter');
  const byType = (re: RegExp, from: DeclaredName[] = visible) => from.filter((d) => re.test(type(d))).sort(preferInner)[0]?.name;
  const related = byType(/^PCFLT_RELATED_OBJECTS$/, params);
  const oaPointer = byType(/^POBJECT_ATTRIBUTES$/);
  const oaStruct = byType(/^OBJECT_ATTRIBUTES$/);
  const scope: SnippetScope = {
    family: /#\s*include\s*[<"](fltKernel|fltkernel)\.h[>"]/i.test(source) ? 'flt' : 'fsrtl',
    filter: byType(/^PFLT_FILTER$/, params) ?? (related ? `${related}->Filter` : undefined) ?? byType(/^PFLT_FILTER$/),
    instance: byType(/^PFLT_INSTANCE$/, params) ?? (related ? `${related}->Instance` : undefined),
    objectAttributes: oaPointer ?? (oaStruct ? `&${oaStruct}` : undefined),
    callbackData: byType(/^PFLT_CALLBACK_DATA$/, params),
    irp: byType(/^PIRP$/, params),
    ecpList: byType(/^PECP_LIST$/),
    lookaside: visible.find((d) => d.scope === 'global' && /lookaside/i.test(d.name))?.name,
    status: fnNode ? byType(/^NTSTATUS$/, visible.filter((d) => d.scope !== 'global')) : undefined,
    guids: unique([...documentGuids(source), ...extraGuids]),
    contextType: documentContextTypes(source)[0],
    taken: new Set(all.map((d) => d.name)),
  };
  if (fnNode) scope.fn = functionFacts(parsed, fnNode, offset);
  return scope;
}

function preferInner(a: DeclaredName, b: DeclaredName): number {
  const rank = (d: DeclaredName) => (d.scope === 'local' ? 0 : d.scope === 'parameter' ? 1 : 2);
  return rank(a) - rank(b);
}

function functionFacts(parsed: ParsedText, fn: Node, offset: number): NonNullable<SnippetScope['fn']> {
  const body = fn.childForFieldName('body');
  const returnType = (fn.childForFieldName('type')?.text ?? '').trim();
  let declarationsEnd = body ? body.startIndex + 1 : fn.endIndex;
  let indent = '    ';
  for (const child of body?.namedChildren ?? []) {
    if (!child || child.type === 'comment') continue;
    indent = lineIndent(parsed.masked, child.startIndex) || indent;
    if (child.type !== 'declaration' || child.startIndex >= offset) break;
    declarationsEnd = child.endIndex;
  }
  return { node: fn, returnType, label: errorLabel(parsed.masked, body, offset), declarationsEnd, indent };
}

const ERROR_LABELS = /^(cleanup|exit|clean_up|done|error|fail|failed|out)$/i;

/**
 * An error label after the cursor. Read from the text: while the user types at the cursor the tree
 * often folds the rest of the body into an ERROR node, and the label disappears from it.
 */
function errorLabel(text: string, body: Node | null, offset: number): { name: string; afterColon: number } | undefined {
  if (!body) return undefined;
  const re = /^[ \t]*([A-Za-z_]\w*)[ \t]*:(?!:)/gm;
  re.lastIndex = offset;
  for (let m = re.exec(text); m && m.index < body.endIndex; m = re.exec(text)) {
    if (ERROR_LABELS.test(m[1])) return { name: m[1], afterColon: m.index + m[0].length };
  }
  return undefined;
}

function lineIndent(text: string, at: number): string {
  const start = text.lastIndexOf('\n', at - 1) + 1;
  return /^[ \t]*/.exec(text.slice(start, at))?.[0] ?? '';
}

/** GUID names defined in a source with `DEFINE_GUID(NAME, ...)` or `[static] const GUID NAME = {...}`. */
export function documentGuids(source: string): string[] {
  const names: string[] = [];
  const text = source.length > 2_000_000 ? source.slice(0, 2_000_000) : source;
  for (const m of text.matchAll(/\bDEFINE_GUID\s*\(\s*([A-Za-z_]\w*)/g)) names.push(m[1]);
  for (const m of text.matchAll(/\bGUID\s+(?:const\s+)?([A-Za-z_]\w*)\s*=\s*\{/g)) names.push(m[1]);
  return unique(names).filter((n) => n !== 'NAME');
}

/** Context structures the file defines for its own ECP types (`..._ECP_CONTEXT` typedef names). */
function documentContextTypes(source: string): string[] {
  const names: string[] = [];
  for (const m of source.matchAll(/\}\s*([A-Za-z_]\w*ECP_CONTEXT)\s*[,;]/g)) {
    if (!catalog.types.has(m[1])) names.push(m[1]);
  }
  return unique(names);
}

function unique(items: string[]): string[] {
  return [...new Set(items)];
}
