/**
 * Masks SAL and driver annotations, calling-convention and export macros with spaces so that
 * tree-sitter-c parses driver prototypes cleanly. Offsets never move: every masked character
 * becomes a space (newlines are kept), so ranges computed on the masked text are ranges in the
 * user's text (a lone CR becomes LF, see `lonelyCrToLf`). The masked annotations are returned so that analysis can still read them (an
 * `_IRQL_requires_(DISPATCH_LEVEL)` on a function matters).
 */

export interface Annotation {
  /** e.g. `_IRQL_requires_max_` */
  name: string;
  /** Text between the parentheses, '' when there are none. */
  args: string;
  start: number;
  end: number;
  /**
   * The text that stands for [start, end) in the masked text, same length; spaces when absent.
   * Only SEH keywords spelled as excpt.h's C macros get one (`try` → `__try`, see `sehKeyword`).
   */
  replacement?: string;
}

/** The masking of C and of C++ differs only where the languages do (`sehKeyword`, `macroAfterString`). */
export type MaskLanguage = 'c' | 'cpp';

export interface MaskResult {
  text: string;
  annotations: Annotation[];
  /**
   * Where a re-scan may not start: each token whose scan read across a line break (a block
   * comment, a continued string, an annotation or cast with arguments on several lines, a failed
   * look for a closing parenthesis), as [start, end of what it read). Sorted, disjoint.
   */
  spans: MaskSpan[];
}

export interface MaskSpan {
  start: number;
  end: number;
}

/** Bare words that decorate declarations and carry no syntax tree-sitter needs. */
const DECORATION_WORDS = new Set([
  'FLTAPI', 'NTAPI', 'NTKERNELAPI', 'NTSYSAPI', 'NTSYSCALLAPI', 'NTHALAPI', 'WINAPI', 'CALLBACK',
  'FASTCALL', 'DECLSPEC_NOINLINE', 'DECLSPEC_NORETURN', 'DECLSPEC_IMPORT', 'DECLSPEC_EXPORT',
  'EXTERN_C', 'EXTERN_C_START', 'EXTERN_C_END', 'FORCEINLINE', 'NTAPI_INLINE', 'DECLSPEC_CACHEALIGN', 'CFORCEINLINE',
  '__stdcall', '__cdecl', '__fastcall', '__forceinline', '__inline',
  'IN', 'OUT', 'OPTIONAL', 'UNALIGNED', '__drv_aliasesMem', '__drv_freesMem', '__drv_allocatesMem',
]);

/**
 * Modern SAL: `_In_`, `_Outptr_result_maybenull_`, `_IRQL_requires_max_(APC_LEVEL)`,
 * `_When_(a, b)`, `_Flt_CompletionContext_Outptr_` — a leading underscore and capital, a trailing
 * underscore. Legacy SAL: `__in`, `__out_opt`, `__drv_maxIRQL(APC_LEVEL)`, `__in_bcount(n)`, and the
 * legacy pointer properties written on locals as well as parameters (`__notnull PFCB Fcb = ...;`,
 * `__maybenull`, `__readonly`): left in a function body they make the declaration an ERROR.
 */
const SAL_MODERN = /^_[A-Z][A-Za-z0-9_]*_$/;
const SAL_LEGACY = /^__(in|out|inout|deref|drv|checkReturn|success|bcount|ecount|field|post|pre|range|nullterminated|nullnullterminated|reserved|typefix|notnull|maybenull|readonly|valid|notvalid|format_string)(_[A-Za-z0-9_]*)?$/;

/** How far an annotation's argument list may reach; a typo must not mask the rest of the file. */
const MAX_ARG_SPAN = 400;

export function isAnnotationWord(word: string): boolean {
  return DECORATION_WORDS.has(word) || SAL_MODERN.test(word) || SAL_LEGACY.test(word);
}

export function maskAnnotations(original: string, lang: MaskLanguage = 'c'): MaskResult {
  const source = lonelyCrToLf(original);
  const annotations: Annotation[] = [];
  const spans: MaskSpan[] = [];
  scanMask(source, 0, -1, undefined, annotations, spans, lang);
  return { text: annotations.length > 0 ? blankSpans(source, annotations) : source, annotations, spans };
}

/** End (exclusive) of what the last argument or cast scan read; set by matchParen and cppCast. */
let readUpTo = 0;

/**
 * The masking scan from `from` (a token boundary) to the end of the text, or to the first line
 * start after `stopAfter` that `canStop` accepts (returned). The scan's state between tokens is its
 * position alone, and a token reads only forward (and the one character before it), which is what
 * lets an edit re-scan a few lines (remask.ts).
 */
