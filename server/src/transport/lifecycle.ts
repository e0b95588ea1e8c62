/**
 * LSP's lifecycle rules in front of the connection: before `initialize` a request is answered
 * ServerNotInitialized (-32002) and a notification dropped (except `exit`); after `shutdown` a
 * request is answered InvalidRequest (-32600) and a notification dropped (a late `didOpen` is not
 * analysed); a second `initialize` is answered InvalidRequest too. A request whose params are
 * `null` gets InvalidParams (-32602): JSON-RPC params are an object or an array, or absent.
 */
import { AbstractMessageReader, type DataCallback, type Disposable, type Message, type MessageReader, type ResponseMessage } from 'vscode-languageserver/node';

type Phase = 'uninitialized' | 'running' | 'shut down';

interface Incoming {
  id?: number | string | null;
  method?: unknown;
  params?: unknown;
}

export class LifecycleGate extends AbstractMessageReader {
  private phase: Phase = 'uninitialized';

  constructor(private readonly inner: MessageReader, private readonly reply: (response: ResponseMessage) => void) {
    super();
    inner.onError((err) => this.fireError(err));
    inner.onClose(() => this.fireClose());
    inner.onPartialMessage((info) => this.firePartialMessage(info));
  }

  listen(callback: DataCallback): Disposable {
    return this.inner.listen((message) => {
      if (this.admit(message as Incoming)) callback(message);
    });
  }

  /** Whether the message goes on to the connection; answers the requests it stops. */
  private admit(message: Incoming): boolean {
    const method = typeof message.method === 'string' ? message.method : undefined;
    if (method === undefined || method === 'exit') return true; // responses to the server's own requests, and exit
    const isRequest = message.id !== undefined;
    const refuse = (code: number, text: string) => {
      if (isRequest) this.reply({ jsonrpc: '2.0', id: message.id ?? null, error: { code, message: `${method}: ${text}` } });
      return false;
    };
    if (this.phase === 'uninitialized' && method !== 'initialize') return refuse(-32002, 'the server has not been initialised yet');
    if (this.phase === 'shut down') return refuse(-32600, 'the server has been shut down; only exit is accepted');
    // A second initialize would set the server up again under a running session (its settings, folders, index).
    if (this.phase === 'running' && method === 'initialize') return refuse(-32600, 'the server is already initialised; initialize is sent once');
    if (isRequest && message.params === null && method !== 'shutdown') return refuse(-32602, 'params must be an object, not null');
    if (method === 'initialize') this.phase = 'running';
    if (method === 'shutdown') this.phase = 'shut down';
    return true;
  }
}

export type { Message };
