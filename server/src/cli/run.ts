/** Command-line parsing and the `check` command. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { initParser, parseText, loadLanguage } from '../parsing/parser';
import { analyzeParsed, type Finding, type WorkspaceFacts } from '../analysis';
import { buildFromArgs, fileView } from './build';
import type { BuildConfiguration } from '../build/buildConfig';
import { collectSources, InputError, UsageError } from './files';
import { plainError } from '../util/safeRead';
import { WorkspaceIndex } from '../workspace';
import { toSarif, type FileFindings } from './sarif';
import { SERVER_VERSION } from '../version';
import { formatText } from './text';
import { withLineColumn } from './json';
import { coverageJson } from './coverage';
import type { FileCoverage } from '../engine/coverage';

export interface Output {
  stdout(s: string): void;
  stderr(s: string): void;
}

export const HELP = `ecp-lens ${SERVER_VERSION} — checks Windows kernel Extra Create Parameter (ECP) code

Usage:
  ecp-lens check [options] PATH...
      Analyse C/C++ files and folders (folders are walked for .c .h .cpp .hpp .cc .cxx .inl;
      other and binary files are skipped).
      --format text|msvc|json|sarif
                                 output format (default: text, as gcc and clang print
                                 diagnostics; msvc as cl.exe and MSBuild do)
      --output FILE              write the report to FILE instead of standard output
      --base DIR                 folder SARIF paths are relative to (default: current folder)
      --verbose                  list each function that was not fully analysed, with why
      --compile-commands FILE    read include folders, defines and language per file from a
                                 compile database (compile_commands.json, as clangd reads it);
                                 with no PATH, check the files it lists
      -I DIR, -IDIR              also search DIR for #include <x> and #include "x" (repeatable)
      -D NAME[=VALUE], -DNAME    define NAME for every file (repeatable); with -D or a database
                                 entry, #if arms are chosen as the compiler would, and a name
                                 neither defines is taken as not defined

  ecp-lens simulate FILE [PATH...] [options]
      Run one function of FILE against the simulated kernel and print the pool trace. Other
      files and folders given after FILE are its program: a function defined there (a wrapper
      module) runs at its call, and its steps show as file:line.
      --function NAME            the function to run (default: the first that calls an ECP routine)
      --fail-alloc N[,M...]      make the Nth (1-based) allocation attempt(s) fail
      --fail-alloc each          systematic: fail each allocation of the success path once, in turn,
                                 and list which of those paths leak or bug-check
      --fail-tag TAG[,TAG...]    make every allocation with these pool tags fail
      --format text|json         output format (default: text)

  ecp-lens --help | --version

Exit status:
  0  no error-severity finding (check) / the run finished without leak or bug check (simulate)
  1  findings (check) / leaks or a bug check (simulate)
  2  usage or I/O error (message on standard error)
`;

interface ParsedArgs {
  command: string | undefined;
  options: Map<string, string>;
  /** Repeatable short options: `-I` folders and `-D` defines, in order. */
  lists: Map<string, string[]>;
  positional: string[];
}

const VALUED = new Set(['--format', '--output', '--base', '--function', '--fail-alloc', '--fail-tag', '--compile-commands']);
const REPEATABLE = ['-I', '-D'];

export function parseArgs(argv: string[]): ParsedArgs {
  const options = new Map<string, string>();
  const lists = new Map<string, string[]>();
  const positional: string[] = [];
  let command: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    const short = REPEATABLE.find((o) => arg.startsWith(o));
    if (short) {
      const value = arg.length > short.length ? arg.slice(short.length) : argv[++i];
      if (value === undefined || value === '') throw new UsageError(`${short} needs a value (${short === '-I' ? '-I DIR' : '-D NAME[=VALUE]'})`);
      lists.set(short, [...(lists.get(short) ?? []), value]);
      continue;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq > 0 ? arg.slice(0, eq) : arg;
      if (VALUED.has(name)) {
        const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
        if (value === undefined) throw new UsageError(`${name} needs a value`);
        options.set(name, value);
      } else if (name === '--help' || name === '--version' || name === '--verbose') {
        options.set(name, 'true');
      } else {
        throw new UsageError(`unknown option ${arg}`);
      }
    } else if (command === undefined) {
      command = arg;
    } else {
      positional.push(arg);
    }
  }
  return { command, options, lists, positional };
}

