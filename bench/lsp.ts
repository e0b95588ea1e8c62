/**
 * End-to-end benchmarks of the built server and CLI, measured as a user meets them: the real
 * `dist/server.js --stdio` over JSON-RPC and the real `dist/cli.js` on files on disk. Every
 * latency is set beside a bare tree-sitter parse of the same text, so each figure is also a ratio.
 * The server and CLI are black boxes here, so the same code measures any build (`--dist DIR`).
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  ConfigurationRequest,
  InitializeRequest,
  InitializedNotification,
  DidOpenTextDocumentNotification,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  HoverRequest,
  CompletionRequest,
  ShutdownRequest,
  ExitNotification,
} from 'vscode-languageserver-protocol/node';
import { stats, type Stat } from './stats';

export interface LspServer {
  connection: ProtocolConnection;
  child: ChildProcessWithoutNullStreams;
  /** The next diagnostics published for `uri` with `version` (or any version when omitted). */
  published(uri: string, version?: number): Promise<PublishDiagnosticsParams>;
  rssMiB(): number;
  stop(): Promise<void>;
}

export async function startLsp(dist: string, settings: Record<string, unknown>, folders: string[] = [], nodeArgs: string[] = []): Promise<LspServer> {
  const child = spawn(process.execPath, [...nodeArgs, path.join(dist, 'server.js'), '--stdio'], { stdio: 'pipe' });
  child.stderr.resume();
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const waiters: { uri: string; version?: number; resolve: (p: PublishDiagnosticsParams) => void }[] = [];
  connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
    for (const w of [...waiters]) {
      if (w.uri !== p.uri || (w.version !== undefined && p.version !== undefined && p.version !== w.version)) continue;
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(p);
    }
  });
  connection.onRequest(ConfigurationRequest.type, (params) => params.items.map(() => settings));
  connection.onRequest('window/workDoneProgress/create', () => null);
  connection.onNotification('$/progress', () => undefined);
  connection.onNotification('window/logMessage', () => undefined);
  connection.listen();
  await connection.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: null,
    workspaceFolders: folders.length ? folders.map((uri, i) => ({ uri, name: `f${i}` })) : null,
    capabilities: { workspace: { configuration: true, workspaceFolders: true }, textDocument: { hover: { contentFormat: ['markdown'] } } },
    initializationOptions: { settings },
  });
  await connection.sendNotification(InitializedNotification.type, {});
  return {
    connection,
    child,
    published: (uri, version) => new Promise((resolve) => waiters.push({ uri, version, resolve })),
    rssMiB: () => {
      const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
      return kb / 1024;
    },
    async stop() {
      try {
        await connection.sendRequest(ShutdownRequest.type);
        await connection.sendNotification(ExitNotification.type);
      } catch {
        // already gone
      }
      connection.dispose();
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

function positionAt(text: string, offset: number): { line: number; character: number } {
  let line = 0;
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, character: offset - start };
}

export interface EditLatency {
  firstOpenMs: Stat;
  /**
   * Spawn of the server → `initialize` answered, and spawn → the first diagnostics of the dense
   * file opened at once (what a user who opens a file in a fresh window waits): work the server
   * does at initialize shows here, not in `firstOpenMs`.
   */
  startMs: Stat;
  startToFirstMs: Stat;
  /**
   * didOpen → first diagnostics of another file of the same size in the server that just
   * published the first one: the first open minus this is the first-use cost (wasm and JIT warm-up).
   */
  warmOpenMs: Stat;
  editMs: Stat;
  hoverMs: Stat;
  completionMs: Stat;
}

/** didOpen → first publish on fresh servers; then one-character edits → publish, hover, completion. */
export async function editorLatency(dist: string, text: string, runs: number): Promise<EditLatency> {
  const uri = 'file:///bench/dense.c';
  const opens: number[] = [];
  const starts: number[] = [];
  const startToFirst: number[] = [];
  for (let i = 0; i < Math.max(3, Math.ceil(runs / 3)); i++) {
    const spawned = performance.now();
    const server = await startLsp(dist, { diagnosticsDelay: 0, workspaceIndexing: false });
    const t = performance.now();
    starts.push(t - spawned);
    const first = server.published(uri);
    await server.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'c', version: 1, text } });
    await first;
    opens.push(performance.now() - t);
    startToFirst.push(performance.now() - spawned);
    if (i < Math.max(3, Math.ceil(runs / 3)) - 1) await server.stop();
    else return { firstOpenMs: stats(opens), startMs: stats(starts), startToFirstMs: stats(startToFirst), warmOpenMs: await warmOpen(server, text), ...(await warmLatency(server, uri, text, runs)) };
  }
  throw new Error('unreachable');
}

/** Opens renamed copies of the text one after the other (nothing cached), each closed again. */
async function warmOpen(server: LspServer, text: string): Promise<Stat> {
  const opens: number[] = [];
  for (let i = 0; i < 3; i++) {
    const uri = `file:///bench/warm${i}.c`;
    // Other function names: the engine's function cache (keyed by text) has none of them.
    const copy = text.replace(/_d(\d+)\b/g, `_w${i}n$1`);
    if (copy === text) throw new Error('the bench text has no renamed functions to rename again');
    const t = performance.now();
    const first = server.published(uri);
    await server.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'c', version: 1, text: copy } });
    await first;
    opens.push(performance.now() - t);
    await server.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }
  return stats(opens);
}

