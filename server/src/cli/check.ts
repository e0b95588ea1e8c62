/**
 * The `check` command: read the sources, analyse them as one program (in process with `--jobs 1`
 * or for a single file, else in a pool of worker threads), render one report. The report is the
 * same byte for byte whatever `--jobs` is: results are placed by file index.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { initParser, loadLanguage } from '../parsing/parser';
import { collectSources, InputError, UsageError, type SourceFile } from './files';
import type { Skipped } from '../util/sourceWalk';
import { plainError } from '../util/safeRead';
import { toSarif, type FileFindings } from './sarif';
import { SERVER_VERSION } from '../version';
import { formatText } from './text';
import { withLineColumn } from './json';
import { coverageJson } from './coverage';
import { ProgramRun, type FileFacts, type FileResult } from './programRun';
import { analyseInWorkers } from './pool';
import { NO_PROGRESS, stderrProgress, type Progress } from './progress';
import { formatOption, type Output, type ParsedArgs } from './run';
import { buildFromArgs, fileView, type BuildArgs } from './build';
import { compileDbCandidates, type BuildConfiguration } from '../build/buildConfig';
import { SETTINGS_SCHEMA } from '../config';

/** Below this much source a default run stays in process: starting workers would cost more. */
const IN_PROCESS_BYTES = 256 * 1024;

export async function checkCommand(args: ParsedArgs, out: Output): Promise<number> {
  const format = formatOption(args, ['text', 'msvc', 'json', 'sarif']);
  const jobsGiven = args.options.get('--jobs');
  const jobs = jobsGiven === undefined ? defaultJobs() : wholeNumber('--jobs', jobsGiven);
  const heap = args.options.get('--worker-heap');
  const heapMiB = heap === undefined ? undefined : wholeNumber('--worker-heap', heap);
  const pathsGiven = args.options.get('--max-paths');
  const maxPaths = pathsGiven === undefined ? undefined : boundedNumber('--max-paths', pathsGiven, MAX_PATHS_RANGE);
  const build = buildFromArgs(args);
  if (!args.options.has('--compile-commands')) noteUnreadDatabases(args.positional, out);
  const output = args.options.get('--output');
  // Before the analysis: a CI job with a wrong --output folder learnt it only at the end of the run.
  if (output !== undefined) checkOutputFolder(output);
  const inputs = args.positional.length === 0 && build?.dbPath ? databaseFiles(build, out) : args.positional;
  if (inputs.length === 0) throw new UsageError(build?.dbPath ? `the compile database ${build.dbPath} lists no file that exists` : 'check needs at least one file or folder');
  const { files, skipped } = collectSources(inputs);
  if (files.length === 0) {
    for (const s of skipped) out.stderr(`ecp-lens: skipped ${s.path}: ${s.reason}\n`);
    throw new InputError(`no C or C++ files found under ${args.positional.join(', ')}`);
  }
  const views = files.map((f) => fileView(build, f.path));
  if (build?.dbPath && !views.some((v) => v.build?.facts.known)) out.stderr(`ecp-lens: none of the files checked is in ${build.dbPath}; they are checked without its defines\n`);
  const cpp = views.some((v) => v.language === 'cpp');
  const progress = args.options.has('--progress') || out.stderrIsTTY ? stderrProgress(out.stderr, out.stderrIsTTY === true) : NO_PROGRESS;
  const bytes = files.reduce((n, f) => n + f.text.length, 0);
  const workers = Math.min(jobs, files.length, jobsGiven === undefined && bytes < IN_PROCESS_BYTES ? 1 : Infinity);
  const incomplete = programGap(skipped);
  // Only JSON prints quick fixes: the other formats never build them, nor re-analyse a file to
  // verify a "free before returning" fix (the costliest part of a file with findings).
  const fixes = format === 'json';
  const analysed = workers > 1 ? await analyseInWorkers(files, { jobs: workers, progress, heapMiB, cpp, build: buildArgsOf(args), incomplete, fixes, maxPaths }) : await analyseInProcess(files, build, cpp, progress, incomplete, fixes, maxPaths);
  const results: FileFindings[] = files.map((file, i) => ({ path: file.path, text: file.text, findings: analysed[i].findings, coverage: analysed[i].coverage }));
  skipped.push(...unreadHeaders(analysed, new Set(skipped.map((s) => s.path))));
  const base = path.resolve(args.options.get('--base') ?? process.cwd());
  const report = render(format, results, base, skipped, args.options.has('--verbose'), incomplete);
  if (output) {
    try {
      fs.writeFileSync(output, report);
    } catch (err) {
      const plain = plainError(err);
      throw new InputError(`cannot write ${output}: ${plain.kind === 'missing' ? `no such folder ${path.dirname(output)}` : plain.reason}`);
    }
  } else {
    out.stdout(report);
  }
  for (const s of skipped) out.stderr(`ecp-lens: skipped ${s.path}: ${s.reason}\n`);
  if (incomplete) out.stderr(`ecp-lens: ${WITHHELD}: ${incomplete}\n`);
  return results.some((r) => r.findings.some((f) => f.severity === 'error')) ? 1 : 0;
}

/** Headers passed over unread (a FIFO, a device), each once, as skipped inputs are listed. */
function unreadHeaders(analysed: FileResult[], listed: Set<string>): Skipped[] {
  const out: Skipped[] = [];
  for (const r of analysed) {
    for (const h of r.unreadHeaders ?? []) {
      if (listed.has(h.path)) continue;
      listed.add(h.path);
      out.push(h);
    }
  }
  return out;
}

