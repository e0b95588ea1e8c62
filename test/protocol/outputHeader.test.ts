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
});
