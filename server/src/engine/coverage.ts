/**
 * What the analysis of a file did not see: ECP-using functions it could not walk to the end (a
 * bound hit, a body the parser only partly understood) and code the parser could not turn into
 * functions at all. Nothing is lost in silence: every such function is reported with its reason.
 */
import type { Node, UnparsedRegion } from '../parsing/parser';
import { isIntactDefinition } from '../parsing/recover';
import { ECP_ROUTINE_WORD } from './catalogAccess';

/** `program-bound`: calls into other files it reaches were not followed (the program merge's bound). */
export type CoverageReason = 'parse-error' | 'path-bound' | 'time-bound' | 'program-bound' | 'unsupported';

export interface CoverageGap {
  /** null when a parse error hides the name. */
  function: string | null;
  /** 0-based line of the function (or of the unparsed region). */
  line: number;
  reason: CoverageReason;
  /** Which bound, or what the parser stumbled on, for logs and verbose listings. */
  detail: string;
}

export interface FileCoverage {
  /** Functions that call an ECP routine, directly or through a helper or macro. */
  functions: number;
  /** Of those, walked on every path to the end. */
  analysed: number;
  /** Walked, but not on every path. */
  incomplete: CoverageGap[];
  /** Not walked at all. */
  notAnalysed: CoverageGap[];
}

/** The coverage reason a run's bound message stands for. */
export function boundReason(boundHit: string): CoverageReason {
  return /\bms\b/.test(boundHit) ? 'time-bound' : 'path-bound';
}

const ECP_NAME = new RegExp(ECP_ROUTINE_WORD);

/**
 * Top-level ERROR regions that mention an ECP routine: whatever functions they hold were never
 * seen as functions. The name is the first `name(...) {` in the region, when there is one.
 */
export function unparsedRegions(root: Node): CoverageGap[] {
  const gaps: CoverageGap[] = [];
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    for (let i = node.namedChildCount - 1; i >= 0; i--) {
      const child = node.namedChild(i);
      if (!child) continue;
      if (child.type === 'ERROR') {
        const gap = regionGap(child);
        if (gap) gaps.push(gap);
      } else if (/^(preproc_(if|ifdef|else|elif|elifdef)|linkage_specification|declaration_list|namespace_definition)$/.test(child.type)) {
        stack.push(child);
      }
    }
  }
  return gaps.sort((a, b) => a.line - b.line);
}

function regionGap(region: Node): CoverageGap | null {
  // Intact definitions inside the region are in the file model and analysed: not a gap.
  let text = region.text;
  for (const child of region.descendantsOfType('function_definition')) {
    if (!child || !isIntactDefinition(child)) continue;
    const from = child.startIndex - region.startIndex;
    const to = child.endIndex - region.startIndex;
    text = text.slice(0, from) + text.slice(from, to).replace(/[^\r\n]/g, ' ') + text.slice(to);
  }
  const routine = ECP_NAME.exec(text);
  if (!routine) return null;
  // Named after the last function head before the ECP routine it could not read.
  let named: RegExpExecArray | null = null;
  for (const m of text.slice(0, routine.index).matchAll(/\b([A-Za-z_]\w*)\s*\([^;{}()]*(?:\([^;{}()]*\)[^;{}()]*)*\)\s*\{/g)) named = m;
  const offset = named ? named.index : routine.index;
  const line = region.startPosition.row + (text.slice(0, offset).match(/\n/g)?.length ?? 0);
  return { function: named ? named[1] : null, line, reason: 'parse-error', detail: `the parser could not read the code around ${routine[0]}` };
}

/**
 * Function-like regions parse recovery could not read (a body that never closes, a head the
 * grammar cannot place) that mention an ECP routine, merged with the tree's own error regions
 * (a region both report is listed once, by name).
 */
export function notAnalysedGaps(root: Node, regions: UnparsedRegion[], text: string): CoverageGap[] {
  const recovered: CoverageGap[] = [];
  const spans: [number, number][] = [];
  for (const r of regions) {
    const routine = ECP_NAME.exec(text.slice(r.start, r.end));
    if (!routine) continue;
    const why = r.reason === 'unclosed' ? 'its body never closes' : 'the parser could not read its head';
    recovered.push({ function: r.name, line: r.line, reason: 'parse-error', detail: `${why}; the code around ${routine[0]} was not analysed` });
    spans.push([lineAt(text, r.start), lineAt(text, r.end)]);
  }
  // No ERROR node anywhere (the root says so at once): the top level need not be walked.
  const fromTree = (root.hasError ? unparsedRegions(root) : []).filter((g) => !spans.some(([from, to]) => g.line >= from && g.line <= to));
  return [...fromTree, ...recovered].sort((a, b) => a.line - b.line);
}

function lineAt(text: string, offset: number): number {
  return text.slice(0, offset).split(/\r\n|\r|\n/).length - 1;
}

/**
 * `AV_SET_INVALID_FILE_REFERENCE(x)` written as a statement without `;` (the macro brings its own
 * braces): the grammar supplies the `;` and the tree is whole. Only such MISSING semicolons after a
 * call statement, and no ERROR node, leave the function fully read.
 */
function onlyMacroSemicolonsMissing(node: Node): boolean {
  const missing: Node[] = [];
  const stack: Node[] = [node];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.isMissing) missing.push(n);
    else if (n.hasError) for (const c of n.children) if (c) stack.push(c);
  }
  return missing.length > 0 && missing.every((m) => m.type === ';' && m.parent !== null && isMacroStatement(m.parent));
}

/** `MACRO(x)` read as a call statement, or (`MACRO( *p )`) as a declaration of a type named in capitals. */
function isMacroStatement(n: Node): boolean {
  if (n.type === 'expression_statement') return n.namedChild(0)?.type === 'call_expression';
  if (n.type !== 'declaration') return false;
  const type = n.childForFieldName('type');
  return type !== null && /^[A-Z][A-Z0-9_]*$/.test(type.text) && n.text.includes('(');
}

/** A function whose body holds text the parser could not read is walked without it. */
export function bodyParseGap(name: string, node: Node, body: Node): CoverageGap | null {
  if (!node.hasError && !body.hasError) return null;
  if (node.descendantsOfType('ERROR').length === 0 && onlyMacroSemicolonsMissing(node)) return null;
  return { function: name, line: node.startPosition.row, reason: 'parse-error', detail: 'part of the function could not be parsed and was skipped' };
}
