/**
 * `ecp-lens simulate FILE [PROGRAM FILES OR FOLDERS...] [--function NAME] [--fail-alloc N[,M...]|each] [--fail-tag TAG[,TAG]]
 * [--format text|json]` — one function against the simulated kernel. JSON is exactly the trace
 * `ecpLens/simulate` returns; text is a step table, pool totals, tag table, leaks and verdict.
 * Exit: 0 no leak and no bug check, 1 leak or bug check, 2 usage or I/O error.
 */
import * as path from 'node:path';
import { buildFromArgs, fileView } from './build';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseText, loadLanguage, languageFor } from '../parsing/parser';
import { simulate, SimulateError } from '../simulate/simulate';
import type { SimulateParams, Trace } from '../protocol';
import { collectSources, InputError, UsageError } from './files';
import { WorkspaceIndex } from '../workspace';
import type { WorkspaceFacts } from '../checkFile';
import type { BuildConfiguration } from '../build/buildConfig';
import { readSourceFile } from '../util/safeRead';
import { formatOption, type Output, type parseArgs } from './run';
import { formatTrace } from '../simulate/text';

type ParsedArgs = ReturnType<typeof parseArgs>;

function readSource(file: string): string {
  const read = readSourceFile(file);
  if (read.ok) return read.text;
  if (read.kind === 'binary') throw new InputError(`${file} is a binary file, not C/C++ source`);
  if (read.reason === 'a folder, not a regular file') throw new UsageError(`${file} is a folder; simulate takes one C/C++ file`);
  throw new InputError(`cannot read ${file}: ${read.reason}`);
}

function ordinals(text: string): number[] {
  const parts = text.split(',').map((s) => s.trim()).filter(Boolean);
  if (parts.length === 0 || parts.some((p) => !/^\d{1,6}$/.test(p) || Number(p) < 1)) {
    throw new UsageError(`--fail-alloc takes allocation numbers such as 2 or 1,3 (or 'each'), got '${text}'`);
  }
  const numbers = parts.map(Number);
  const repeated = numbers.find((n, i) => numbers.indexOf(n) !== i);
  if (repeated !== undefined) {
    const times = numbers.filter((n) => n === repeated).length;
    throw new UsageError(`--fail-alloc lists allocation #${repeated} ${times} times; each number fails one allocation attempt (e.g. 1,2,3)`);
  }
  return numbers;
}

function tags(text: string): string[] {
  const parts = text.split(',').map((s) => s.trim()).filter(Boolean);
  if (parts.length === 0 || parts.some((t) => t.length > 4)) throw new UsageError(`--fail-tag takes pool tags of up to 4 characters, got '${text}'`);
  return [...new Set(parts)];
}

export function simulateParams(args: ParsedArgs, uri: string): SimulateParams {
  const params: SimulateParams = { textDocument: { uri } };
  const fn = args.options.get('--function');
  if (fn !== undefined) params.function = fn;
  const failAlloc = args.options.get('--fail-alloc');
  const failTag = args.options.get('--fail-tag');
  const systematic = failAlloc?.trim().toLowerCase() === 'each';
  const failAllocations = failAlloc !== undefined && !systematic ? ordinals(failAlloc) : [];
  const failTags = failTag !== undefined ? tags(failTag) : [];
  if (failAllocations.length > 0 || failTags.length > 0 || systematic) {
    params.faults = { failAllocations, failTags, ...(systematic ? { systematic: true } : {}) };
    if (failAllocations.length > 0 || failTags.length > 0) params.path = { kind: 'faults' };
  }
  return params;
}

/**
 * The program the simulated file belongs to: the other files and folders named after it (as
 * `check` reads them). A function defined there runs at its call, step by step.
 */
async function programFacts(file: string, source: string, others: string[], build: BuildConfiguration | undefined): Promise<WorkspaceFacts> {
  const self = path.resolve(file);
  const { files } = collectSources(others);
  if (files.some((f) => languageFor(f.path) === 'cpp')) await loadLanguage('cpp');
  const viewOf = (file: string) => {
    const v = fileView(build, file);
    return { readInclude: v.readInclude, build: v.build?.facts };
  };
  const program = [{ uri: pathToFileURL(self).href, text: source, view: viewOf(self) }];
  for (const f of files) if (path.resolve(f.path) !== self) program.push({ uri: pathToFileURL(path.resolve(f.path)).href, text: f.text, view: viewOf(path.resolve(f.path)) });
  const index = WorkspaceIndex.ofFiles(program);
  // A callee runs under its own file's configuration and with its own headers, as in `check`.
  index.program.buildFor = (uri) => build?.forFile(fileURLToPath(uri))?.facts;
  index.program.includeReaderFor = (uri) => fileView(build, fileURLToPath(uri)).readInclude;
  return index.factsFor(pathToFileURL(self).href);
}

/**
 * `--max-fault-paths N`: how many allocation sites `--fail-alloc each` fails at most. No
 * wall-clock bound: the statement bound stops at the same site on every machine.
 */
function faultBounds(args: ParsedArgs): { maxPaths?: number; maxMs: number } {
  const text = args.options.get('--max-fault-paths');
  if (text === undefined) return { maxMs: Infinity };
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 100_000) throw new UsageError(`--max-fault-paths takes a number of fault paths from 1 to 100000, got '${text}'`);
  return { maxPaths: n, maxMs: Infinity };
}

/** Runs the simulation for one file; SimulateError becomes a usage error (exit 2). */
export async function traceFile(args: ParsedArgs): Promise<Trace> {
  if (args.positional.length === 0) throw new UsageError('simulate takes a FILE (then, optionally, the other files and folders of its program)');
  const [file, ...others] = args.positional;
  const source = readSource(file);
  const uri = pathToFileURL(path.resolve(file)).href;
  const params = simulateParams(args, uri);
  const build = buildFromArgs(args);
  const view = fileView(build, file);
  await loadLanguage('c');
  await loadLanguage(view.language);
  const workspace = others.length > 0 ? await programFacts(file, source, others, build) : undefined;
  const parsed = parseText(source, view.language);
  try {
    // No wall-clock bound per run: the same file gives the same trace on every run.
    return simulate(parsed, source, uri, params, { readInclude: view.readInclude, build: view.build?.facts, workspace, faultBounds: faultBounds(args), limits: { maxMillis: Infinity } });
  } catch (err) {
    // What the file or the plan does not allow is not a usage mistake: no pointer to --help.
    if (err instanceof SimulateError) throw new InputError(`${file}: ${err.message}`);
    throw err;
  } finally {
    parsed.tree.delete();
  }
}

export async function simulateCommand(args: ParsedArgs, out: Output): Promise<number> {
  const format = formatOption(args, ['text', 'json']);
  const trace = await traceFile(args);
  out.stdout(format === 'json' ? `${JSON.stringify(trace, null, 2)}\n` : formatTrace(trace, args.positional[0]));
  const bad = (e: { leaks: number; bugCheck: unknown }) => e.leaks > 0 || e.bugCheck !== null;
  return trace.final.leaks.length > 0 || trace.final.bugCheck !== null || (trace.explored ?? []).some(bad) ? 1 : 0;
}
