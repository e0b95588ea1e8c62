/**
 * The analysis facade used by the server, the CLI and the simulator: engine findings become
 * user-facing findings with the configured severity, suppression comments applied and quick fixes
 * prepared alongside (looked up later by identity).
 */
import { parseText, reparseChanges, type ParsedText, type Node, type SourceChange } from './parsing/parser';
import type { Settings } from './config';
import { DEFAULT_SETTINGS } from './config';
import { ruleInfo, type Severity } from './rules/registry';
import { analyzeFile, analyzeFileInSlices, type WorkspaceFacts, type FileAnalysis, type IncludeReader, type CheckOptions } from './checkFile';
import type { BuildFacts } from './engine/preprocessor';
import type { RawFinding } from './engine/context';
import type { EngineFinding, RunShare } from './engine/analyzeFile';
import type { FileModel } from './engine/fileModel';
import type { Site } from './kernel/types';
import { suppressions } from './rules/suppress';
import { mechanicalFixes, FixTree } from './rules/quickFixes';
import { eolOf, lineStarts, splitLines } from './util/lines';
import { clipMessage } from './util/clip';
import { runToEnd, type Sliced } from './util/slices';

export interface Range0 {
  start: { line: number; character: number };
  end: { line: number; character: number };
}

export interface RelatedStep {
  range: Range0;
  message: string;
  /** URI of the other program file the step happened in (absent: the analysed file). */
  uri?: string;
}

export interface TextFix {
  title: string;
  edits: { range: Range0; newText: string }[];
  preferred?: boolean;
}

export interface Finding {
  code: string;
  severity: Severity;
  message: string;
  range: Range0;
  /** The path that leads to the problem, in order. */
  related: RelatedStep[];
  fixes: TextFix[];
  functionName: string | null;
}

export interface AnalysisResult {
  findings: Finding[];
  /** Notes for the output log: bounds hit, functions skipped. */
  log: string[];
  file: FileAnalysis;
}

export interface AnalysisOptions {
  settings?: Settings;
  workspace?: WorkspaceFacts;
  /** Reads the analysed file's headers (macros and types from them). */
  readInclude?: IncludeReader;
  /** What the build configuration says about this file (defines decide `#if` arms). */
  build?: BuildFacts;
  /**
   * Quick fixes are computed when first read (the server reads them for a code action on the
   * current version, whose tree is alive). Without it they are computed at once (the CLI deletes
   * the tree before it prints).
   */
  lazyFixes?: boolean;
  /**
   * No quick fixes at all (`fixes` stays empty): for a report that prints none (the CLI's text,
   * msvc and SARIF formats), so it never pays for building them or for verifying the fixes that
   * need the file analysed again.
   */
  withoutFixes?: boolean;
  /**
   * No wall-clock bound per function: the result depends only on the input, as a CI gate needs
   * (the CLI). The statement and path bounds still apply; the editor keeps its time bound.
   */
  deterministic?: boolean;
  /** The document's file model of this version, shared with hover and the simulator. */
  model?: FileModel;
  /** The functions' runs split with other threads (the CLI's workers); fixes are verified without. */
  share?: RunShare;
}

export { includeReaderFor } from './build/includeReader';


export type { WorkspaceFacts };

export function toRange(site: Pick<Site, 'line' | 'character' | 'endLine' | 'endCharacter'>): Range0 {
  return { start: { line: site.line, character: site.character }, end: { line: site.endLine, character: site.endCharacter } };
}

export function analyzeParsed(parsed: ParsedText, source: string, options: AnalysisOptions = {}): AnalysisResult {
  return runToEnd(analyzeParsedInSlices(parsed, source, options));
}

/** The same analysis in slices of about one function each (the server's diagnostics). */
export function* analyzeParsedInSlices(parsed: ParsedText, source: string, options: AnalysisOptions = {}): Sliced<AnalysisResult> {
  const settings = options.settings ?? DEFAULT_SETTINGS;
  const file = yield* analyzeFileInSlices(parsed, source, { ...checkOptionsOf(options), model: options.model, share: options.share });
  const suppressed = suppressions(source);
  let split: string[] | undefined;
  const lines = () => (split ??= splitLines(source));
  const eol = eolOf(source);
  const findings: Finding[] = [];
  const verify = options.withoutFixes ? undefined : fixVerifier(parsed, source, file.findings, options);
  for (const raw of file.findings) {
    if ((findings.length & 255) === 255) yield;
    const setting = settings.rules[raw.code];
    if (setting === 'off') continue;
    if (suppressed.isSuppressed(raw.code, raw.site.line)) continue;
    const severity = setting ?? ruleInfo(raw.code)?.severity ?? 'warning';
    const finding: Omit<Finding, 'fixes'> = {
      code: raw.code,
      severity,
      // Messages can echo user code (a 100,000-character expression): bounded here, so the
      // editor and every CLI format print the same text.
      message: clipMessage(raw.message),
      range: toRange(raw.site),
      related: dedupeRelated(relatedSteps(raw)),
      functionName: raw.functionName,
    };
    if (!verify) {
      findings.push({ ...finding, fixes: [] });
      continue;
    }
    const compute = () => withEol(fixesFor(raw, parsed, lines(), verify), eol);
    findings.push(options.lazyFixes ? withLazyFixes(finding, compute) : { ...finding, fixes: compute() });
  }
  findings.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || a.code.localeCompare(b.code));
  return { findings, log: file.log, file };
}

