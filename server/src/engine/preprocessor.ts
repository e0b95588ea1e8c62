/**
 * Choosing `#if` arms as the compiler would, when the build configuration says which names are
 * defined. Three-valued: a condition is true, false or unknown, and an unknown condition keeps the
 * old behaviour (every arm is explored). "Not defined" counts as false only when the file's
 * configuration is known (a compile database entry or -D on the command line), never for names
 * the implementation or the WDK headers define (we do not read those), and never for a name the
 * file or its headers define.
 */
import { nameWords, withoutComments } from '../util/codeText';
import { sha1Hex } from '../util/hash';
import type { Node } from '../parsing/parser';
import type { SourceLanguage } from '../parsing/parser';

/** What the build says about one file (from the compile database and the command line). */
export interface BuildFacts {
  /** NAME → replacement text (`-DNAME` is `1`). */
  defines: Map<string, string>;
  /** Names undefined with `-U`. */
  undefs: Set<string>;
  /** The defines are the file's whole configuration: a name not among them is not defined. */
  known: boolean;
  /** The language the build compiles the file as, when it says. */
  language?: SourceLanguage;
  /** Headers included before the file's first line (`-include`, `/FI`), absolute paths. */
  forcedIncludes: string[];
  /** Changes whenever anything above (or the include paths) changes: part of every cache key. */
  key: string;
}

/** A `#define` or `#undef` seen in a text, with its offset and replacement (undefined for function-like). */
interface DefineSite {
  offset: number;
  value: string | undefined;
}

const DEFINE = /^[ \t]*#[ \t]*(define|undef)[ \t]+([A-Za-z_]\w*)(\()?((?:[^\n\\]|\\\r?\n|\\)*)/gm;

/**
 * A function of a whole text, remembered for the last texts seen: headers and program files are
 * scanned by every analysis that includes or calls them, and their texts rarely change.
 */
function byText<T>(scan: (text: string) => T): (text: string) => T {
  const memo = new Map<string, T>();
  return (text) => {
    let value = memo.get(text);
    if (value === undefined) {
      value = scan(text);
      if (memo.size >= 256) memo.delete(memo.keys().next().value!);
      memo.set(text, value);
    }
    return value;
  };
}

/** The `#define`s and `#undef`s of a text, by name (the result is shared: do not change it). */
export const definesOf = byText(scanDefines);

function scanDefines(text: string): { defines: Map<string, DefineSite[]>; undefs: Set<string> } {
  const defines = new Map<string, DefineSite[]>();
  const undefs = new Set<string>();
  for (const m of text.matchAll(DEFINE)) {
    const name = m[2];
    if (m[1] === 'undef') {
      undefs.add(name);
      continue;
    }
    const value = m[3] ? undefined : withoutComments(m[4].replace(/\\\r?\n/g, ' ')).trim();
    let list = defines.get(name);
    if (!list) defines.set(name, (list = []));
    list.push({ offset: m.index!, value: value === '' ? '' : value });
  }
  return { defines, undefs };
}

/**
 * Names the compiler or the WDK headers define (which ECP Lens does not read): never taken as
 * "not defined", whatever the configuration says, unless the configuration defines them.
 */
const IMPLEMENTATION_NAMES = /^(_|(SL|IRP|IRP_MJ|IRP_MN|FILE|FO|FSRTL|FLT|FLTFL|IO|STATUS|ECP|OBJ|KE|EX|MM|PS|RTL|SE|TOKEN|IOCTL|FSCTL|METHOD|DEVICE|DO|VPB|MAXIMUM|SYMBOLIC|GUID|SECURITY|ACCESS|SYNCHRONIZE|GENERIC|OPLOCK|KERNEL|PAGE|MEM|NonPaged|Paged)_|NTDDI_|WINVER$|WIN32_|NTDDK|FLT_MGR_|FLTMGR|ALLOC_(DATA_)?PRAGMA$|POOL_|NT_|MIDL_|RC_INVOKED$|UNICODE$|DBG$|WDK_|KMDF_|UMDF_|WPP_|EVENT_TRACING$|NONAMELESSUNION$|DEPRECATE_)/;

