/**
 * Functions whose statements a conditional splits do not parse: `FltCreateFileEx2(..., #if X
 * &ctx); #else NULL); #endif`, or `if (a) {...} #if X else if (b) {...} #endif`. A compiler sees one
 * arm; so does the analysis: such a function is parsed again with one arm of every conditional in
 * its body kept — the arm the build configuration takes when it tells, else the first — and the
 * directives and the other arms blanked (offsets and lines kept), and it is analysed in that form.
 */
import { parseText, type SourceLanguage, type Tree } from '../parsing/parser';
import { buildFileModel, type FileModel, type FunctionDef } from './fileModel';
import { evaluate, type PpScope } from './preprocessor';
import { ownCopy } from '../util/textCache';

const MAX_CACHED = 32;
/**
 * Variant trees by the function's text and place, kept alive while cached (the model's function
 * nodes point into them). Keyed per function, so an edit elsewhere in the file costs nothing.
 */
const variants = new Map<string, { tree: Tree; def: FunctionDef | undefined; groups: number[] }>();

/** Re-reads the split functions of `model` in place; returns a log line for each one replaced. */
export function resolveSplitConditionals(model: FileModel, source: string, lang: SourceLanguage): string[] {
  const log: string[] = [];
  for (const fn of model.functions.values()) {
    if (fn.fromHeader || !fn.body.hasError || !/^[ \t]*#[ \t]*(if|ifdef|ifndef)\b/m.test(fn.body.text)) continue;
    const scope = fn.pp ?? model.pp;
    const { def, groups } = variantOf(fn, source, lang, scope);
    if (!def || def.node.hasError || def.name !== fn.name) continue;
    model.functions.set(fn.name, { ...def, pp: fn.pp });
    log.push(`${fn.name} (line ${fn.node.startPosition.row + 1}): a conditional splits its statements; analysed with one arm of each (the build's, else the first) at line${groups.length === 1 ? '' : 's'} ${groups.map((l) => l + 1).join(', ')}`);
  }
  return log;
}

/**
 * The function parsed alone (everything before it blanked, lines kept, so offsets and rows are
 * the file's) with one arm of each conditional of its body.
 */
function variantOf(fn: FunctionDef, source: string, lang: SourceLanguage, scope: PpScope | undefined): { def: FunctionDef | undefined; groups: number[] } {
  const start = fn.node.startIndex;
  const end = fn.node.endIndex;
  const text = source.slice(start, end);
  const key = ownCopy(`${lang}\u0000${scope?.key ?? '-'}\u0000${fn.node.startPosition.row}\u0000${start}\u0000${text}`);
  let entry = variants.get(key);
  if (entry) {
    variants.delete(key);
  } else {
    const body = oneArmEach(source, fn.body.startIndex, fn.body.endIndex, scope);
    const variant = source.slice(0, start).replace(/[^\r\n]/g, ' ') + source.slice(start, fn.body.startIndex) + body.text + source.slice(fn.body.endIndex, end);
    const parsed = parseText(variant, lang);
    const model = buildFileModel(parsed.tree, parsed.masked, parsed.annotations, scope);
    entry = { tree: parsed.tree, def: model.functions.get(fn.name), groups: body.groups };
    if (variants.size >= MAX_CACHED) {
      const [oldestKey, oldest] = variants.entries().next().value!;
      variants.delete(oldestKey);
      oldest.tree.delete();
    }
  }
  variants.set(key, entry);
  return { def: entry.def, groups: entry.groups };
}

interface Group {
  /** The arm kept so far is still open (its lines stay). */
  keeping: boolean;
  /** An arm of this group was already chosen. */
  decided: boolean;
  /** The enclosing arm is kept. */
  outer: boolean;
}

/**
 * Blanks, within [start, end) of `text`, every conditional directive and every arm but one per
 * group. Returns that stretch (same length) and the 0-based lines of the groups' `#if`s.
 */
export function oneArmEach(text: string, start: number, end: number, scope: PpScope | undefined): { text: string; groups: number[] } {
  const out: string[] = [];
  const stack: Group[] = [];
  const groups: number[] = [];
  let line = lineAt(text, start);
  let at = start;
  while (at < end) {
    let eol = text.indexOf('\n', at);
    if (eol < 0 || eol > end) eol = end;
    const content = text.slice(at, eol);
    const d = /^[ \t]*#[ \t]*(if|ifdef|ifndef|elif|elifdef|elifndef|else|endif)\b(.*)$/.exec(content.replace(/\r$/, ''));
    const kept = stack.every((g) => g.keeping);
    if (d) {
      const kind = d[1];
      if (kind === 'if' || kind === 'ifdef' || kind === 'ifndef') {
        groups.push(line);
        const take = kept && armTaken(kind, d[2], scope, at) !== false;
        stack.push({ keeping: take, decided: take, outer: kept });
      } else if (kind === 'endif') {
        stack.pop();
      } else if (stack.length > 0) {
        const g = stack[stack.length - 1];
        const take = g.outer && !g.decided && (kind === 'else' || armTaken(kind, d[2], scope, at) !== false);
        g.keeping = take;
        g.decided ||= take;
      }
      out.push(blank(content));
    } else {
      out.push(kept ? content : blank(content));
    }
    out.push(eol < end ? '\n' : '');
    at = eol + 1;
    line++;
  }
  return { text: out.join(''), groups };
}

/** true / false when the build decides the arm; undefined otherwise (then the first arm is kept). */
function armTaken(kind: string, rest: string, scope: PpScope | undefined, offset: number): boolean | undefined {
  if (!scope) return undefined;
  if (kind.endsWith('def')) {
    const name = /^\s*([A-Za-z_]\w*)/.exec(rest)?.[1];
    const d = name ? scope.defined(name, offset) : undefined;
    return d === undefined ? undefined : kind.endsWith('ndef') ? !d : d;
  }
  const v = evaluate(rest, scope, offset, 0);
  return v === undefined ? undefined : v !== 0;
}

function blank(line: string): string {
  return line.replace(/[^\r]/g, ' ');
}

function lineAt(text: string, offset: number): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
