/**
 * Starts the real built server (`node dist/server.js --stdio`) and speaks JSON-RPC to it.
 * No mock of the connection, no sleeps: tests await the server's own messages.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as path from 'node:path';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type InitializeResult,
  PublishDiagnosticsNotification,
  InitializeRequest,
  InitializedNotification,
  DidOpenTextDocumentNotification,
  ShutdownRequest,
  ExitNotification,
  ConfigurationRequest,
} from 'vscode-languageserver-protocol/node';

export const ROOT = path.resolve(__dirname, '../..');
export const SERVER = path.join(ROOT, 'dist/server.js');

export interface TestServer {
  connection: ProtocolConnection;
  process: ChildProcessWithoutNullStreams;
  initializeResult: InitializeResult;
  stderr: () => string;
  /** Resolves with the next diagnostics published for `uri` that satisfy `accept`. */
  diagnostics(uri: string, accept?: (p: PublishDiagnosticsParams) => boolean): Promise<PublishDiagnosticsParams>;
  open(uri: string, text: string, languageId?: string, version?: number): Promise<PublishDiagnosticsParams>;
  /** Resolves with the next file watcher the server registers (client/registerCapability) that satisfies `accept`. */
  watcher(accept: (globPattern: unknown) => boolean): Promise<unknown>;
  stop(): Promise<void>;
}

export interface StartOptions {
  workspaceFolders?: string[];
  /** Called for every $/progress notification and every server-initiated progress creation. */
  onProgress?: (value: unknown) => void;
  /** Called for every ecpLens/status notification. */
  onStatus?: (status: { state: string; message: string; indexed?: number; incomplete?: string }) => void;
  /** Extra environment variables for the server process. */
  env?: Record<string, string>;
  /** The client registers file watchers the server asks for (with relative patterns), as VS Code does. */
  watchRegistration?: boolean;
}

export async function startServer(settings: Record<string, unknown> = {}, options: StartOptions = {}): Promise<TestServer> {
  if (!fs.existsSync(SERVER)) throw new Error(`${SERVER} is missing: run npm run build first`);
  const child = spawn(process.execPath, [SERVER, '--stdio'], { stdio: 'pipe', env: { ...process.env, ...options.env } });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += String(d)));
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const waiters: { uri: string; accept: (p: PublishDiagnosticsParams) => boolean; resolve: (p: PublishDiagnosticsParams) => void }[] = [];
  connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
    for (const w of [...waiters]) {
      if (w.uri === p.uri && w.accept(p)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(p);
      }
    }
  });
  connection.onRequest(ConfigurationRequest.type, (params) => params.items.map(() => settings));
  connection.onRequest('window/workDoneProgress/create', () => null);
  const watchers: unknown[] = [];
  const watcherWaiters: { accept: (g: unknown) => boolean; resolve: (g: unknown) => void }[] = [];
  const heard = (glob: unknown) => {
    const w = watcherWaiters.find((x) => x.accept(glob));
    if (w) {
      watcherWaiters.splice(watcherWaiters.indexOf(w), 1);
      w.resolve(glob);
    } else watchers.push(glob);
  };
  connection.onRequest('client/registerCapability', (p: { registrations: { method: string; registerOptions?: { watchers?: { globPattern: unknown }[] } }[] }) => {
    for (const r of p.registrations) if (r.method === 'workspace/didChangeWatchedFiles') for (const w of r.registerOptions?.watchers ?? []) heard(w.globPattern);
    return null;
  });
  connection.onNotification('$/progress', (p: { value: unknown }) => options.onProgress?.(p.value));
  connection.onNotification('ecpLens/status', (p: Parameters<NonNullable<StartOptions['onStatus']>>[0]) => options.onStatus?.(p));
  connection.listen();
  const initializeResult = await connection.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: null,
    workspaceFolders: options.workspaceFolders?.map((uri, i) => ({ uri, name: `folder${i}` })) ?? null,
    capabilities: {
      workspace: { configuration: true, workspaceFolders: true, ...(options.watchRegistration ? { didChangeWatchedFiles: { dynamicRegistration: true, relativePatternSupport: true } } : {}) },
      window: { workDoneProgress: Boolean(options.onProgress) },
      textDocument: { hover: { contentFormat: ['markdown'] } },
    },
    initializationOptions: { settings },
  });
  await connection.sendNotification(InitializedNotification.type, {});
  const server: TestServer = {
    connection,
    process: child,
    initializeResult,
    stderr: () => stderr,
    diagnostics(uri, accept = () => true) {
      return new Promise((resolve) => waiters.push({ uri, accept, resolve }));
    },
    async open(uri, text, languageId = 'c', version = 1) {
      const published = server.diagnostics(uri, (p) => p.version === undefined || p.version === version);
      await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version, text } });
      return published;
    },
    watcher(accept) {
      const known = watchers.find(accept);
      if (known !== undefined) {
        watchers.splice(watchers.indexOf(known), 1);
        return Promise.resolve(known);
      }
      return new Promise((resolve) => watcherWaiters.push({ accept, resolve }));
    },
    async stop() {
      try {
        await connection.sendRequest(ShutdownRequest.type);
        await connection.sendNotification(ExitNotification.type);
      } catch {
        // already gone
      }
      connection.dispose();
      if (child.exitCode === null) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            child.kill('SIGKILL');
            resolve();
          }, 5000);
          child.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
    },
  };
  return server;
}

/** Starts the server on workspace folders and resolves once their background index is ready. */
export async function startIndexed(settings: Record<string, unknown>, folders: string[], options: StartOptions = {}): Promise<TestServer> {
  let indexed: () => void = () => {};
  const ready = new Promise<void>((resolve) => (indexed = resolve));
  const started = await startServer(settings, {
    ...options,
    workspaceFolders: folders.map((f) => pathToFileURL(f).toString()),
    onStatus: (s) => {
      options.onStatus?.(s);
      if (s.state === 'ready') indexed();
    },
  });
  await ready;
  return started;
}

export function fixtureUri(name: string): string {
  return `file:///fixtures/${name}`;
}

/** A copy of a fixture project in a temporary folder, so edits on disk stay in the test's own folder. */
export function projectCopy(project: string, prefix = 'ecp-program-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.cpSync(project, dir, { recursive: true });
  return dir;
}
