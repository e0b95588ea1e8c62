/**
 * Expands VS Code snippet bodies the way the editor does when the user accepts every default,
 * and wraps each ECP snippet of `snippets/ecp.json` in a realistic minifilter source file, so
 * that tests (and, once it lands, the analysis) can check what the snippets really produce.
 *
 * Grammar covered (https://code.visualstudio.com/docs/editor/userdefinedsnippets#_grammar):
 * `$1`, `${1}`, `${1:default}` (nested), `${1|a,b|}`, `${1/regex/format/flags}`, `$NAME`,
 * `${NAME}`, `${NAME:default}`, `${NAME/regex/format/flags}`, and the escapes `\$`, `\}`, `\\`
 * (plus `\,` and `\|` inside choices). A construct that does not parse is kept as text, as the
 * editor does.
 */
import { randomUUID } from 'node:crypto';
import ecpSnippetFile from '../../../snippets/ecp.json';

export type SnippetNode =
  | { kind: 'text'; value: string }
  | { kind: 'tabstop'; index: number; children: SnippetNode[]; choices?: string[]; transform?: Transform }
  | { kind: 'variable'; name: string; children: SnippetNode[] | null; transform?: Transform };

type FormatPart = string | { group: number; op?: 'upcase' | 'downcase' | 'capitalize'; ifSet?: string; ifUnset?: string };

export interface Transform {
  regex: string;
  flags: string;
  format: FormatPart[];
}

// ---------------------------------------------------------------------------------------------
// Parsing

class SnippetParser {
  private pos = 0;
  constructor(private readonly src: string) {}

  parse(): SnippetNode[] {
    return this.sequence(false);
  }

  /** Parses until the end, or until an unescaped `}` when `nested` (the `}` is left unread). */
  private sequence(nested: boolean): SnippetNode[] {
    const out: SnippetNode[] = [];
    while (this.pos < this.src.length) {
      const c = this.src[this.pos];
      if (nested && c === '}') break;
      if (c === '\\') this.pushText(out, this.escaped('$}\\'));
      else if (c === '$') out.push(this.dollar() ?? { kind: 'text', value: this.src[this.pos++] });
      else this.pushText(out, this.src[this.pos++]);
    }
    return out;
  }

  private pushText(out: SnippetNode[], value: string): void {
    const last = out[out.length - 1];
    if (last?.kind === 'text') last.value += value;
    else out.push({ kind: 'text', value });
  }

  /** At a backslash: the escaped character when it is one of `chars`, else the backslash. */
  private escaped(chars: string): string {
    const next = this.src[this.pos + 1];
    if (next !== undefined && chars.includes(next)) {
      this.pos += 2;
      return next;
    }
    this.pos++;
    return '\\';
  }

  /** At a `$`: a tabstop, placeholder, choice or variable; undefined (nothing read) otherwise. */
  private dollar(): SnippetNode | undefined {
    const start = this.pos;
    this.pos++;
    const node = this.src[this.pos] === '{' ? this.braced() : this.bare();
    if (!node) this.pos = start;
    return node;
  }

  private bare(): SnippetNode | undefined {
    const int = this.match(/[0-9]+/y);
    if (int !== undefined) return { kind: 'tabstop', index: Number(int), children: [] };
    const name = this.match(/[_a-zA-Z][_a-zA-Z0-9]*/y);
    return name === undefined ? undefined : { kind: 'variable', name, children: null };
  }

  private braced(): SnippetNode | undefined {
    this.pos++; // {
    const int = this.match(/[0-9]+/y);
    if (int !== undefined) return this.bracedTabstop(Number(int));
    const name = this.match(/[_a-zA-Z][_a-zA-Z0-9]*/y);
    if (name === undefined) return undefined;
    const node: SnippetNode = { kind: 'variable', name, children: null };
    const c = this.src[this.pos++];
    if (c === '}') return node;
    if (c === ':') {
      node.children = this.sequence(true);
      return this.src[this.pos++] === '}' ? node : undefined;
    }
    if (c === '/') {
      node.transform = this.transform();
      return node.transform ? node : undefined;
    }
    return undefined;
  }

  private bracedTabstop(index: number): SnippetNode | undefined {
    const node: SnippetNode = { kind: 'tabstop', index, children: [] };
    const c = this.src[this.pos++];
    if (c === '}') return node;
    if (c === ':') {
      node.children = this.sequence(true);
      return this.src[this.pos++] === '}' ? node : undefined;
    }
    if (c === '|') {
      node.choices = this.choices();
      return node.choices ? node : undefined;
    }
    if (c === '/') {
      node.transform = this.transform();
      return node.transform ? node : undefined;
    }
    return undefined;
  }

