/** Finding a Chromium: the environment variable, and the message when there is none. */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { CHROMIUM_ENV_VARIABLE, findBrowser, NO_BROWSER_MESSAGE } from '../../live/browser.js';

describe('findBrowser', () => {
  const saved = process.env[CHROMIUM_ENV_VARIABLE];
  afterEach(() => {
    if (saved === undefined) delete process.env[CHROMIUM_ENV_VARIABLE];
    else process.env[CHROMIUM_ENV_VARIABLE] = saved;
  });

  it('uses OIDC_HARNESS_CHROMIUM when it names an existing file', async () => {
    process.env[CHROMIUM_ENV_VARIABLE] = process.execPath;
    assert.equal(await findBrowser(), process.execPath);
  });

  it('says how to get a browser when OIDC_HARNESS_CHROMIUM names nothing', async () => {
    process.env[CHROMIUM_ENV_VARIABLE] = '/nonexistent/chromium';
    await assert.rejects(findBrowser(), (error: Error) => {
      assert.match(error.message, /\/nonexistent\/chromium, which does not exist/);
      assert.ok(error.message.includes(NO_BROWSER_MESSAGE));
      return true;
    });
  });

  it('the message names apt-get, npx playwright install and the variable', () => {
    assert.match(NO_BROWSER_MESSAGE, /apt-get install -y chromium/);
    assert.match(NO_BROWSER_MESSAGE, /npx playwright install chromium/);
    assert.match(NO_BROWSER_MESSAGE, /OIDC_HARNESS_CHROMIUM/);
  });
});