/** What is not reported when the program is not read whole. */
const WITHHELD = 'findings that rest on the whole program (ecp-lookaside-not-deleted, lifecycle findings through other files) are not reported';

/** Why the files read are not the whole program: sources the walk or the reader passed over unread. */
function programGap(skipped: Skipped[]): string | undefined {
  const unread = skipped.filter((s) => s.kind !== undefined);
  if (unread.length === 0) return undefined;
  return `${unread.length} source file${unread.length === 1 ? '' : 's'} or folder${unread.length === 1 ? '' : 's'} could not be read (${unread.slice(0, 3).map((s) => s.path).join(', ')}${unread.length > 3 ? ', …' : ''})`;
}

function defaultJobs(): number {
  return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length || 1;
}

/** The range the editor's `ecpLens.maxPathsPerFunction` allows. */
const MAX_PATHS_RANGE = { min: SETTINGS_SCHEMA['ecpLens.maxPathsPerFunction'].minimum ?? 16, max: SETTINGS_SCHEMA['ecpLens.maxPathsPerFunction'].maximum ?? 100_000 };

function boundedNumber(option: string, value: string, range: { min: number; max: number }): number {
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < range.min || n > range.max) throw new UsageError(`${option} needs a whole number from ${range.min} to ${range.max} (got '${value}')`);
  return n;
}

function wholeNumber(option: string, value: string): number {
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < 1) throw new UsageError(`${option} needs a whole number of at least 1 (got '${value}')`);
  return n;
}

/**
 * A folder given without `--compile-commands` that holds a compile database where the editor
 * looks for one (its root, `build/`): the editor reads it for that folder and this run does not,
 * so the two could report differently with nothing said. Named on standard error.
 */
function noteUnreadDatabases(positional: string[], out: Output): void {
  for (const given of positional) {
    if (!isFolder(given)) continue;
    const db = compileDbCandidates(given).find((c) => fs.existsSync(c));
    if (db) out.stderr(`ecp-lens: ${db} is not read (the editor reads it for this folder); pass --compile-commands ${db} to check with its include folders, defines and languages\n`);
  }
}

function isFolder(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** The database's files that exist (a missing one is named on standard error and left out). */
function databaseFiles(build: BuildConfiguration, out: Output): string[] {
  return build.files().filter((f) => {
    if (fs.existsSync(f)) return true;
    out.stderr(`ecp-lens: skipped ${f}: listed in ${build.dbPath} but no such file\n`);
    return false;
  });
}

/** The build options alone, for the workers to rebuild the same configuration (same folder). */
function buildArgsOf(args: ParsedArgs): BuildArgs {
  const db = args.options.get('--compile-commands');
  return { options: new Map(db === undefined ? [] : [['--compile-commands', db]]), lists: new Map(args.lists) };
}

/** `--jobs 1` (or one file): both passes in this thread. */
async function analyseInProcess(files: SourceFile[], build: BuildConfiguration | undefined, cpp: boolean, progress: Progress, incomplete: string | undefined, fixes: boolean, maxPaths: number | undefined): Promise<FileResult[]> {
  await initParser();
  if (cpp) await loadLanguage('cpp');
  const run = new ProgramRun(
    files.map((f) => f.path),
    (i) => files[i].text,
    build,
    incomplete,
    fixes,
    maxPaths,
  );
  progress.begin(files.length);
  const step = <T>(i: number, pass: 'indexing' | 'analysing', work: () => T): T => {
    try {
      return work();
    } catch (err) {
      throw new InputError(`internal error while ${pass === 'indexing' ? 'reading' : 'analysing'} ${files[i].path}: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
    } finally {
      progress.tick(pass);
    }
  };
  try {
    // The files of one run are one program: each sees the others' functions and lookaside pairs.
    // One file read of several is a program too, known to be incomplete.
    if (files.length > 1 || incomplete) {
      const facts: FileFacts[] = files.map((_, i) => step(i, 'indexing', () => run.facts(i)));
      run.setProgram(facts);
    }
    return files.map((_, i) => step(i, 'analysing', () => run.analyse(i)));
  } finally {
    run.dispose();
    progress.done();
  }
}

function render(format: string, results: FileFindings[], base: string, skipped: Skipped[], verbose: boolean, incomplete: string | undefined): string {
  if (format === 'sarif') return `${JSON.stringify(toSarif(results, base, incomplete), null, 2)}\n`;
  if (format === 'json') {
    const files = results.map((r) => ({ path: r.path, findings: r.findings.map(withLineColumn) }));
    const program = incomplete ? { complete: false, reason: incomplete } : { complete: true };
    return `${JSON.stringify({ version: SERVER_VERSION, files, skipped, coverage: { ...coverageJson(results), program } }, null, 2)}\n`;
  }
  return formatText(results, format === 'msvc' ? 'msvc' : 'gcc', verbose);
}

/** The report's folder must exist (the file itself is created); a folder named as the report is refused. */
function checkOutputFolder(output: string): void {
  const folder = path.dirname(path.resolve(output));
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(folder);
  } catch {
    stat = undefined;
  }
  if (!stat?.isDirectory()) throw new InputError(`cannot write ${output}: no such folder ${path.dirname(output)}`);
  if (fs.existsSync(output) && fs.statSync(output).isDirectory()) throw new InputError(`cannot write ${output}: a folder`);
}