/** Headers of the WDK, the SDK and the C runtime: never read (the catalog knows their routines). */
const SYSTEM_HEADERS = new Set([
  'fltkernel.h', 'ntifs.h', 'ntddk.h', 'wdm.h', 'ntdef.h', 'ntstatus.h', 'ntstrsafe.h', 'ntintsafe.h', 'wdf.h', 'wdmsec.h',
  'ntddstor.h', 'ntdddisk.h', 'mountdev.h', 'mountmgr.h', 'ntimage.h', 'bcrypt.h', 'ksecdd.h', 'wdmguid.h', 'initguid.h',
  'guiddef.h', 'dontuse.h', 'suppress.h', 'sal.h', 'specstrings.h', 'driverspecs.h', 'sdkddkver.h', 'ntverp.h', 'windef.h',
  'windows.h', 'winioctl.h', 'winnt.h', 'wmilib.h', 'wmistr.h', 'evntrace.h', 'aux_klib.h', 'ntddser.h', 'fltuser.h', 'fltuserstructures.h',
  'stdio.h', 'stdlib.h', 'string.h', 'stdarg.h', 'stddef.h', 'stdint.h', 'stdbool.h', 'limits.h', 'wchar.h', 'ctype.h', 'assert.h',
  'malloc.h', 'memory.h', 'intrin.h', 'excpt.h', 'crtdefs.h', 'vcruntime.h',
]);

