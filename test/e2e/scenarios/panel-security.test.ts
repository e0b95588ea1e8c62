/**
 * Scenario 5: text from the user's code shows as text in the panel (a string literal that looks
 * like HTML is not parsed), and the panel's CSP blocks inline script.
 */
import { describe, expect, it } from 'vitest';
import { detectFeatures } from '../features';
import { openPoolSimulator } from '../pool';
import { useSession } from '../session';
import { step } from '../workbench';

const features = await detectFeatures();
const FILE = 'e2e-html.c';

describe.skipIf(!features.pool)('scenario 5: panel shows code as text under a strict CSP', () => {
  const session = useSession({ label: 'panel-security' });

  it('shows an HTML-looking string literal literally and runs none of it', async () => {
    const { workbench } = session();
    const panel = await openPoolSimulator(workbench, FILE, 'HtmlLiteral');
    await step('the literal appears as text in a step', () =>
      panel.locator('#steps .step', { hasText: '<img src=x onerror=' }).first().waitFor({ state: 'attached' }));
    const frame = await workbench.webviewFrame();
    const injected = await frame.evaluate(() => ({
      images: document.querySelectorAll('img[src="x"]').length,
      scripts: Array.from(document.scripts).filter((s) => (s.textContent ?? '').includes('__ecpLensPwned')).length,
      pwned: (window as unknown as { __ecpLensPwned?: number }).__ecpLensPwned ?? null,
    }));
    expect(injected).toEqual({ images: 0, scripts: 0, pwned: null });
    await workbench.screenshot('5-panel-html-literal');
  });

  it('declares a strict CSP with a nonce and blocks an inline script', async () => {
    const { workbench } = session();
    const frame = await workbench.webviewFrame();
    const csp = (await frame.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')) ?? '';
    expect(csp).toMatch(/default-src 'none'/);
    expect(csp).toMatch(/script-src[^;]*'nonce-[A-Za-z0-9+/=]+'/);
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    const result = await frame.evaluate(async () => {
      const violations: string[] = [];
      document.addEventListener('securitypolicyviolation', (e) => violations.push(e.violatedDirective));
      const script = document.createElement('script');
      script.textContent = 'window.__ecpLensInline = true;';
      document.body.appendChild(script);
      await new Promise((r) => setTimeout(r, 100));
      return { ran: (window as unknown as { __ecpLensInline?: boolean }).__ecpLensInline === true, violations };
    });
    expect(result.ran).toBe(false);
    expect(result.violations.some((v) => v.startsWith('script-src'))).toBe(true);
  });
});
