/**
 * The channel to the extension host. Inside VS Code it is `acquireVsCodeApi()`; in the browser
 * harness a test installs `window.__ecpLensTestApi` before the bundle runs; otherwise a no-op.
 */
import type { PanelToHost } from './messages';

export interface HostApi {
  postMessage(message: PanelToHost): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare const acquireVsCodeApi: undefined | (() => HostApi);

interface TestWindow {
  __ecpLensTestApi?: HostApi;
}

function noopApi(): HostApi {
  let state: unknown;
  return {
    postMessage: () => undefined,
    getState: () => state,
    setState: (s) => {
      state = s;
    },
  };
}

export function connectHost(): HostApi {
  if (typeof acquireVsCodeApi === 'function') return acquireVsCodeApi();
  const shim = (window as unknown as TestWindow).__ecpLensTestApi;
  if (shim && typeof shim.postMessage === 'function' && typeof shim.getState === 'function' && typeof shim.setState === 'function') {
    return shim;
  }
  return noopApi();
}
