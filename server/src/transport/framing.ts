/**
 * Strict reader of LSP's stdio framing (`Content-Length: N\r\n\r\n` + N bytes of UTF-8 JSON).
 * A broken header leaves no way to find the next message, so it is fatal: the caller exits and
 * the client restarts the server. A well-framed body that is not JSON, or not an object, is a
 * recoverable problem: the caller answers it with an error and reading goes on.
 */
import { AbstractMessageReader, type DataCallback, type Disposable, type Message } from 'vscode-languageserver/node';

export const MAX_HEADER_BYTES = 8 * 1024;
export const MAX_CONTENT_BYTES = 64 * 1024 * 1024;

export interface FramingProblem {
  fatal: boolean;
  /** JSON-RPC code for a recoverable problem: ParseError or InvalidRequest. */
  code: -32700 | -32600;
  message: string;
}

export class StrictStreamReader extends AbstractMessageReader {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private bodyLength = -1;
  private stopped = false;

  constructor(private readonly input: NodeJS.ReadableStream, private readonly onProblem: (problem: FramingProblem) => void) {
    super();
  }

  listen(callback: DataCallback): Disposable {
    const onData = (chunk: Buffer) => this.read(chunk, callback);
    const onError = (err: Error) => this.fireError(err);
    const onClose = () => this.fireClose();
    this.input.on('data', onData);
    this.input.on('error', onError);
    this.input.on('end', onClose);
    return {
      dispose: () => {
        this.input.off('data', onData);
        this.input.off('error', onError);
        this.input.off('end', onClose);
      },
    };
  }

  private read(chunk: Buffer, callback: DataCallback): void {
    if (this.stopped) return;
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    for (;;) {
      if (this.bodyLength < 0 && !this.readHeader()) return;
      if (this.buffered < this.bodyLength) return;
      const body = this.take(this.bodyLength);
      this.bodyLength = -1;
      const message = parseBody(body);
      if ('problem' in message) this.onProblem(message.problem);
      else callback(message.message);
    }
  }

  /** Consumes one header block; false when it is incomplete (or fatal, and reading stops). */
  private readHeader(): boolean {
    const all = this.take(this.buffered);
    const end = all.indexOf('\r\n\r\n');
    if (end < 0 || end > MAX_HEADER_BYTES) {
      this.put(all);
      if (end > MAX_HEADER_BYTES || all.length > MAX_HEADER_BYTES) this.fatal(`a message header longer than ${MAX_HEADER_BYTES} bytes`);
      else {
        // No block end yet: a line already ended otherwise than by CRLF will never make one, and
        // waiting for 8 KiB more would leave the client with a live server that never answers.
        const broken = bareLineEnd(all);
        if (broken) this.fatal(broken);
      }
      return false;
    }
    const length = contentLength(all.subarray(0, end).toString('latin1'));
    this.put(all.subarray(end + 4));
    if (typeof length === 'string') {
      this.fatal(length);
      return false;
    }
    this.bodyLength = length;
    return true;
  }

  private take(n: number): Buffer {
    const all = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks);
    this.put(all.subarray(n));
    return all.subarray(0, n);
  }

  private put(rest: Buffer): void {
    this.chunks = rest.length > 0 ? [rest] : [];
    this.buffered = rest.length;
  }

  private fatal(message: string): void {
    this.stopped = true;
    this.chunks = [];
    this.onProblem({ fatal: true, code: -32700, message });
  }
}

/** The body length a header block declares, or why the block is unusable. */
export function contentLength(header: string): number | string {
  let length: number | undefined;
  for (const line of header.split('\r\n')) {
    const m = /^([A-Za-z0-9-]+):[ \t]*(.*?)[ \t]*$/.exec(line);
    if (!m) return `a malformed header line ${JSON.stringify(line.slice(0, 80))}`;
    const name = m[1].toLowerCase();
    if (name === 'content-length') {
      if (!/^\d{1,12}$/.test(m[2])) return `a Content-Length that is not a byte count (${JSON.stringify(m[2].slice(0, 40))})`;
      if (length !== undefined && length !== Number(m[2])) return `two different Content-Length values (${length} and ${Number(m[2])})`;
      length = Number(m[2]);
      if (length > MAX_CONTENT_BYTES) return `a Content-Length of ${length} bytes, over the ${MAX_CONTENT_BYTES}-byte limit`;
    } else if (name === 'content-type' && !isJsonRpcType(m[2])) {
      return `an unsupported Content-Type (${JSON.stringify(m[2].slice(0, 80))})`;
    }
  }
  return length ?? 'a message header without Content-Length';
}

/** Why a header still being read can never end with CRLF CRLF: a line ended by LF or CR alone. */
function bareLineEnd(header: Buffer): string | undefined {
  for (let i = header.indexOf(10); i >= 0; i = header.indexOf(10, i + 1)) {
    if (i === 0 || header[i - 1] !== 13) return `a header line ended by LF alone (${JSON.stringify(header.subarray(Math.max(0, i - 40), i).toString('latin1'))}); lines end with CRLF`;
  }
  for (let i = header.indexOf(13); i >= 0; i = header.indexOf(13, i + 1)) {
    if (i + 1 < header.length && header[i + 1] !== 10) return `a header line ended by CR alone (${JSON.stringify(header.subarray(Math.max(0, i - 40), i).toString('latin1'))}); lines end with CRLF`;
  }
  return undefined;
}

function isJsonRpcType(value: string): boolean {
  const [type, ...parameters] = value.split(';').map((p) => p.trim().toLowerCase());
  if (type !== 'application/vscode-jsonrpc' && type !== 'application/json') return false;
  return parameters.every((p) => !p.startsWith('charset=') || /^charset=("?)utf-?8\1$/.test(p));
}

function parseBody(body: Buffer): { message: Message } | { problem: FramingProblem } {
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch (err) {
    return { problem: { fatal: false, code: -32700, message: `the message body is not JSON (${err instanceof Error ? err.message : String(err)})` } };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { problem: { fatal: false, code: -32600, message: 'the message body is not a JSON-RPC message object' } };
  }
  return { message: value as Message };
}
