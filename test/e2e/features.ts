/**
 * Which product features exist yet, so a scenario runs as soon as its feature lands and is
 * skipped (visibly, by name) until then. Detection looks at what ships, not at source files:
 * package.json contributions, the snippet file, the CLI's findings on the example, and the
 * capabilities the built server advertises in a real LSP initialize over stdio.
 *
 * Override: ECP_E2E_FEATURES=all (or a comma list such as "hover,pool") forces scenarios to run.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from './install';

export type Feature = 'diagnostics' | 'hover' | 'snippets' | 'pool';

export const EXAMPLE_WITH_MISTAKES = 'attach-ecp-mistakes.c';

function readJson(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(path.join(REPO_ROOT, file), 'utf8'));
  } catch {
    return undefined;
  }
}

function forced(): Set<string> {
  return new Set((process.env.ECP_E2E_FEATURES ?? '').split(',').map((s) => s.trim()).filter(Boolean));
}

/** The capabilities `node dist/server.js --stdio` answers to initialize with. */
export async function serverCapabilities(timeoutMs = 15_000): Promise<Record<string, unknown>> {
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'dist/server.js'), '--stdio'], { stdio: 'pipe' });
  const send = (message: object) => {
    const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...message }), 'utf8');
    child.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    child.stdin.write(body);
  };
  try {
    return await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no initialize answer from dist/server.js')), timeoutMs);
      let buffer = Buffer.alloc(0);
      child.on('error', reject);
      child.stdout.on('data', (chunk: Buffer) => {
        buffer = Buffer.concat([buffer, chunk]);
        for (;;) {
          const headerEnd = buffer.indexOf('\r\n\r\n');
          if (headerEnd < 0) return;
          const length = Number(/Content-Length: (\d+)/i.exec(buffer.subarray(0, headerEnd).toString())?.[1]);
          if (buffer.length < headerEnd + 4 + length) return;
          const message = JSON.parse(buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString('utf8'));
          buffer = buffer.subarray(headerEnd + 4 + length);
          if (message.id === 1) {
            clearTimeout(timer);
            resolve((message.result?.capabilities ?? {}) as Record<string, unknown>);
          } else if (message.method === 'workspace/configuration') {
            send({ id: message.id, result: (message.params?.items ?? []).map(() => null) });
          }
        }
      });
      send({ id: 1, method: 'initialize', params: { processId: process.pid, rootUri: null, capabilities: {}, initializationOptions: {} } });
    });
  } finally {
    child.kill();
  }
}

/** true when the CLI reports at least one ecp- finding on examples/attach-ecp-mistakes.c. */
function cliFindsMistakes(): boolean {
  const example = path.join(REPO_ROOT, 'examples', EXAMPLE_WITH_MISTAKES);
  if (!fs.existsSync(example) || !fs.existsSync(path.join(REPO_ROOT, 'dist/cli.js'))) return false;
  const result = spawnSync(process.execPath, ['dist/cli.js', 'check', '--format', 'json', example], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000 });
  return /"ecp-[a-z-]+"/.test(result.stdout ?? '');
}

function hasSnippetPrefix(prefix: string): boolean {
  const snippets = readJson('snippets/ecp.json') as Record<string, { prefix?: string | string[] }> | undefined;
  return Object.values(snippets ?? {}).some((s) => ([] as string[]).concat(s.prefix ?? []).includes(prefix));
}

function contributesCommand(id: string): boolean {
  const pkg = readJson('package.json') as { contributes?: { commands?: { command: string }[] } } | undefined;
  return (pkg?.contributes?.commands ?? []).some((c) => c.command === id);
}

let cached: Promise<Record<Feature, boolean>> | undefined;

export function detectFeatures(): Promise<Record<Feature, boolean>> {
  cached ??= (async () => {
    const force = forced();
    const capabilities = await serverCapabilities().catch(() => ({}) as Record<string, unknown>);
    const detected: Record<Feature, boolean> = {
      diagnostics: cliFindsMistakes(),
      hover: Boolean(capabilities.hoverProvider) && Boolean(capabilities.signatureHelpProvider),
      snippets: hasSnippetPrefix('ecp-attach-flt'),
      pool: contributesCommand('ecpLens.openPoolSimulator') && fs.existsSync(path.join(REPO_ROOT, 'dist/webview.js')),
    };
    for (const key of Object.keys(detected) as Feature[]) if (force.has('all') || force.has(key)) detected[key] = true;
    return detected;
  })();
  return cached;
}
