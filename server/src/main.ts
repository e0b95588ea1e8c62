/**
 * Language server entry. VS Code starts it over IPC; any other client runs
 * `node dist/server.js --stdio` (the transport is taken from the command line).
 */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { EcpLensServer } from './server';

const connection = createConnection(ProposedFeatures.all);
const server = new EcpLensServer();
server.attach(connection);
connection.listen();
