// What the tests need from the machine besides npm's packages: Chromium (the real-browser tests)
// and redis-server (the RedisStore tests) for `npm test`; with `--e2e` (`npm run test:e2e`), also
// glewlwyd (an OpenID Provider the live tests run against).
// On Debian or Ubuntu, run as root, it installs what is missing from the distribution's packages;
// otherwise it says exactly what to install, and stops the tests before they fail one by one.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** What the tests need: how to tell it is there, and the distribution's package that brings it. */
const NEEDS = [
  { what: 'Chromium', present: () => existsSync(process.env.OIDC_HARNESS_CHROMIUM || '/usr/bin/chromium'), packages: { debian: 'chromium', ubuntu: 'chromium-browser' } },
  { what: 'redis-server', present: () => existsSync(process.env.REDIS_SERVER || '/usr/bin/redis-server'), packages: { debian: 'redis-server', ubuntu: 'redis-server' } },
  { what: 'glewlwyd', present: () => existsSync('/usr/bin/glewlwyd'), packages: { debian: 'glewlwyd', ubuntu: 'glewlwyd' }, e2e: true },
].filter((need) => !need.e2e || process.argv.includes('--e2e'));
const command = process.argv.includes('--e2e') ? 'npm run test:e2e' : 'npm test';

const missing = NEEDS.filter((need) => !need.present());
if (missing.length === 0) process.exit(0);

/** The distribution, from /etc/os-release: `debian`, `ubuntu`, or undefined. */
function distribution() {
  try {
    const release = execFileSync('sh', ['-c', '. /etc/os-release && echo "$ID $ID_LIKE"'], { encoding: 'utf8' });
    if (/\bubuntu\b/.test(release)) return 'ubuntu';
    if (/\bdebian\b/.test(release)) return 'debian';
  } catch {
    // No /etc/os-release: not a distribution this script knows.
  }
  return undefined;
}

const distro = distribution();
const names = missing.map((need) => need.what).join(', ');
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (distro !== undefined && isRoot && existsSync('/usr/bin/apt-get')) {
  const packages = missing.map((need) => need.packages[distro]);
  console.log(`${command} needs ${names}: installing ${packages.join(' ')} from ${distro}'s packages`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  const install = update.status === 0 ? spawnSync('apt-get', ['install', '-y', '-qq', ...packages], { stdio: ['ignore', 'ignore', 'inherit'], env }) : update;
  const still = NEEDS.filter((need) => !need.present());
  if (install.status === 0 && still.length === 0) process.exit(0);
  console.error(`installing ${packages.join(' ')} failed; ${still.map((n) => n.what).join(', ') || 'nothing'} still missing`);
  process.exit(1);
}
const advice = distro === undefined
  ? `install ${missing.map((n) => n.what).join(', ')} (Chromium may also come from \`npx playwright install chromium\`, then set OIDC_HARNESS_CHROMIUM to its executable; a redis-server elsewhere is named by REDIS_SERVER)`
  : `run as root, or: sudo apt-get install -y ${missing.map((need) => need.packages[distro]).join(' ')}`;
console.error(`${command} needs ${names}, which this machine lacks: ${advice}`);
process.exit(1);