export function scanMask(source: string, from: number, stopAfter: number, canStop: ((at: number) => boolean) | undefined, annotations: Annotation[], spans: MaskSpan[], lang: MaskLanguage = 'c'): number {
  const n = source.length;
  let i = from;
  while (i < n) {
    const c = source.charCodeAt(i);
    if (canStop && i > stopAfter && source.charCodeAt(i - 1) === 10 && canStop(i)) return i;
    if (c === 47 /* / */ && source.charCodeAt(i + 1) === 47) {
      i = endOfLine(source, i);
    } else if (c === 47 && source.charCodeAt(i + 1) === 42 /* * */) {
      const close = source.indexOf('*/', i + 2);
      const end = close < 0 ? n : close + 2;
      noteSpan(source, i, end, spans);
      i = end;
    } else if (c === 34 /* " */ || c === 39 /* ' */) {
      const end = endOfQuoted(source, i);
      noteSpan(source, i, end, spans);
      i = end;
      const macro = c === 34 && lang === 'cpp' ? macroAfterString(source, end) : undefined;
      if (macro) {
        annotations.push(macro);
        i = macro.end;
      }
    } else if (c === 35 /* # */ && CONDITIONAL_DIRECTIVE.test(source.slice(i, i + 10)) && atLineStart(source, i)) {
      // `#ifdef _AMD64_` names a macro, not an annotation: blanking it would empty the directive.
      const end = endOfLogicalLine(source, i);
      noteSpan(source, i, end + 1, spans);
      i = end;
    } else if (c === 35 && PRAGMA.test(source.slice(i, i + 12)) && atLineStart(source, i)) {
      // `if (x)\n#pragma warning(suppress: 28175)\n  y = 1;`: the grammar takes a pragma for a
      // statement of its own, which would leave the `if` without one. Nothing reads pragmas.
      const end = endOfLogicalLine(source, i);
      noteSpan(source, i, end + 1, spans);
      annotations.push({ name: '#pragma', args: source.slice(i, end), start: i, end });
      i = end;
    } else if (isWordStart(c) && (i === 0 || !isWordChar(source.charCodeAt(i - 1)))) {
      let j = i + 1;
      while (j < n && isWordChar(source.charCodeAt(j))) j++;
      // Slicing every word is what makes masking slow; only words that can match are sliced.
      const len = j - i;
      readUpTo = 0;
      const cast = len >= 10 && len <= 16 && CAST_FIRST.has(c) && CPP_CASTS.has(source.slice(i, j)) ? cppCast(source, i, j) : undefined;
      const seh = !cast && lang === 'c' && len >= 3 && len <= 7 && SEH_FIRST.has(c) ? sehKeyword(source, i, j, annotations.length > 0 ? annotations[annotations.length - 1].end : from) : undefined;
      if (cast) {
        annotations.push(cast);
        j = cast.end;
      } else if (seh) {
        annotations.push(seh);
        j = seh.end;
      } else if (c === 95 || (DECORATION_FIRST.has(c) && DECORATION_WORDS.has(source.slice(i, j)))) {
        // Cheap filter first: annotations start with '_' or are one of a few decoration words.
        const word = source.slice(i, j);
        if (isAnnotationWord(word)) {
          const annotation = readAnnotation(source, word, i, j);
          annotations.push(annotation);
          j = annotation.end;
        }
      }
      if (readUpTo > 0) noteSpan(source, i, Math.max(readUpTo, j), spans);
      i = j;
    } else {
      i++;
    }
  }
  return n;
}

/** Records [start, end) when it holds a line start other than `start` itself. */
function noteSpan(source: string, start: number, end: number, spans: MaskSpan[]): void {
  const nl = source.indexOf('\n', start);
  if (nl < 0 || nl + 1 >= end) return;
  const last = spans[spans.length - 1];
  if (last && start < last.end) last.end = Math.max(last.end, end);
  else spans.push({ start, end });
}

/**
 * LSP counts `\n`, `\r\n` and a lone `\r` as line breaks (so do C compilers); tree-sitter counts
 * only `\n`. A lone CR becomes LF in the parsed text (same length, so offsets never move): rows and
 * columns of the tree are then LSP positions, and a `//` comment or `#` line ends where it should.
 */
export function lonelyCrToLf(text: string): string {
  return text.includes('\r') ? text.replace(/\r(?!\n)/g, '\n') : text;
}

/** The source with each annotation's characters replaced by spaces (line breaks kept), or by its replacement. */
export function blankSpans(source: string, spans: Annotation[], from = 0, to = source.length): string {
  const parts: string[] = [];
  let last = from;
  for (const a of spans) {
    parts.push(source.slice(last, a.start));
    const span = source.slice(a.start, a.end);
    parts.push(a.replacement ?? (/[\r\n]/.test(span) ? span.replace(/[^\r\n]/g, ' ') : ' '.repeat(span.length)));
    last = a.end;
  }
  parts.push(source.slice(last, to));
  return parts.join('');
}