export async function runCli(argv: string[], out: Output): Promise<number> {
  try {
    const args = parseArgs(argv);
    if (args.options.has('--help') || argv.length === 0) {
      out.stdout(HELP);
      return argv.length === 0 ? 2 : 0;
    }
    if (args.options.has('--version')) {
      out.stdout(`${SERVER_VERSION}\n`);
      return 0;
    }
    if (args.command === 'check') return await check(args, out);
    if (args.command === 'simulate') {
      const { simulateCommand } = await import('./simulate');
      return await simulateCommand(args, out);
    }
    throw new UsageError(args.command ? `unknown command '${args.command}'` : 'missing command');
  } catch (err) {
    if (err instanceof UsageError) {
      // A file that cannot be read is not a usage mistake: no pointer to --help then.
      out.stderr(`ecp-lens: ${err.message}\n${err instanceof InputError ? '' : "Run 'ecp-lens --help' for usage.\n"}`);
      return 2;
    }
    throw err;
  }
}

export function formatOption(args: ParsedArgs, allowed: string[]): string {
  const format = args.options.get('--format') ?? 'text';
  if (!allowed.includes(format)) throw new UsageError(`--format must be one of ${allowed.join(', ')} (got '${format}')`);
  return format;
}

async function check(args: ParsedArgs, out: Output): Promise<number> {
  const format = formatOption(args, ['text', 'msvc', 'json', 'sarif']);
  const build = buildFromArgs(args);
  const inputs = args.positional.length === 0 && build?.dbPath ? databaseFiles(build, out) : args.positional;
  if (inputs.length === 0) throw new UsageError(build?.dbPath ? `the compile database ${build.dbPath} lists no file that exists` : 'check needs at least one file or folder');
  const { files, skipped } = collectSources(inputs);
  if (files.length === 0) {
    for (const s of skipped) out.stderr(`ecp-lens: skipped ${s.path}: ${s.reason}\n`);
    throw new InputError(`no C or C++ files found under ${args.positional.join(', ')}`);
  }
  await initParser();
  const views = new Map(files.map((f) => [f.path, fileView(build, f.path)]));
  if (build?.dbPath && !files.some((f) => views.get(f.path)!.build?.facts.known)) out.stderr(`ecp-lens: none of the files checked is in ${build.dbPath}; they are checked without its defines\n`);
  if (files.some((f) => views.get(f.path)!.language === 'cpp')) await loadLanguage('cpp');
  // The files of one run are one program: each sees the others' functions and lookaside pairs.
  const program = files.length > 1 ? WorkspaceIndex.ofFiles(files.map((f) => ({ uri: fileUri(f.path), text: f.text }))) : undefined;
  // A callee of another file runs under that file's own configuration, as in the editor.
  if (program && build) program.program.buildFor = (uri) => build.forFile(fileURLToPath(uri))?.facts;
  const results: FileFindings[] = files.map((file) => ({ path: file.path, text: file.text, ...analyzeFile(file.text, views.get(file.path)!, program?.factsFor(fileUri(file.path))) }));
  const base = path.resolve(args.options.get('--base') ?? process.cwd());
  const report = render(format, results, base, skipped, args.options.has('--verbose'));
  const output = args.options.get('--output');
  if (output) {
    try {
      fs.writeFileSync(output, report);
    } catch (err) {
      throw new InputError(`cannot write ${output}: ${plainError(err).reason}`);
    }
  } else {
    out.stdout(report);
  }
  for (const s of skipped) out.stderr(`ecp-lens: skipped ${s.path}: ${s.reason}\n`);
  return results.some((r) => r.findings.some((f) => f.severity === 'error')) ? 1 : 0;
}

function fileUri(file: string): string {
  return pathToFileURL(path.resolve(file)).toString();
}

/** The database's files that exist (a missing one is named on standard error and left out). */
function databaseFiles(build: BuildConfiguration, out: Output): string[] {
  return build.files().filter((f) => {
    if (fs.existsSync(f)) return true;
    out.stderr(`ecp-lens: skipped ${f}: listed in ${build.dbPath} but no such file\n`);
    return false;
  });
}

function analyzeFile(text: string, view: ReturnType<typeof fileView>, workspace?: WorkspaceFacts): { findings: Finding[]; coverage: FileCoverage } {
  const parsed = parseText(text, view.language);
  try {
    const result = analyzeParsed(parsed, text, { workspace, readInclude: view.readInclude, build: view.build?.facts });
    return { findings: result.findings, coverage: result.file.coverage };
  } finally {
    parsed.tree.delete();
  }
}

function render(format: string, results: FileFindings[], base: string, skipped: { path: string; reason: string }[], verbose: boolean): string {
  if (format === 'sarif') return `${JSON.stringify(toSarif(results, base), null, 2)}\n`;
  if (format === 'json') {
    const files = results.map((r) => ({ path: r.path, findings: r.findings.map(withLineColumn) }));
    return `${JSON.stringify({ version: SERVER_VERSION, files, skipped, coverage: coverageJson(results) }, null, 2)}\n`;
  }
  return formatText(results, format === 'msvc' ? 'msvc' : 'gcc', verbose);
}
