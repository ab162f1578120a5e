import { Given } from '@cucumber/cucumber';
import { CertificationScenario } from './support/certification.js';
import { loadLiveConfig } from './support/targets/live-config.js';
import { RealTarget, type ScreenshotSink } from './support/targets/real-target.js';
import type { HarnessWorld } from './support/world.js';

Given('the OP under test, with a real browser at its login', async function (this: HarnessWorld) {
  const screenshots: ScreenshotSink = async (name, png) => {
    await this.attach(png, { mediaType: 'image/png', fileName: name });
  };
  const parameters = this.parameters as { target?: string; liveConfig?: string };
  const target = parameters.target === 'live'
    ? await RealTarget.live(await loadLiveConfig(parameters.liveConfig ?? 'live.json'), screenshots)
    : await RealTarget.local(screenshots);
  this.cert = CertificationScenario.startOn(this, target);
});

Given('the RP uses the client registered beforehand that authenticates with {word}', function (this: HarnessWorld, method: string) {
  const target = this.cert?.target;
  // A live provider is configured with one client: the other methods cannot be tried there.
  if (target instanceof RealTarget && !target.hasStaticClient(method)) return 'skipped';
  this.certSettings.registration = 'static';
  this.certSettings.preferences['token_endpoint_auth_method'] = method;
  return undefined;
});

Given('the RP registers itself dynamically rather than using a client registered beforehand', function (this: HarnessWorld) {
  this.certSettings.registration = 'dynamic';
});