/**
 * C++ named casts: `reinterpret_cast<PULONG>(e)` reads as comparisons to a C grammar, so the cast
 * word and its template argument are blanked, leaving `(e)` with its meaning for the analysis.
 */
const CPP_CASTS = new Set(['reinterpret_cast', 'static_cast', 'const_cast', 'dynamic_cast']);
const CAST_FIRST = new Set([...CPP_CASTS].map((w) => w.charCodeAt(0)));
const DECORATION_FIRST = new Set([...DECORATION_WORDS].map((w) => w.charCodeAt(0)));

function cppCast(source: string, start: number, wordEnd: number): Annotation | undefined {
  const open = skipSpaces(source, wordEnd);
  if (source[open] !== '<') return undefined;
  let depth = 0;
  const limit = Math.min(source.length, open + MAX_ARG_SPAN);
  for (let i = open; i < limit; i++) {
    const ch = source[i];
    readUpTo = i + 1;
    if (ch === '<') depth++;
    else if (ch === '>' && --depth === 0) return { name: source.slice(start, wordEnd), args: source.slice(open + 1, i), start, end: i + 1 };
    else if (ch === ';' || ch === '{' || ch === '}' || ch === '(') return undefined;
  }
  return undefined;
}

/**
 * excpt.h spells SEH for C as macros: `try` is `__try`, `except` `__except`, `finally`
 * `__finally`, `leave` `__leave` (not in C++, where `try` is the language's own, with `catch`). The
 * grammar knows only the underscored keywords, so where the shape is that of SEH — `try {` where a
 * statement starts, `} except (filter) {`, `} finally {` — the word is given its two underscores,
 * taken from the blanks around it on its line: between the word and the `}` (or `;`, `{`, `)`, `:`)
 * before it, before that, between the word and the `{` or `(` after it, after that. Only the word
 * and those two punctuation marks move, by at most two columns; every other offset stays. With
 * fewer than two blanks there the word stays and the grammar fails on it (the function is reported
 * as not parsed). `leave;` needs no mask: it parses as a statement, which the engine reads as
 * `__leave` in C (`isSehLeave`).
 */
const SEH_WORDS = new Set(['try', 'except', 'finally']);
const SEH_FIRST = new Set([...SEH_WORDS].map((w) => w.charCodeAt(0)));
const SEH_NEXT: Record<string, string> = { try: '{', finally: '{', except: '(' };

function sehKeyword(source: string, start: number, wordEnd: number, floor: number): Annotation | undefined {
  const word = source.slice(start, wordEnd);
  if (!SEH_WORDS.has(word)) return undefined;
  // What stands before the word on its line: nothing, a punctuation mark that may move, or other text.
  let k = start;
  while (k > 0 && isBlank(source.charCodeAt(k - 1))) k--;
  const first = k === 0 || source[k - 1] === '\n' || source[k - 1] === '\r';
  const mark = first ? '' : source[k - 1];
  const follows = word === 'except' || word === 'finally';
  if (follows ? !first && mark !== '}' : !first && !startsStatement(source, start)) return undefined;
  const next = skipBlanks(source, wordEnd);
  if (source[next] !== SEH_NEXT[word]) return undefined;
  if (word === 'except') {
    const close = matchParen(source, next);
    if (close < 0 || source[skipBlanks(source, close + 1)] !== '{') return undefined;
  }
  // The pieces of the line that may move: [blanks] [mark] [blanks] word [blanks] [token] [blanks],
  // of which only as many blanks as needed are taken, none before `floor` (an earlier annotation).
  const movable = mark !== '' && ';{}):'.includes(mark) && floor <= k - 1;
  const token = skipSpaces(source, wordEnd);
  const onLine = token === next;
  let leftmost = movable ? k - 1 : k;
  while (movable && leftmost > floor && isBlank(source.charCodeAt(leftmost - 1))) leftmost--;
  let need = 2;
  const take = (have: number) => {
    const got = Math.min(have, need);
    need -= got;
    return got;
  };
  const between = start - Math.max(k, floor);
  const takenBetween = take(between);
  const takenBefore = take(movable ? k - 1 - leftmost : 0);
  const inner = token - wordEnd;
  const takenInner = take(inner);
  const takenAfter = take(onLine ? skipSpaces(source, token + 1) - token - 1 : 0);
  if (need > 0) return undefined;
  const lead = takenBefore > 0 ? k - 1 - takenBefore : start - takenBetween;
  const head = takenBefore > 0 ? mark + ' '.repeat(between - takenBetween) : '';
  const tail = takenAfter > 0 ? ' '.repeat(inner - takenInner) + source[token] : '';
  const end = takenAfter > 0 ? token + 1 + takenAfter : wordEnd + takenInner;
  return { name: `__${word}`, args: '', start: lead, end, replacement: `${head}__${word}${tail}` };
}

