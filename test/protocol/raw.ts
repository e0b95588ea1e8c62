/**
 * The built server as a child process spoken to in raw bytes, for tests of the framing and the
 * lifecycle that a well-behaved JSON-RPC library cannot send.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { SERVER } from './harness';

export interface RawMessage {
  id?: number | string | null;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: { code: number; message: string };
}

export interface RawServer {
  child: ChildProcessWithoutNullStreams;
  write(bytes: string | Buffer): void;
  send(message: object): void;
  /** The next message from the server that satisfies `accept`. */
  next(accept: (m: RawMessage) => boolean): Promise<RawMessage>;
  /** Every message received so far. */
  received: RawMessage[];
  exited: Promise<{ code: number | null; stderr: string }>;
  kill(): void;
}

export function frame(body: string): string {
  return `Content-Length: ${Buffer.byteLength(body, 'utf8')}\r\n\r\n${body}`;
}

export function startRaw(): RawServer {
  const child = spawn(process.execPath, [SERVER, '--stdio'], { stdio: 'pipe' });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += String(d)));
  const received: RawMessage[] = [];
  const waiters: { accept: (m: RawMessage) => boolean; resolve: (m: RawMessage) => void }[] = [];
  let pending = Buffer.alloc(0);
  child.stdout.on('data', (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    for (;;) {
      const end = pending.indexOf('\r\n\r\n');
      if (end < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(pending.subarray(0, end).toString())?.[1]);
      if (pending.length < end + 4 + length) return;
      const message = JSON.parse(pending.subarray(end + 4, end + 4 + length).toString()) as RawMessage;
      pending = pending.subarray(end + 4 + length);
      received.push(message);
      for (const w of [...waiters]) if (w.accept(message)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(message);
      }
    }
  });
  child.stdin.on('error', () => {}); // the server may exit while we still write
  const exited = new Promise<{ code: number | null; stderr: string }>((resolve) => child.once('exit', (code) => resolve({ code, stderr })));
  return {
    child,
    received,
    exited,
    write: (bytes) => void child.stdin.write(bytes),
    send: (message) => void child.stdin.write(frame(JSON.stringify(message))),
    next: (accept) => new Promise((resolve) => {
      const seen = received.find(accept);
      if (seen) resolve(seen);
      else waiters.push({ accept, resolve });
    }),
    kill: () => {
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

export const INITIALIZE = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } };
