/**
 * Starts and stops code-server instances with hermetic state: every instance gets its own user
 * data dir, XDG folders, log file and workspace copy under `.e2e/run/<label>/`, listens on a free
 * loopback port, and runs in its own process group so stopping it takes the extension host and
 * the language server with it.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { CODE_SERVER_ENTRY, E2E_DIR, REPO_ROOT } from './install';

export const RUN_DIR = path.join(E2E_DIR, 'run');
export const EXTENSIONS_DIR = path.join(RUN_DIR, 'extensions');
export const RESULTS_DIR = path.join(REPO_ROOT, 'test-results/e2e');
const FIXTURES_DIR = path.join(REPO_ROOT, 'test/e2e/fixtures');
const EXAMPLES_DIR = path.join(REPO_ROOT, 'examples');

export interface CodeServerOptions {
  /** Names the instance's folder under .e2e/run/ and its log. */
  label: string;
  /** true: workspace trust enabled (restricted mode possible); false: trust disabled (recipe default). */
  workspaceTrust?: boolean;
  /** Extra user settings merged over the hermetic defaults. */
  settings?: Record<string, unknown>;
  /** Files written into the workspace copy before code-server opens it (relative path → text). */
  files?: Record<string, string>;
}

export interface CodeServer {
  url: string;
  /** The workspace folder (a copy of examples/ plus the e2e fixtures). */
  workspace: string;
  /** URL that opens the workbench on the workspace. */
  workbenchUrl: string;
  logPath: string;
  logTail(lines?: number): string;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) killGroup(child, 'SIGKILL');
});

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

/** A hermetic environment: code-server writes to XDG dirs even with --user-data-dir. */
function hermeticEnv(home: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) if (key.startsWith('VSCODE_') || key.startsWith('npm_')) delete env[key];
  return {
    ...env,
    XDG_CONFIG_HOME: path.join(home, 'xdg-config'),
    XDG_DATA_HOME: path.join(home, 'xdg-data'),
    XDG_CACHE_HOME: path.join(home, 'xdg-cache'),
    EXTENSIONS_GALLERY: '{}',
  };
}

export function defaultSettings(workspaceTrust: boolean): Record<string, unknown> {
  return {
    'workbench.startupEditor': 'none',
    'telemetry.telemetryLevel': 'off',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'update.mode': 'none',
    'security.workspace.trust.enabled': workspaceTrust,
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'chat.commandCenter.enabled': false,
    'window.commandCenter': false,
    'editor.minimap.enabled': false,
    'files.autoSave': 'off',
    // The workspace lives inside the repository's .e2e/: keep git and its prompts out of the way.
    'git.enabled': false,
    'git.openRepositoryInParentFolders': 'never',
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
  };
}

/** Installs the packaged extension into the shared, fresh extensions dir of this run. */
export function installExtension(vsix: string): void {
  fs.rmSync(EXTENSIONS_DIR, { recursive: true, force: true });
  const home = path.join(RUN_DIR, 'install-extension');
  fs.rmSync(home, { recursive: true, force: true });
  fs.mkdirSync(EXTENSIONS_DIR, { recursive: true });
  const args = [CODE_SERVER_ENTRY, '--install-extension', vsix, '--force', '--extensions-dir', EXTENSIONS_DIR, '--user-data-dir', path.join(home, 'data')];
  const result = spawnSync(process.execPath, args, { encoding: 'utf8', env: hermeticEnv(home), timeout: 120_000 });
  const output = `${result.stdout}${result.stderr}`;
  const installed = fs.readdirSync(EXTENSIONS_DIR).some((d) => d.startsWith('ecp-lens.ecp-lens-'));
  if (result.status !== 0 || !installed) {
    throw new Error(`e2e: "code-server --install-extension ${vsix}" failed (exit ${result.status}):\n${output}`);
  }
}

/** Copies examples/ (when it has sources) and the e2e fixtures into a fresh workspace folder. */
export function prepareWorkspace(dir: string): string {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const hasExamples = fs.existsSync(EXAMPLES_DIR) && fs.readdirSync(EXAMPLES_DIR).some((f) => /\.(c|h|cpp)$/.test(f));
  if (hasExamples) fs.cpSync(EXAMPLES_DIR, dir, { recursive: true });
  fs.cpSync(FIXTURES_DIR, dir, { recursive: true });
  return dir;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitForHealth(url: string, child: ChildProcess, logTail: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`code-server exited during start-up (code ${child.exitCode}, signal ${child.signalCode}):\n${logTail()}`);
    }
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) return;
      lastError = `HTTP ${response.status}`;
    } catch (err) {
      lastError = err instanceof Error ? err.message : String(err);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`code-server did not answer ${url}/healthz within ${timeoutMs} ms (last: ${lastError}):\n${logTail()}`);
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  const trust = options.workspaceTrust ?? false;
  const home = path.join(RUN_DIR, options.label);
  fs.rmSync(home, { recursive: true, force: true });
  const dataDir = path.join(home, 'data');
  fs.mkdirSync(path.join(dataDir, 'User'), { recursive: true });
  const settings = { ...defaultSettings(trust), ...options.settings };
  fs.writeFileSync(path.join(dataDir, 'User/settings.json'), JSON.stringify(settings, null, 2));
  // The folder is called "examples" so the workbench looks like the README demo.
  const workspace = prepareWorkspace(path.join(home, 'examples'));
  for (const [name, text] of Object.entries(options.files ?? {})) {
    fs.mkdirSync(path.dirname(path.join(workspace, name)), { recursive: true });
    fs.writeFileSync(path.join(workspace, name), text);
  }
  const logPath = path.join(home, 'code-server.log');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;

  const args = [
    CODE_SERVER_ENTRY,
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    ...(trust ? [] : ['--disable-workspace-trust']),
    '--user-data-dir', dataDir,
    '--extensions-dir', EXTENSIONS_DIR,
    '--log', 'info',
    workspace,
  ];
  const log = fs.openSync(logPath, 'a');
  fs.writeSync(log, `$ node ${args.join(' ')}\n`);
  // detached: the child calls setsid(), so its pid is the process group id.
  const child = spawn(process.execPath, args, { detached: true, stdio: ['ignore', log, log], env: hermeticEnv(home), cwd: home });
  fs.closeSync(log);
  running.add(child);
  const logTail = (lines = 80) => {
    try {
      return fs.readFileSync(logPath, 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '(no code-server log)';
    }
  };

  const stop = async () => {
    if (!running.has(child)) return;
    killGroup(child, 'SIGTERM');
    if (!(await waitForExit(child, 5_000))) killGroup(child, 'SIGKILL');
    await waitForExit(child, 5_000);
    // Anything left in the group (extension host, language server) goes too.
    killGroup(child, 'SIGKILL');
    running.delete(child);
  };

  try {
    await waitForHealth(url, child, logTail, 30_000);
  } catch (err) {
    await stop();
    throw err;
  }
  const workbenchUrl = `${url}/?folder=${encodeURIComponent(workspace)}`;
  return { url, workspace, workbenchUrl, logPath, logTail, stop };
}