/**
 * Where a statement starts: first on its line, or after `;`, `{`, `}`, `)`, `:`, a block comment or
 * `else` on its line (`struct try {` declares a tag). The look back stays on the line.
 */
function startsStatement(source: string, start: number): boolean {
  let k = start - 1;
  while (k >= 0 && isBlank(source.charCodeAt(k))) k--;
  if (k < 0 || source[k] === '\n' || source[k] === '\r') return true;
  const ch = source[k];
  if (';{}):'.includes(ch)) return true;
  if (ch === '/' && source[k - 1] === '*') return true;
  return source.slice(k - 3, k + 1) === 'else' && !isWordChar(source.charCodeAt(k - 4));
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9;
}

/** Blanks and line breaks; what it reads across a line break is noted as read (`readUpTo`). */
function skipBlanks(s: string, i: number): number {
  while (i < s.length && (isBlank(s.charCodeAt(i)) || s[i] === '\n' || s[i] === '\r')) i++;
  readUpTo = Math.max(readUpTo, i + 1);
  return i;
}

/**
 * C++ reads `"text" NAME` as a string followed by a stray name (a literal suffix needs no blank),
 * where the name is a macro the compiler pastes in as more string: `L"" PORT_NAME`,
 * `"%" PRIu64 "\n"`. The name, not followed by `(`, and followed by `)`, `,`, `;`, `}` or another
 * string on its line, is blanked: a string the analysis does not need stays a string.
 */
function macroAfterString(source: string, stringEnd: number): Annotation | undefined {
  const start = skipSpaces(source, stringEnd);
  if (start === stringEnd || !isWordStart(source.charCodeAt(start))) return undefined;
  let end = start + 1;
  while (end < source.length && isWordChar(source.charCodeAt(end))) end++;
  const name = source.slice(start, end);
  if (CPP_WORD_OPERATORS.has(name)) return undefined;
  const next = skipSpaces(source, end);
  const ch = source[next];
  const stringNext = ch === '"' || /^(L|u8|u|U)"/.test(source.slice(next, next + 3));
  if (!stringNext && !(ch !== undefined && '),;}'.includes(ch))) return undefined;
  return { name, args: '', start, end };
}

const CPP_WORD_OPERATORS = new Set(['and', 'or', 'not', 'bitand', 'bitor', 'xor', 'compl', 'and_eq', 'or_eq', 'xor_eq', 'not_eq']);

/** `#pragma`, `# pragma` at a line start. */
const PRAGMA = /^#[ \t]*pragma\b/;

function readAnnotation(source: string, word: string, start: number, wordEnd: number): Annotation {
  const allowArgs = !DECORATION_WORDS.has(word) || word.startsWith('__drv');
  const open = skipSpaces(source, wordEnd);
  if (allowArgs && source[open] === '(') {
    const close = matchParen(source, open);
    if (close >= 0) return { name: word, args: source.slice(open + 1, close), start, end: close + 1 };
  }
  return { name: word, args: '', start, end: wordEnd };
}

function isWordStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

function isWordChar(c: number): boolean {
  return isWordStart(c) || (c >= 48 && c <= 57) || c === 36;
}

const CONDITIONAL_DIRECTIVE = /^#[ \t]*(if|ifdef|ifndef|elif|elifdef|elifndef|undef)\b/;

function atLineStart(s: string, i: number): boolean {
  let j = i - 1;
  while (j >= 0 && (s[j] === ' ' || s[j] === '\t')) j--;
  return j < 0 || s[j] === '\n';
}

/** The end of a preprocessor line, through backslash continuations. */
function endOfLogicalLine(s: string, i: number): number {
  let end = endOfLine(s, i);
  while (end < s.length && (s[end - 1] === '\\' || (s[end - 1] === '\r' && s[end - 2] === '\\'))) end = endOfLine(s, end + 1);
  return end;
}

function endOfLine(s: string, i: number): number {
  const nl = s.indexOf('\n', i);
  return nl < 0 ? s.length : nl;
}

function endOfQuoted(s: string, i: number): number {
  const quote = s[i];
  let j = i + 1;
  while (j < s.length) {
    const c = s[j];
    if (c === '\\') j += 2;
    else if (c === quote || c === '\n') return j + 1;
    else j++;
  }
  return j;
}

function skipSpaces(s: string, i: number): number {
  while (i < s.length && (s[i] === ' ' || s[i] === '\t')) i++;
  return i;
}

function matchParen(s: string, open: number): number {
  let depth = 0;
  const limit = Math.min(s.length, open + MAX_ARG_SPAN);
  for (let i = open; i < limit; i++) {
    const c = s[i];
    readUpTo = i + 1;
    if (c === '(') depth++;
    else if (c === ')') {
      depth--;
      if (depth === 0) return i;
    } else if (c === ';' || c === '{' || c === '}') return -1;
  }
  return -1;
}