/** What the engine and the rules are given, from the facade's options (the document's model aside). */
export function checkOptionsOf(options: AnalysisOptions): CheckOptions {
  const settings = options.settings ?? DEFAULT_SETTINGS;
  return { limits: { maxPaths: settings.maxPathsPerFunction, ...(options.deterministic ? { maxMillis: Infinity } : {}) }, workspace: options.workspace, readInclude: options.readInclude, build: options.build };
}

function withLazyFixes(finding: Omit<Finding, 'fixes'>, compute: () => TextFix[]): Finding {
  let fixes: TextFix[] | undefined;
  return Object.defineProperty(finding, 'fixes', {
    enumerable: true,
    get: () => (fixes ??= compute()),
    set: (value: TextFix[]) => {
      fixes = value;
    },
  }) as Finding;
}

/** The path's steps; a step inside a function of another file points into that file. */
function relatedSteps(raw: RawFinding): RelatedStep[] {
  const steps = raw.related.map((r) => stepAt(r.site, r.message));
  const inner = raw.site.inner;
  if (inner) steps.push({ range: toRange(inner), message: 'the problem arises here, inside the called function', uri: inner.file });
  return steps;
}

function stepAt(site: Site, message: string): RelatedStep {
  const text = clipMessage(message);
  return site.inner ? { range: toRange(site.inner), message: text, uri: site.inner.file } : { range: toRange(site), message: text };
}