async function warmLatency(server: LspServer, uri: string, text: string, runs: number): Promise<Omit<EditLatency, 'firstOpenMs' | 'startMs' | 'startToFirstMs' | 'warmOpenMs'>> {
  const edits: number[] = [];
  let version = 1;
  let current = text;
  const anchor = 'status = STATUS_SUCCESS';
  const editCount = Math.max(20, runs * 5);
  for (let i = 0; i < editCount; i++) {
    // Alternately type and delete one space after an assignment in the middle of the file.
    const at = current.indexOf(anchor, Math.floor(current.length / 2)) + anchor.length;
    const insert = i % 2 === 0;
    const range = insert ? { start: positionAt(current, at), end: positionAt(current, at) } : { start: positionAt(current, at), end: positionAt(current, at + 1) };
    current = insert ? `${current.slice(0, at)} ${current.slice(at)}` : `${current.slice(0, at)}${current.slice(at + 1)}`;
    version++;
    const t = performance.now();
    const done = server.published(uri, version);
    await server.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version },
      contentChanges: [{ range, text: insert ? ' ' : '' }],
    });
    await done;
    edits.push(performance.now() - t);
  }
  const hovers: number[] = [];
  const completions: number[] = [];
  const calls = [...current.matchAll(/FltAllocateExtraCreateParameterList\(/g)].map((m) => m.index ?? 0);
  for (let i = 0; i < Math.max(40, runs * 5); i++) {
    const at = calls[(i * 7) % calls.length];
    let t = performance.now();
    await server.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: positionAt(current, at + 3) });
    hovers.push(performance.now() - t);
    t = performance.now();
    await server.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: positionAt(current, at + 'FltAllocateExtraCreateParameterList('.length) });
    completions.push(performance.now() - t);
  }
  await server.stop();
  return { editMs: stats(edits), hoverMs: stats(hovers), completionMs: stats(completions) };
}

/** Resident memory of the server after opening `count` files and waiting for their diagnostics. */
export async function memoryWithOpenFiles(dist: string, files: string[]): Promise<{ files: number; totalKiB: number; rssMiB: number; baseMiB: number }> {
  const server = await startLsp(dist, { diagnosticsDelay: 0, workspaceIndexing: false });
  const baseMiB = server.rssMiB();
  for (let i = 0; i < files.length; i++) {
    const uri = `file:///bench/open/${i}.c`;
    const done = server.published(uri);
    await server.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'c', version: 1, text: files[i] } });
    await done;
  }
  const rssMiB = server.rssMiB();
  await server.stop();
  const totalKiB = files.reduce((n, f) => n + f.length, 0) / 1024;
  return { files: files.length, totalKiB, rssMiB, baseMiB };
}

export interface CliFigures {
  files: number;
  mib: number;
  /** `--jobs` and `--format` of each measured run, with its wall time and throughput. */
  jobs: { jobs: number; format: CliFormat; checkMs: Stat; mibPerSecond: number }[];
  startupMs: Stat;
  versionMs: Stat;
}

/** JSON prints quick fixes (built and verified); text prints none, so it builds none. */
export type CliFormat = 'json' | 'text';

/**
 * `ecp-lens check` over a tree written to a temporary folder with each `--jobs` and `--format`
 * (runs interleaved, so a load spike hits them alike), its start-up on an empty file, and
 * `--version`. Every run's report must equal the first one of its format: the figures are of the
 * same work.
 */
export function cliThroughput(dist: string, files: string[], runs: number, configs: { jobs: number; format: CliFormat }[] = [{ jobs: 1, format: 'json' }, { jobs: 2, format: 'json' }], folder?: string): CliFigures {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecp-bench-'));
  try {
    // A real tree (`--tree DIR`) is checked where it is; the generated one is written here.
    if (!folder) files.forEach((text, i) => fs.writeFileSync(path.join(dir, `unit${String(i).padStart(2, '0')}.c`), text));
    const target = folder ?? dir;
    const empty = path.join(dir, 'empty', 'empty.c');
    fs.mkdirSync(path.dirname(empty));
    fs.writeFileSync(empty, '');
    const cli = path.join(dist, 'cli.js');
    const check = configs.map(() => [] as number[]);
    const startup: number[] = [];
    const version: number[] = [];
    const first = new Map<CliFormat, string>();
    for (let i = 0; i < runs; i++) {
      configs.forEach(({ jobs, format }, k) => {
        const t = performance.now();
        const r = spawnSync(process.execPath, [cli, 'check', '--jobs', String(jobs), '--format', format, target], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
        check[k].push(performance.now() - t);
        if (r.status !== 0 && r.status !== 1) throw new Error(`ecp-lens check --jobs ${jobs} --format ${format} exited ${r.status}: ${r.stderr}`);
        // The findings, not the coverage: a function stopped by the 400 ms time bound on a loaded
        // machine is counted incomplete in one run and not in the next, whatever --jobs is (the
        // text report's last line counts the functions, so it is left out).
        const findings = format === 'json' ? JSON.stringify(JSON.parse(r.stdout).files) : r.stdout.split('\n').slice(0, -2).join('\n');
        const earlier = first.get(format) ?? findings;
        first.set(format, earlier);
        if (earlier !== findings) throw new Error(`ecp-lens check --jobs ${jobs} --format ${format} gave other findings than the first run in that format`);
      });
      let t = performance.now();
      spawnSync(process.execPath, [cli, 'check', empty], { encoding: 'utf8' });
      startup.push(performance.now() - t);
      t = performance.now();
      spawnSync(process.execPath, [cli, '--version'], { encoding: 'utf8' });
      version.push(performance.now() - t);
    }
    const mib = files.reduce((n, f) => n + Buffer.byteLength(f), 0) / (1024 * 1024);
    const jobs = configs.map((c, k) => {
      const checkMs = stats(check[k]);
      return { ...c, checkMs, mibPerSecond: mib / (checkMs.median / 1000) };
    });
    return { files: files.length, mib, jobs, startupMs: stats(startup), versionMs: stats(version) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