  /** After `${n|`: options up to `|}`; undefined when malformed or an option is empty. */
  private choices(): string[] | undefined {
    const options: string[] = [];
    let current = '';
    while (this.pos < this.src.length) {
      const c = this.src[this.pos];
      if (c === '\\') {
        current += this.escaped(',|\\');
      } else if (c === ',' || c === '|') {
        this.pos++;
        if (current === '') return undefined;
        options.push(current);
        current = '';
        if (c === '|') return this.src[this.pos++] === '}' ? options : undefined;
      } else {
        current += c;
        this.pos++;
      }
    }
    return undefined;
  }

  /** After `${x/`: `regex/format/flags}`. */
  private transform(): Transform | undefined {
    const regex = this.until('/');
    if (regex === undefined) return undefined;
    const format = this.format();
    if (format === undefined) return undefined;
    const flags = this.until('}');
    return flags === undefined ? undefined : { regex, flags, format };
  }

  /** Raw text up to an unescaped `stop` (consumed); `\/` yields `/`. */
  private until(stop: string): string | undefined {
    let out = '';
    while (this.pos < this.src.length) {
      const c = this.src[this.pos];
      if (c === stop) {
        this.pos++;
        return out;
      }
      if (c === '\\' && this.src[this.pos + 1] === '/') {
        out += '/';
        this.pos += 2;
      } else {
        out += c;
        this.pos++;
      }
    }
    return undefined;
  }

  private format(): FormatPart[] | undefined {
    const parts: FormatPart[] = [];
    while (this.pos < this.src.length) {
      const c = this.src[this.pos];
      if (c === '/') {
        this.pos++;
        return parts;
      }
      const ref = c === '$' ? this.formatRef() : undefined;
      if (ref) parts.push(ref);
      else if (c === '\\') parts.push(this.escaped('/$}\\'));
      else parts.push(this.src[this.pos++]);
    }
    return undefined;
  }

  /** `$n`, `${n}`, `${n:/upcase}`, `${n:+if}`, `${n:?if:else}`, `${n:-else}`, `${n:else}`. */
  private formatRef(): FormatPart | undefined {
    const m = /\$(?:([0-9]+)|\{([0-9]+)(?::(\/(?:upcase|downcase|capitalize)|\+[^}]*|\?[^:}]*:[^}]*|-?[^}]*))?\})/y;
    m.lastIndex = this.pos;
    const hit = m.exec(this.src);
    if (!hit) return undefined;
    this.pos = m.lastIndex;
    const group = Number(hit[1] ?? hit[2]);
    const mod = hit[3];
    if (mod === undefined) return { group };
    if (mod.startsWith('/')) return { group, op: mod.slice(1) as 'upcase' | 'downcase' | 'capitalize' };
    if (mod.startsWith('+')) return { group, ifSet: mod.slice(1), ifUnset: '' };
    if (mod.startsWith('?')) {
      const [ifSet, ifUnset] = mod.slice(1).split(':');
      return { group, ifSet, ifUnset };
    }
    return { group, ifUnset: mod.startsWith('-') ? mod.slice(1) : mod };
  }

  private match(re: RegExp): string | undefined {
    re.lastIndex = this.pos;
    const hit = re.exec(this.src);
    if (!hit) return undefined;
    this.pos = re.lastIndex;
    return hit[0];
  }
}

export function parseSnippet(body: string | string[]): SnippetNode[] {
  return new SnippetParser(Array.isArray(body) ? body.join('\n') : body).parse();
}

// ---------------------------------------------------------------------------------------------
// Expansion

