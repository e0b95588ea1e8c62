/**
 * Malformed framing over a real child process: a header the server cannot read ends it (exit 1,
 * one line on stderr) so the client restarts it; a well-framed body that is not a JSON-RPC object
 * is answered with an error and the server goes on. Never alive and silent.
 */
import { describe, it, expect } from 'vitest';
import { frame, startRaw, INITIALIZE } from './raw';

const FATAL: [string, string][] = [
  ['no Content-Length', 'Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{}'],
  ['a non-numeric Content-Length', 'Content-Length: ten\r\n\r\n{}'],
  ['a negative Content-Length', 'Content-Length: -5\r\n\r\n{}'],
  ['a huge Content-Length', 'Content-Length: 99999999999\r\n\r\n{}'],
  ['a wrong Content-Type', 'Content-Length: 2\r\nContent-Type: text/html; charset=latin1\r\n\r\n{}'],
  ['a header line without a colon', 'Content-Length 2\r\n\r\n{}'],
  ['a header that never ends', 'Content-Length: 2\n\n{}'.padEnd(9000, 'x')],
  ['a Content-Length shorter than the body', `Content-Length: 10\r\n\r\n${JSON.stringify(INITIALIZE)}${frame(JSON.stringify(INITIALIZE))}`],
  // Nothing follows these: the server must not wait for a header end that cannot come.
  ['a header line ended by LF alone', 'Content-Length: 2\n\n{}'],
  ['a header line ended by CRLF, then LF alone', 'Content-Length: 2\r\n\n{}'],
  ['a line of text that is no header', 'hello\n'],
  ['a header line ended by CR alone', 'Content-Length: 2\rX'],
  ['two different Content-Length values', 'Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}'],
];

const RECOVERED: [string, string, number][] = [
  ['a body that is not JSON', frame('{"jsonrpc": "2.0", "id": 1,'), -32700],
  ['a body that is JSON but not a message object', frame('[1, 2, 3]'), -32600],
];

describe('malformed message framing', () => {
  for (const [what, bytes] of FATAL) {
    it(`exits with status 1 on ${what}`, async () => {
      const server = startRaw();
      try {
        server.write(bytes);
        const { code, stderr } = await server.exited;
        expect(code).toBe(1);
        expect(stderr.trim().split('\n')).toHaveLength(1);
        expect(stderr).toMatch(/unreadable message on standard input/);
      } finally {
        server.kill();
      }
    });
  }

  for (const [what, bytes, code] of RECOVERED) {
    it(`answers ${what} with ${code} and goes on serving`, async () => {
      const server = startRaw();
      try {
        server.write(bytes);
        const error = await server.next((m) => m.id === null && m.error !== undefined);
        expect(error.error?.code).toBe(code);
        server.send(INITIALIZE);
        const answer = await server.next((m) => m.id === 1);
        expect(answer.result).toMatchObject({ serverInfo: { name: 'ecp-lens' } });
      } finally {
        server.kill();
      }
    });
  }

  it('reads a message split across writes and two messages in one write', async () => {
    const server = startRaw();
    try {
      const bytes = frame(JSON.stringify(INITIALIZE));
      server.write(bytes.slice(0, 7));
      server.write(bytes.slice(7) + frame(JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'shutdown' })));
      expect((await server.next((m) => m.id === 1)).result).toBeTruthy();
      expect(await server.next((m) => m.id === 2)).toMatchObject({ result: null });
    } finally {
      server.kill();
    }
  });
});