/** A header of the WDK, the SDK or the C runtime (by name): never read, the catalog stands in. */
export function isSystemHeader(name: string): boolean {
  const spelled = name.toLowerCase().replace(/\\/g, '/');
  return SYSTEM_HEADERS.has(spelled.replace(/^.*\//, '')) || SYSTEM_HEADER_NAMES.test(spelled);
}

/** Families of WDK, SDK, CRT and compiler headers: `ntddscsi.h`, `storport.h`, `sys/stat.h`, `cpuid.h`, `immintrin.h`... */
const SYSTEM_HEADER_NAMES = /^(ntdd\w*|nt\w*api|ata|srb|scsi|storport|storduid|ioevent|diskguid|devguid|devpkey|devpropdef|wdmguid|procgrp|bugcodes|ntiologc|ndis|netioapi|wsk|fwps?k|fwpmk|usb\w*|hidport|hidpddi|wmikm|wdf\w*|iddcx|cpuid|\w*intrin|sys\/\w+|crt\/\w+)\.h$/;

/** The headers a text includes that are not WDK, SDK or CRT headers (by name). */
export const projectIncludesOf = byText((text: string): string[] => {
  return [...text.matchAll(/^[ \t]*#[ \t]*include[ \t]*["<]([^">\n]+)[">]/gm)].map((m) => m[1]).filter((name) => !isSystemHeader(name));
});

/** The text of every conditional directive of a text. */
const conditionsOf = byText((text: string): string[] => [...text.matchAll(/^[ \t]*#[ \t]*(?:if|ifdef|ifndef|elif|elifdef|elifndef)\b((?:[^\n\\]|\\\r?\n|\\)*)/gm)].map((m) => m[1]));

/** One text's view: the build, the text's own defines (positional) and those of the other texts. */
export class PpScope {
  private readonly own: ReturnType<typeof definesOf>;

  constructor(
    readonly build: BuildFacts,
    /** The original text (not the masked one the tree was parsed from: masking blanks names like `_AMD64_`). */
    private readonly text: string,
    /** Defined in the headers the file includes: defined wherever they are asked about. */
    private readonly headers: ReturnType<typeof definesOf>,
    /** Defined in texts whose order relative to this one is unclear (the including file): never decided. */
    private readonly unordered: ReadonlySet<string> = new Set(),
    /**
     * Project headers the file includes that were not found: a name they may define cannot be
     * taken as not defined, so then only what is defined decides.
     */
    readonly missingHeaders: readonly string[] = [],
  ) {
    this.own = definesOf(text);
  }

  get key(): string {
    return this.build.key;
  }

  /** The directive's first logical line as written (continuations joined). */
  directiveAt(node: Node): string {
    return this.directiveAtOffset(node.startIndex, node.endIndex);
  }

  /** The directive starting at `offset` of the text (first logical line, up to `end`). */
  directiveAtOffset(offset: number, end = offset + 4096): string {
    const m = /^(?:[^\n\\]|\\\r?\n|\\)*/.exec(this.text.slice(offset, Math.min(end, offset + 4096)));
    return (m ? m[0] : '').replace(/\\\r?\n/g, ' ').replace(/\r/g, '');
  }

  /**
   * What decides this text's `#if`s: for each name its conditions use (and the names those
   * names' definitions use), what the build, the headers and the text say of it. Two scopes with
   * one view decide every `#if` alike, so a header shared by many files is parsed once per view,
   * not once per including file.
   */
  get viewKey(): string {
    if (this.view === undefined) {
      const names = this.relevantNames();
      const rows = [...names].sort().map((n) => [n, this.build.defines.get(n) ?? null, this.build.undefs.has(n), this.headers.defines.get(n)?.map((d) => d.value) ?? null, this.headers.undefs.has(n), this.unordered.has(n), this.own.defines.get(n)?.map((d) => d.value) ?? null, this.own.undefs.has(n)]);
      this.view = sha1Hex(JSON.stringify([this.build.known, this.build.language ?? '', this.missingHeaders.length > 0, rows]));
    }
    return this.view;
  }

  /** Identifiers of the text's conditional directives, closed over the definitions they name (bounded). */
  private relevantNames(): Set<string> {
    const names = new Set<string>();
    const queue: string[] = [];
    const add = (text: string | undefined) => {
      for (const id of nameWords(text ?? '')) {
        if (names.has(id) || names.size >= 512) continue;
        names.add(id);
        queue.push(id);
      }
    };
    for (const condition of conditionsOf(this.text)) add(condition);
    while (queue.length > 0) {
      const n = queue.shift()!;
      add(this.build.defines.get(n));
      for (const d of [...(this.headers.defines.get(n) ?? []), ...(this.own.defines.get(n) ?? [])]) add(d.value);
    }
    return names;
  }

  private view: string | undefined;

  /** Whether NAME is defined at `offset` of this text; undefined when that cannot be told. */
  defined(name: string, offset: number): boolean | undefined {
    if (this.own.undefs.has(name) || this.headers.undefs.has(name) || this.unordered.has(name)) return undefined;
    const own = this.own.defines.get(name);
    if (this.headers.defines.has(name) || own?.some((d) => d.offset < offset)) return true;
    if (this.build.defines.has(name)) return true;
    if (name === '__cplusplus' && this.build.known && this.build.language) return this.build.language === 'cpp';
    if (this.build.undefs.has(name)) return own ? undefined : false;
    if (!this.build.known || this.missingHeaders.length > 0 || IMPLEMENTATION_NAMES.test(name)) return undefined;
    // Defined only further down this text (an include guard): not defined yet here.
    return false;
  }

  /** The integer value of NAME at `offset` (0 when not defined, as `#if` reads it). */
  value(name: string, offset: number, depth: number): number | undefined {
    const state = this.defined(name, offset);
    if (state === false) return 0;
    if (state === undefined || depth > 8) return undefined;
    const before = this.own.defines.get(name)?.filter((d) => d.offset < offset) ?? [];
    const fromHeaders = this.headers.defines.get(name) ?? [];
    // Several header definitions that disagree: which one holds here is not known.
    if (before.length === 0 && new Set(fromHeaders.map((d) => d.value)).size > 1) return undefined;
    const site = before.at(-1) ?? fromHeaders.at(-1);
    const text = site ? site.value : this.build.defines.get(name);
    if (text === undefined) return undefined;
    return evaluate(text, this, offset, depth + 1);
  }
}

/**
 * Whether the arm of a `#if`/`#ifdef`/`#ifndef`/`#elif`/`#elifdef` node is taken: true, false, or
 * undefined when the configuration does not tell. Without a scope only the literal `0`/`1` decide.
 */
export function ppArmTaken(node: Node, scope: PpScope | undefined): boolean | undefined {
  if (!scope) {
    if (node.type !== 'preproc_if' && node.type !== 'preproc_elif') return undefined;
    const text = node.childForFieldName('condition')?.text.trim();
    return text === '0' || text === 'FALSE' ? false : text === '1' || text === 'TRUE' ? true : undefined;
  }
  // Read from the text as written: the tree's text is masked.
  return directiveTaken(scope.directiveAt(node), scope, node.startIndex);
}

/**
 * Whether the arm of the conditional directive at `offset` of the scope's text is taken (for text
 * the grammar could not read as a conditional, e.g. inside an initialiser it could not parse).
 */
export function ppDirectiveTaken(scope: PpScope, offset: number): boolean | undefined {
  return directiveTaken(scope.directiveAtOffset(offset), scope, offset);
}

function directiveTaken(written: string, scope: PpScope, offset: number): boolean | undefined {
  const directive = written.trimStart();
  const ifdef = /^#\s*(ifdef|ifndef|elifdef|elifndef)\s+([A-Za-z_]\w*)\s*(?:\/[/*].*)?$/.exec(directive);
  if (ifdef) {
    const d = scope.defined(ifdef[2], offset);
    return d === undefined ? undefined : ifdef[1].endsWith('ndef') ? !d : d;
  }
  const cond = /^#\s*(?:el)?if\b(.*)$/.exec(directive);
  if (!cond || /^#\s*(?:el)?if(n?def)/.test(directive)) return undefined;
  const v = evaluate(cond[1], scope, offset, 0);
  return v === undefined ? undefined : v !== 0;
}


type Token = { kind: 'num'; value: number } | { kind: 'id'; text: string } | { kind: 'op'; text: string };

const TOKEN = /\s*(?:(0[xX][0-9a-fA-F]+|0[bB][01]+|\d+)(?:[uUlL]|i64|ui64)*|([A-Za-z_]\w*)|'(\\.|[^'\\])'|(<<|>>|<=|>=|==|!=|&&|\|\||[-+*/%<>!~&|^?:(),]))/y;

function tokenize(text: string): Token[] | undefined {
  const tokens: Token[] = [];
  const src = withoutComments(text).replace(/\\\r?\n/g, ' ');
  TOKEN.lastIndex = 0;
  let at = 0;
  while (at < src.length) {
    if (/^\s*$/.test(src.slice(at))) break;
    TOKEN.lastIndex = at;
    const m = TOKEN.exec(src);
    if (!m) return undefined;
    at = TOKEN.lastIndex;
    if (m[1] !== undefined) tokens.push({ kind: 'num', value: parseInteger(m[1]) });
    else if (m[2] !== undefined) tokens.push({ kind: 'id', text: m[2] });
    else if (m[3] !== undefined) tokens.push({ kind: 'num', value: charValue(m[3]) });
    else tokens.push({ kind: 'op', text: m[4] });
  }
  return tokens;
}

function parseInteger(text: string): number {
  if (/^0[bB]/.test(text)) return parseInt(text.slice(2), 2);
  if (/^0[0-7]+$/.test(text)) return parseInt(text, 8);
  return Number(text);
}

function charValue(body: string): number {
  const escapes: Record<string, number> = { n: 10, t: 9, r: 13, '0': 0, '\\': 92, "'": 39 };
  return body.length === 2 ? escapes[body[1]] ?? body.charCodeAt(1) : body.charCodeAt(0);
}

const BINARY: Record<string, number> = { '||': 1, '&&': 2, '|': 3, '^': 4, '&': 5, '==': 6, '!=': 6, '<': 7, '>': 7, '<=': 7, '>=': 7, '<<': 8, '>>': 8, '+': 9, '-': 9, '*': 10, '/': 10, '%': 10 };

/** Evaluates an `#if` expression; undefined when any part that decides it is unknown or unreadable. */
export function evaluate(text: string, scope: PpScope, offset: number, depth: number): number | undefined {
  const tokens = tokenize(text);
  if (!tokens || tokens.length === 0) return undefined;
  const p = new ConditionParser(tokens, scope, offset, depth);
  const v = p.expression(0);
  return p.failed || p.at !== tokens.length ? undefined : v;
}

class ConditionParser {
  at = 0;
  failed = false;
  constructor(private readonly tokens: Token[], private readonly scope: PpScope, private readonly offset: number, private readonly depth: number) {}

  private peek(): Token | undefined {
    return this.tokens[this.at];
  }

  private isOp(text: string): boolean {
    const t = this.peek();
    return t?.kind === 'op' && t.text === text;
  }

  private expect(text: string): void {
    if (this.isOp(text)) this.at++;
    else this.failed = true;
  }

  expression(minPrec: number): number | undefined {
    let left = this.unary();
    for (;;) {
      if (this.failed) return undefined;
      const t = this.peek();
      if (t?.kind !== 'op') return left;
      if (t.text === '?' && minPrec === 0) {
        this.at++;
        const yes = this.expression(0);
        this.expect(':');
        const no = this.expression(0);
        if (left === undefined) return yes !== undefined && yes === no ? yes : undefined;
        return left !== 0 ? yes : no;
      }
      const prec = BINARY[t.text];
      if (prec === undefined || prec < minPrec) return left;
      this.at++;
      const right = this.expression(prec + 1);
      left = binary(t.text, left, right);
    }
  }

  private unary(): number | undefined {
    const t = this.peek();
    if (!t) {
      this.failed = true;
      return undefined;
    }
    this.at++;
    if (t.kind === 'num') return t.value;
    if (t.kind === 'op') {
      if (t.text === '(') {
        const v = this.expression(0);
        this.expect(')');
        return v;
      }
      const operand = this.unary();
      if (operand === undefined) return undefined;
      if (t.text === '!') return operand === 0 ? 1 : 0;
      if (t.text === '-') return -operand;
      if (t.text === '+') return operand;
      if (t.text === '~') return ~operand;
      this.failed = true;
      return undefined;
    }
    if (t.text === 'defined') return this.definedOperator();
    if (this.isOp('(')) return this.skipCall();
    if (t.text === 'true' || t.text === 'TRUE') return 1;
    if (t.text === 'false' || t.text === 'FALSE') return 0;
    return this.scope.value(t.text, this.offset, this.depth);
  }

  private definedOperator(): number | undefined {
    const paren = this.isOp('(');
    if (paren) this.at++;
    const name = this.peek();
    if (name?.kind !== 'id') {
      this.failed = true;
      return undefined;
    }
    this.at++;
    if (paren) this.expect(')');
    const d = this.scope.defined(name.text, this.offset);
    return d === undefined ? undefined : d ? 1 : 0;
  }

  /** A function-like macro call (`NTDDI_VERSION_FROM(x)`): its value is not known. */
  private skipCall(): undefined {
    let depth = 0;
    do {
      const t = this.tokens[this.at++];
      if (!t) {
        this.failed = true;
        return undefined;
      }
      if (t.kind === 'op' && t.text === '(') depth++;
      if (t.kind === 'op' && t.text === ')') depth--;
    } while (depth > 0);
    return undefined;
  }
}

function binary(op: string, l: number | undefined, r: number | undefined): number | undefined {
  if (op === '&&') return l === 0 || r === 0 ? 0 : l === undefined || r === undefined ? undefined : 1;
  if (op === '||') return (l !== undefined && l !== 0) || (r !== undefined && r !== 0) ? 1 : l === undefined || r === undefined ? undefined : 0;
  if (l === undefined || r === undefined) return undefined;
  switch (op) {
    case '|': return l | r;
    case '^': return l ^ r;
    case '&': return l & r;
    case '==': return l === r ? 1 : 0;
    case '!=': return l !== r ? 1 : 0;
    case '<': return l < r ? 1 : 0;
    case '>': return l > r ? 1 : 0;
    case '<=': return l <= r ? 1 : 0;
    case '>=': return l >= r ? 1 : 0;
    case '<<': return l * 2 ** r;
    case '>>': return Math.floor(l / 2 ** r);
    case '+': return l + r;
    case '-': return l - r;
    case '*': return l * r;
    case '/': return r === 0 ? undefined : Math.trunc(l / r);
    case '%': return r === 0 ? undefined : l % r;
    default: return undefined;
  }
}