/** Values for the editor variables, chosen to look like a driver source being edited. */
export function defaultVariables(now = new Date()): Record<string, string | undefined> {
  const pad = (n: number) => String(n).padStart(2, '0');
  const month = now.toLocaleString('en-US', { month: 'long' });
  const day = now.toLocaleString('en-US', { weekday: 'long' });
  return {
    TM_SELECTED_TEXT: undefined, TM_CURRENT_LINE: '', TM_CURRENT_WORD: undefined,
    TM_LINE_INDEX: '0', TM_LINE_NUMBER: '1',
    TM_FILENAME: 'driver.c', TM_FILENAME_BASE: 'driver', TM_DIRECTORY: '/src/driver',
    TM_FILEPATH: '/src/driver/driver.c', RELATIVE_FILEPATH: 'driver/driver.c',
    CLIPBOARD: undefined, WORKSPACE_NAME: 'driver', WORKSPACE_FOLDER: '/src',
    CURSOR_INDEX: '0', CURSOR_NUMBER: '1',
    CURRENT_YEAR: String(now.getFullYear()), CURRENT_YEAR_SHORT: String(now.getFullYear()).slice(-2),
    CURRENT_MONTH: pad(now.getMonth() + 1), CURRENT_MONTH_NAME: month, CURRENT_MONTH_NAME_SHORT: month.slice(0, 3),
    CURRENT_DATE: pad(now.getDate()), CURRENT_DAY_NAME: day, CURRENT_DAY_NAME_SHORT: day.slice(0, 3),
    CURRENT_HOUR: pad(now.getHours()), CURRENT_MINUTE: pad(now.getMinutes()), CURRENT_SECOND: pad(now.getSeconds()),
    CURRENT_SECONDS_UNIX: String(Math.floor(now.getTime() / 1000)),
    CURRENT_TIMEZONE_OFFSET: '+00:00',
    RANDOM: String(Math.floor(Math.random() * 1e6)).padStart(6, '0'),
    RANDOM_HEX: Math.floor(Math.random() * 0x1000000).toString(16).padStart(6, '0'),
    UUID: randomUUID(),
    LINE_COMMENT: '//', BLOCK_COMMENT_START: '/*', BLOCK_COMMENT_END: '*/',
  };
}

/**
 * The text the editor inserts when every placeholder keeps its default: the first placeholder of
 * an index that has a value gives it to every occurrence of that index (mirrors), a choice gives
 * its first option, tabstops without a value (`$0`, `$1`) are empty, variables take `variables`
 * (defaults: {@link defaultVariables}); an unknown variable inserts its own name, a known one with
 * no value its default or nothing. Transforms are applied, as when the user tabs past them.
 */
export function expandSnippet(body: string | string[], variables: Record<string, string | undefined> = {}): string {
  const vars = { ...defaultVariables(), ...variables };
  const nodes = parseSnippet(body);
  const values = new Map<number, SnippetNode[] | string>();
  collectDefaults(nodes, values);
  return render(nodes, { vars, values, depth: 0 });
}

function collectDefaults(nodes: SnippetNode[], values: Map<number, SnippetNode[] | string>): void {
  for (const node of nodes) {
    if (node.kind === 'text') continue;
    if (node.kind === 'tabstop' && !values.has(node.index)) {
      if (node.choices) values.set(node.index, node.choices[0]);
      else if (node.children.length > 0) values.set(node.index, node.children);
    }
    if (node.children) collectDefaults(node.children, values);
  }
}

interface RenderState {
  vars: Record<string, string | undefined>;
  values: Map<number, SnippetNode[] | string>;
  depth: number;
}

const MAX_DEPTH = 32;

function render(nodes: SnippetNode[], state: RenderState): string {
  if (state.depth > MAX_DEPTH) return '';
  const inner = { ...state, depth: state.depth + 1 };
  let out = '';
  for (const node of nodes) {
    if (node.kind === 'text') out += node.value;
    else if (node.kind === 'tabstop') out += applyTransform(tabstopValue(node.index, inner), node.transform);
    else out += variableValue(node, inner);
  }
  return out;
}

function tabstopValue(index: number, state: RenderState): string {
  const value = state.values.get(index);
  if (value === undefined) return '';
  return typeof value === 'string' ? value : render(value, state);
}

function variableValue(node: Extract<SnippetNode, { kind: 'variable' }>, state: RenderState): string {
  const known = Object.prototype.hasOwnProperty.call(state.vars, node.name);
  const value = state.vars[node.name];
  if (value !== undefined && value !== '') return applyTransform(value, node.transform);
  if (node.children) return render(node.children, state);
  if (!known) return node.name;
  return applyTransform(value ?? '', node.transform);
}

function applyTransform(value: string, transform: Transform | undefined): string {
  if (!transform) return value;
  let regex: RegExp;
  try {
    regex = new RegExp(transform.regex, transform.flags);
  } catch {
    return value;
  }
  let matched = false;
  const result = value.replace(regex, (...args: unknown[]) => {
    matched = true;
    const groups = args.slice(0, -2).map((g) => (typeof g === 'string' ? g : ''));
    return formatWith(transform.format, groups);
  });
  const hasElse = transform.format.some((p) => typeof p !== 'string' && p.ifUnset !== undefined);
  return !matched && hasElse ? formatWith(transform.format, []) : result;
}

