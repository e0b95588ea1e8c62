/**
 * Language server entry. VS Code starts it over IPC; any other client runs
 * `node dist/server.js --stdio`. Both transports pass through the lifecycle gate; stdio is read by
 * the strict framing reader, and a header it cannot read ends the process (exit 1) so the client
 * restarts the server instead of talking to one that went deaf.
 */
import {
  createConnection,
  IPCMessageReader,
  IPCMessageWriter,
  ProposedFeatures,
  StreamMessageWriter,
  type MessageReader,
  type MessageWriter,
} from 'vscode-languageserver/node';
import { createServer } from './serverFactory';
import { StrictStreamReader, type FramingProblem } from './transport/framing';
import { LifecycleGate } from './transport/lifecycle';

function transport(): [MessageReader, MessageWriter] | undefined {
  if (process.argv.includes('--node-ipc')) return [new IPCMessageReader(process), new IPCMessageWriter(process)];
  if (!process.argv.includes('--stdio')) return undefined; // sockets and pipes: the library's own transport
  const writer = new StreamMessageWriter(process.stdout);
  const onProblem = (problem: FramingProblem) => {
    if (problem.fatal) {
      process.stderr.write(`ecp-lens: unreadable message on standard input (${problem.message}); exiting so the client restarts the server\n`);
      process.exit(1);
    }
    void writer.write({ jsonrpc: '2.0', id: null, error: { code: problem.code, message: problem.message } } as never);
  };
  return [new StrictStreamReader(process.stdin, onProblem), writer];
}

function gatedConnection() {
  const chosen = transport();
  if (!chosen) return createConnection(ProposedFeatures.all);
  const [reader, writer] = chosen;
  return createConnection(ProposedFeatures.all, new LifecycleGate(reader, (response) => void writer.write(response)), writer);
}

const connection = gatedConnection();
createServer().attach(connection);
connection.listen();
