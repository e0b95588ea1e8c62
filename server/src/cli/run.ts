/** Command-line parsing; the commands live in check.ts and simulate.ts. */
// Only what --help and --version need is loaded up front: the commands (and with them the
// analysis, the catalog and the grammars) are imported when one runs.
import { InputError, UsageError } from './files';
import { SERVER_VERSION } from '../version';

export interface Output {
  stdout(s: string): void;
  stderr(s: string): void;
  /** Standard error is a terminal: `check` shows its progress there. */
  stderrIsTTY?: boolean;
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
      --jobs N                   analyse with N worker threads (default: the number of cores;
                                 1 analyses in this process); the report is the same for any N
      --progress                 print progress on standard error (default: only on a terminal)
      --worker-heap MB           heap limit of each worker thread in MiB (default: Node's)
      --max-paths N              distinct paths per function before the analysis stops exploring
                                 it (16 to 100000; default 8192, as the editor's
                                 ecpLens.maxPathsPerFunction); 200,000 statements per function
                                 still bound the work
      --compile-commands FILE    read include folders, defines and language per file from a
                                 compile database (compile_commands.json, as clangd reads it);
                                 with no PATH, check the files it lists; without it, a folder
                                 given that holds one (at its top or in build/, where the
                                 editor finds it) is named on standard error, not read
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
      --max-fault-paths N        with --fail-alloc each: fail at most N allocation sites (default 1024;
                                 runs also stop after 500,000 statements) and say how many were not failed
      --format text|json         output format (default: text)

  ecp-lens --help | --version

Exit status:
  0  no error-severity finding (check) / the run finished without leak or bug check (simulate)
  1  findings (check) / leaks or a bug check (simulate)
  2  usage or I/O error (message on standard error)
`;

export interface ParsedArgs {
  command: string | undefined;
  options: Map<string, string>;
  /** Repeatable short options: `-I` folders and `-D` defines, in order. */
  lists: Map<string, string[]>;
  positional: string[];
}

const VALUED = new Set(['--format', '--output', '--base', '--function', '--fail-alloc', '--fail-tag', '--max-fault-paths', '--compile-commands', '--jobs', '--worker-heap', '--max-paths']);
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
      } else if (name === '--help' || name === '--version' || name === '--verbose' || name === '--progress') {
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
    if (args.command === 'check') {
      const { checkCommand } = await import('./check');
      return await checkCommand(args, out);
    }
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
