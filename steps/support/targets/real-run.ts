import type { Browser } from 'playwright-core';

/** Whatever answers the listener's requests for the current scenario: the RP's handler, or a probe's catcher. */
export interface ListenerRoute {
  /** The answer; `undefined` means 404. */
  handle(request: Request): Promise<Response | undefined>;
}

/** What a run against real OPs shares between scenarios: the RP's listener and the browser. */
interface RealRun {
  listenerUrl: string;
  route(handler: ListenerRoute | undefined): void;
  browser(): Promise<Browser>;
  close(): Promise<void>;
}

let run: Promise<RealRun> | undefined;

/**
 * The run's loopback listener for the RP's endpoints, started on first use on `port` (0: any),
 * serving whichever scenario's RP is current, and the run's Chromium, launched on first use.
 */
export function realRun(port = 0): Promise<RealRun> {
  run ??= (async () => {
    const { startCallbackListener } = await import('../../../live/callback-listener.js');
    let current: ListenerRoute | undefined;
    const listener = await startCallbackListener({ port, handler: async (request: Request) => current?.handle(request) });
    let browser: Promise<Browser> | undefined;
    return {
      listenerUrl: listener.url.replace(/\/+$/, ''),
      route: (handler) => {
        current = handler;
      },
      browser: () => {
        browser ??= import('../../../live/browser.js').then(({ launchBrowser }) => launchBrowser());
        return browser;
      },
      close: async () => {
        await (await browser)?.close();
        await listener.close();
      },
    };
  })();
  return run;
}

/** Stops the listener and the browser, if the run started them. */
export async function closeRealRun(): Promise<void> {
  const started = run;
  run = undefined;
  await (await started)?.close();
}