function dedupeRelated(steps: RelatedStep[]): RelatedStep[] {
  const seen = new Set<string>();
  return steps.filter((s) => {
    const key = `${s.uri ?? ''}:${s.range.start.line}:${s.range.start.character}:${s.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Inserted lines end as the file's own lines do (a CR-only file stays CR-only). An edit that quotes
 * the file's code (a call spanning lines) already carries its line ends: every kind of line end is
 * normalised, never doubled.
 */
function withEol(fixes: TextFix[], eol: string): TextFix[] {
  for (const f of fixes) for (const e of f.edits) e.newText = e.newText.replace(/\r\n|\r|\n/g, eol);
  return fixes;
}

/** Whether a candidate fix of a finding, applied and analysed again, removes it and adds none. */
type FixVerifier = (raw: EngineFinding, fix: TextFix) => boolean;

/** Fixes checked this way per analysis at the most; past it a fix that needs the check is not offered. */
const MAX_VERIFIED_FIXES = 16;

/**
 * Applies a fix to the text and analyses it again with the same settings and workspace: only the
 * edited function runs afresh (the others come from the engine's cache by their text). Used for
 * the fixes whose effect on the other paths a syntactic check cannot tell (a free inserted before
 * a return that another path reaches having freed or handed the object off already).
 */
function fixVerifier(parsed: ParsedText, source: string, raws: EngineFinding[], options: AnalysisOptions): FixVerifier {
  const key = (code: string, fn: string | null) => `${code}\u0000${fn ?? ''}`;
  // Counted when a fix first needs it: most analyses (each edit's) verify none.
  let counted: Map<string, number> | undefined;
  const countBefore = (): Map<string, number> => {
    if (counted) return counted;
    counted = new Map<string, number>();
    for (const r of raws) counted.set(key(r.code, r.functionName), (counted.get(key(r.code, r.functionName)) ?? 0) + 1);
    return counted;
  };
  let budget = MAX_VERIFIED_FIXES;
  return (raw, fix) => {
    if (budget-- <= 0) return false;
    const before = countBefore();
    const { text: fixed, reparsed } = parseFixed(parsed, source, fix.edits);
    try {
      const after = analyzeFile(reparsed, fixed, checkOptionsOf(options)).findings;
      const counts = new Map<string, number>();
      for (const r of after) counts.set(key(r.code, r.functionName), (counts.get(key(r.code, r.functionName)) ?? 0) + 1);
      if ((counts.get(key(raw.code, raw.functionName)) ?? 0) >= (before.get(key(raw.code, raw.functionName)) ?? 0)) return false;
      return [...counts.keys()].every((k) => before.has(k));
    } finally {
      reparsed.tree.delete();
    }
  };
}

/**
 * The text with non-overlapping edits applied (line and character as LSP counts them), parsed.
 * The parse is incremental from the analysed one (a few ms instead of a full parse per verified
 * fix) when that is sure to be the tree a fresh parse gives: neither tree has an error (with
 * errors, tree-sitter's incremental recovery may differ) and no lone CR changes what a row is.
 */
export function parseFixed(parsed: ParsedText, source: string, edits: TextFix['edits']): { text: string; reparsed: ParsedText } {
  const starts = lineStarts(source);
  const offset = (p: Range0['start']) => Math.min((starts[p.line] ?? source.length) + p.character, source.length);
  let text = source;
  const changes: SourceChange[] = [];
  // From the last edit back: each one's start keeps its place (and row) in the original text.
  for (const e of [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start))) {
    const start = offset(e.range.start);
    const end = offset(e.range.end);
    text = text.slice(0, start) + e.newText + text.slice(end);
    changes.push({ source: text, start, oldEnd: end, newEnd: start + e.newText.length, startRow: rowAt(starts, start) });
  }
  if (changes.length > 0 && !parsed.tree.rootNode.hasError && !/\r(?!\n)/.test(source) && !/\r(?!\n)/.test(text)) {
    const reparsed = reparseChanges({ ...parsed, tree: parsed.tree.copy() }, changes, parsed.language);
    if (!reparsed.tree.rootNode.hasError) return { text, reparsed };
    reparsed.tree.delete();
  }
  return { text, reparsed: parseText(text, parsed.language) };
}

/** The 0-based line of `offset` (line feeds before it, in a text without lone CRs). */
function rowAt(starts: number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Real fixes first, exactly one of them preferred; the suppressions last and never preferred. */
function fixesFor(raw: EngineFinding, parsed: ParsedText, lines: string[], verify: FixVerifier): TextFix[] {
  const fixes: TextFix[] = mechanicalFixes(
    { code: raw.code, message: raw.message, line: raw.site.line, character: raw.site.character, related: raw.related.map((r) => ({ line: r.site.line, message: r.message })) },
    new FixTree(parsed, lines),
  )
    .map((f) => ({ fix: { title: f.title, edits: f.edits.map((e) => ({ range: { start: e.start, end: e.end }, newText: e.newText })) } as TextFix, verify: f.verify }))
    .filter((f) => !f.verify || verify(raw, f.fix))
    .map((f) => f.fix);
  const fix = raw.fix;
  if (fix?.kind === 'replace-text') {
    fixes.push({ title: fix.title, edits: [{ range: toRange(fix.range), newText: fix.newText }], preferred: true });
  } else if (fix?.kind === 'free-before-return') {
    const insertLine = safeInsertLine(parsed, fix.returnSite, lines);
    if (insertLine !== undefined) {
      const indent = /^\s*/.exec(lines[insertLine] ?? '')?.[0] ?? '    ';
      const call = `${fix.routine}(${fix.filterArg ? `${fix.filterArg}, ` : ''}${fix.variable});`;
      // The free also runs on the other paths through that return (an #if arm or an ownership flag
      // that already freed or handed the object off): offered, never preferred.
      // Offered only when the file analysed again with it shows the leak gone and nothing new.
      const free: TextFix = { title: `Free ${fix.variable} before returning (${fix.routine})`, edits: [{ range: point(insertLine, 0), newText: `${indent}${call}\n` }], preferred: false };
      if (verify(raw, free)) fixes.push(free);
    }
  }
  const first = fixes.find((f) => f.preferred !== false);
  fixes.forEach((f) => (f.preferred = f === first));
  const line = raw.site.line;
  const indent = /^\s*/.exec(lines[line] ?? '')?.[0] ?? '';
  fixes.push({ title: `Ignore ${raw.code} on this line`, edits: [{ range: point(line, 0), newText: `${indent}// ecp-lens-ignore-next-line ${raw.code}\n` }] });
  fixes.push({ title: `Ignore ${raw.code} in this file`, edits: [{ range: point(0, 0), newText: `// ecp-lens-ignore-file ${raw.code}\n` }] });
  return fixes;
}

function point(line: number, character: number): Range0 {
  return { start: { line, character }, end: { line, character } };
}

/**
 * Where a free may be inserted so that it runs just before the path leaves: on the line of a
 * `return` that stands in a block, or of the closing brace that ends the body.
 */
function safeInsertLine(parsed: ParsedText, site: Site, lines: string[]): number | undefined {
  const node: Node | null = parsed.tree.rootNode.descendantForPosition({ row: site.line, column: site.character });
  for (let n: Node | null = node; n; n = n.parent) {
    if (n.type === 'return_statement') {
      const parent = n.parent;
      if (parent && (parent.type === 'compound_statement' || parent.type === 'labeled_statement') && n.startPosition.column === firstNonSpace(lines[n.startPosition.row] ?? '')) {
        return n.startPosition.row;
      }
      return undefined;
    }
    if (n.type === 'compound_statement' && n.parent?.type === 'function_definition') {
      return site.line === n.endPosition.row ? n.endPosition.row : undefined;
    }
  }
  return undefined;
}

function firstNonSpace(line: string): number {
  return line.length - line.trimStart().length;
}