function formatWith(parts: FormatPart[], groups: string[]): string {
  return parts
    .map((part) => {
      if (typeof part === 'string') return part;
      const value = groups[part.group] ?? '';
      if (part.op === 'upcase') return value.toUpperCase();
      if (part.op === 'downcase') return value.toLowerCase();
      if (part.op === 'capitalize') return value.charAt(0).toUpperCase() + value.slice(1);
      if (part.ifSet !== undefined) return value ? part.ifSet : (part.ifUnset ?? '');
      if (part.ifUnset !== undefined) return value || part.ifUnset;
      return value;
    })
    .join('');
}

// ---------------------------------------------------------------------------------------------
// Where each snippet of snippets/ecp.json belongs, and a realistic file around it

/** The kind of code a snippet expands into, and so what surrounds it in a real driver. */
export type SnippetHost =
  | 'file' // file scope: declarations and whole functions
  | 'flt-create' // body of a minifilter routine that opens a file with FltCreateFileEx2
  | 'io-create' // body of a kernel routine that opens a file with IoCreateFileEx
  | 'flt-pre-create' // body of a minifilter pre-create (or post-create) callback
  | 'irp-create' // body of a legacy filter IRP_MJ_CREATE dispatch routine
  | 'owned-list'; // body of a routine working on an ECP list the driver owns

export interface SnippetPlacement {
  scope: 'file' | 'statement';
  host: SnippetHost;
  /** File-scope snippets whose declarations the statement snippet uses (expanded before it). */
  uses?: string[];
  /** The snippet declares the context type, GUID and pool tag itself. */
  declaresEcpType?: boolean;
}

/** Keyed by snippet name (the key in snippets/ecp.json); VS Code allows no extra field there. */
export const SNIPPET_PLACEMENT: Readonly<Record<string, SnippetPlacement>> = {
  'ECP: attach to a new create (FltMgr, goto Cleanup)': { scope: 'statement', host: 'flt-create' },
  'ECP: attach to a new create (FltMgr, early return)': { scope: 'statement', host: 'flt-create' },
  'ECP: attach to a new create (FsRtl and IoCreateFileEx, goto Cleanup)': { scope: 'statement', host: 'io-create' },
  'ECP: attach to a new create (FsRtl and IoCreateFileEx, early return)': { scope: 'statement', host: 'io-create' },
  'ECP: attach to a new create (FltMgr, ECP from a lookaside list)': {
    scope: 'statement',
    host: 'flt-create',
    uses: ['ECP: lookaside list (FltMgr globals, init and delete)'],
  },
  'ECP: lookaside list (FltMgr globals, init and delete)': { scope: 'file', host: 'file' },
  'ECP: attach to the create in flight (FltMgr pre-create)': { scope: 'statement', host: 'flt-pre-create' },
  'ECP: attach to the create in flight (FsRtl, IRP_MJ_CREATE dispatch)': { scope: 'statement', host: 'irp-create' },
  'ECP: find and acknowledge (FltMgr pre- or post-create)': { scope: 'statement', host: 'flt-pre-create' },
  'ECP: find and acknowledge (FsRtl, IRP_MJ_CREATE)': { scope: 'statement', host: 'irp-create' },
  'ECP: new ECP type': { scope: 'file', host: 'file', declaresEcpType: true },
  'ECP: cleanup callback': { scope: 'file', host: 'file' },
  'ECP: remove and free (FltMgr)': { scope: 'statement', host: 'owned-list' },
  'ECP: remove and free (FsRtl)': { scope: 'statement', host: 'owned-list' },
};

export interface SnippetDefinition {
  prefix: string;
  description: string;
  body: string | string[];
}

/** The snippets contributed for C and C++. */
export const ECP_SNIPPETS: Readonly<Record<string, SnippetDefinition>> = ecpSnippetFile;

const PREAMBLE = `#include <fltKernel.h>

PFLT_FILTER gFilterHandle;
`;

