/** The output channel starts with what runs: server version, Node version and the settings in effect. */
import { describe, it, expect, afterAll } from 'vitest';
import { LogMessageNotification } from 'vscode-languageserver-protocol/node';
import { startServer, type TestServer } from './harness';
import { SERVER_VERSION } from '../../server/src/version';

let server: TestServer | undefined;

afterAll(async () => {
  await server?.stop();
});

describe('output channel header', () => {
  it('logs version, Node version and settings before anything else', async () => {
    const logs: string[] = [];
    let first: (line: string) => void = () => undefined;
    const firstLine = new Promise<string>((resolve) => (first = resolve));
    server = await startServer({ diagnosticsDelay: 7, maxPathsPerFunction: 123 });
    server.connection.onNotification(LogMessageNotification.type, (p) => {
      logs.push(p.message);
      if (logs.length === 1) first(p.message);
    });
    const line = await firstLine;
    expect(line).toContain(`ECP Lens server ${SERVER_VERSION} on Node ${process.version}`);
    const settings = JSON.parse(line.slice(line.indexOf('settings in effect: ') + 'settings in effect: '.length));
    expect(settings).toMatchObject({ diagnosticsDelay: 7, maxPathsPerFunction: 123 });
  });

  it('says what the warm-up at initialize did: the engine ran on the built-in text', async () => {
    let heard: (line: string) => void = () => undefined;
    const warmUpLine = new Promise<string>((resolve) => (heard = resolve));
    const other = await startServer({});
    try {
      other.connection.onNotification(LogMessageNotification.type, (p) => {
        if (p.message.startsWith('warm-up at initialize')) heard(p.message);
      });
      const line = await warmUpLine;
      expect(Number(/\((\d+) findings on the built-in text/.exec(line)?.[1])).toBeGreaterThan(0);
    } finally {
      await other.stop();
    }
  });
});
