/** The language client: the server runs over IPC from the bundle in dist/. */
import * as vscode from 'vscode';
import {
  LanguageClient,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
  State,
} from 'vscode-languageclient/node';
import { ruleDocMiddleware } from './ruleDocs';

export interface ClientHandle {
  client: LanguageClient;
  start(): Promise<void>;
  stop(): Promise<void>;
  restart(): Promise<void>;
  onStateChange: vscode.Event<string>;
}

export const DOCUMENT_SELECTOR = [
  { language: 'c' },
  { language: 'cpp' },
];

export function startClient(context: vscode.ExtensionContext, output: vscode.LogOutputChannel): ClientHandle {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6010'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_SELECTOR,
    outputChannel: output,
    synchronize: {
      configurationSection: 'ecpLens',
      // Cross-file rules (lookaside init/delete pairs) follow files changed outside the editor, and
      // the build configuration follows its compile database (a database named by the setting
      // elsewhere is watched by the server's own registration).
      fileEvents: [vscode.workspace.createFileSystemWatcher('**/*.{c,h,cpp,hpp,cc,cxx,inl}'), vscode.workspace.createFileSystemWatcher('**/compile_commands.json')],
    },
    initializationOptions: { settings: vscode.workspace.getConfiguration().get('ecpLens') },
    // The rule documentation opens rendered at the rule (ruleDocs.ts).
    middleware: ruleDocMiddleware(context.asAbsolutePath('docs/rules.md')),
  };
  const client = new LanguageClient('ecpLens', 'ECP Lens', serverOptions, clientOptions);
  const emitter = new vscode.EventEmitter<string>();
  context.subscriptions.push(emitter);
  client.onDidChangeState((e) => {
    const name = e.newState === State.Running ? 'running' : e.newState === State.Starting ? 'starting' : 'stopped';
    emitter.fire(name);
  });
  return {
    client,
    start: () => client.start(),
    stop: async () => {
      if (client.isRunning()) await client.stop();
    },
    restart: () => client.restart(),
    onStateChange: emitter.event,
  };
}