/** What the statement snippets' defaults refer to, as `ecp-type` would have declared it. */
const ECP_TYPE_DECLARATIONS = `typedef struct _CONTOSO_ECP_CONTEXT {
    USHORT Size;
    USHORT Reserved;
    ULONG Flags;
} CONTOSO_ECP_CONTEXT, *PCONTOSO_ECP_CONTEXT;

DEFINE_GUID(GUID_ECP_CONTOSO,
    0x78b959b3, 0xc3f8, 0x44ac, 0x9c, 0x90, 0x69, 0xb5, 0xe4, 0x1d, 0x92, 0xa0);

#define CONTOSO_ECP_TAG 'pcEx'
`;

const HOSTS: Record<Exclude<SnippetHost, 'file'>, { head: string; tail: string; globals?: string }> = {
  'flt-create': {
    head: `_IRQL_requires_(PASSIVE_LEVEL)
NTSTATUS
ContosoOpenWithEcp(
    _In_ PFLT_INSTANCE Instance,
    _In_ POBJECT_ATTRIBUTES ObjectAttributes
    )
{`,
    tail: '}',
  },
  'io-create': {
    head: `_IRQL_requires_(PASSIVE_LEVEL)
NTSTATUS
ContosoOpenWithEcp(
    _In_ POBJECT_ATTRIBUTES ObjectAttributes
    )
{`,
    tail: '}',
  },
  'flt-pre-create': {
    head: `FLT_PREOP_CALLBACK_STATUS
FLTAPI
ContosoPreCreate(
    _Inout_ PFLT_CALLBACK_DATA Data,
    _In_ PCFLT_RELATED_OBJECTS FltObjects,
    _Flt_CompletionContext_Outptr_ PVOID *CompletionContext
    )
{`,
    tail: `
    UNREFERENCED_PARAMETER(FltObjects);
    *CompletionContext = NULL;
    return FLT_PREOP_SUCCESS_NO_CALLBACK;
}`,
  },
  'irp-create': {
    globals: 'PDEVICE_OBJECT gLowerDeviceObject;\n',
    head: `NTSTATUS
ContosoDispatchCreate(
    _In_ PDEVICE_OBJECT DeviceObject,
    _Inout_ PIRP Irp
    )
{`,
    tail: `
    UNREFERENCED_PARAMETER(DeviceObject);
    IoSkipCurrentIrpStackLocation(Irp);
    return IoCallDriver(gLowerDeviceObject, Irp);
}`,
  },
  'owned-list': {
    head: `_IRQL_requires_max_(APC_LEVEL)
VOID
ContosoDropEcp(
    _Inout_ PECP_LIST EcpList
    )
{`,
    tail: '}',
  },
};

function placementOf(name: string): SnippetPlacement {
  const placement = SNIPPET_PLACEMENT[name];
  if (!placement) throw new Error(`no placement recorded for snippet "${name}"`);
  return placement;
}

/** Indents a statement-level expansion one level (tabs become four spaces, as in the wrapper). */
function indentBody(expanded: string): string {
  return expanded
    .split('\n')
    .map((line) => (line.trim() === '' ? '' : `    ${line.replace(/^\t+/, (t) => '    '.repeat(t.length))}`))
    .join('\n');
}

/**
 * A whole source file around an expanded snippet: the includes and globals a minifilter has, the
 * declarations the snippet's defaults refer to, and for a statement snippet the function it goes in.
 */
export function wrapSnippet(name: string, expanded: string): string {
  const placement = placementOf(name);
  const parts = [PREAMBLE];
  if (!placement.declaresEcpType) parts.push(ECP_TYPE_DECLARATIONS);
  for (const used of placement.uses ?? []) parts.push(expandSnippet(ECP_SNIPPETS[used].body) + '\n');
  if (placement.host === 'file') {
    parts.push(expanded.replace(/^\t+/gm, (t) => '    '.repeat(t.length)) + '\n');
    return parts.join('\n');
  }
  const host = HOSTS[placement.host];
  if (host.globals) parts.push(host.globals);
  parts.push(`${host.head}\n${indentBody(expanded)}\n${host.tail}\n`);
  return parts.join('\n');
}

/** One realistic source per snippet, defaults accepted: what the analysis should report clean. */
export function snippetSources(
  snippets: Readonly<Record<string, SnippetDefinition>> = ECP_SNIPPETS,
): { name: string; prefix: string; source: string }[] {
  return Object.entries(snippets).map(([name, snippet]) => ({
    name,
    prefix: snippet.prefix,
    source: wrapSnippet(name, expandSnippet(snippet.body)),
  }));
}
