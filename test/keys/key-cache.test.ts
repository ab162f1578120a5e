/**
 * The run's keys kept between runs (steps/support/key-cache.ts): the OP's keys survive the round
 * trip through JSON whole (the same kids, keys that still sign and verify), a damaged or foreign
 * cache is replaced rather than trusted, and `OIDC_HARNESS_KEY_CACHE=off` or a folder without
 * node_modules means no cache at all.
 *
 * Run: node --import tsx --test test/keys/key-cache.test.ts
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { compactVerify, CompactSign } from 'jose';
import { exportOpKeys, generateOpKeys, importOpKeys, type OpKeys } from '../../mock-op/keys.js';
import { cachedKeys, KEY_CACHE_ENV } from '../../steps/support/key-cache.js';

let keys: OpKeys;
let folder: string;
const cwd = process.cwd();

before(async () => {
  keys = await generateOpKeys();
  folder = await mkdtemp(join(tmpdir(), 'oidc-harness-key-cache-'));
  await mkdir(join(folder, 'node_modules'));
  process.chdir(folder);
});

after(async () => {
  process.chdir(cwd);
  delete process.env[KEY_CACHE_ENV];
  await rm(folder, { recursive: true, force: true });
});

describe('the OP keys as JSON', () => {
  it('come back whole: the same kids, and a key that signs what the original verifies', async () => {
    const back = await importOpKeys(JSON.parse(JSON.stringify(await exportOpKeys(keys))));
    assert.deepEqual(
      [back.rs256, back.es256, back.ps256, back.eddsa, back.encryption, ...(back.spares?.rs256 ?? [])].map((k) => k?.kid),
      [keys.rs256, keys.es256, keys.ps256, keys.eddsa, keys.encryption, ...(keys.spares?.rs256 ?? [])].map((k) => k?.kid),
    );
    const jws = await new CompactSign(new TextEncoder().encode('x')).setProtectedHeader({ alg: 'RS256' }).sign(back.rs256.privateKey);
    await compactVerify(jws, keys.rs256.publicKey);
    assert.deepEqual(back.rs256.publicJwk, keys.rs256.publicJwk);
  });

  it('are refused when damaged: a wrong kid, a public key only, not a key set', async () => {
    const stored = JSON.parse(JSON.stringify(await exportOpKeys(keys))) as Record<string, Record<string, unknown>>;
    await assert.rejects(importOpKeys({ ...stored, rs256: { ...stored['rs256'], kid: 'other' } }), TypeError);
    const { d: _d, ...publicOnly } = stored['es256']!;
    await assert.rejects(importOpKeys({ ...stored, es256: publicOnly }), TypeError);
    await assert.rejects(importOpKeys([]), TypeError);
    await assert.rejects(importOpKeys(null), TypeError);
  });
});

describe('the key cache', () => {
  const file = (): string => join(folder, 'node_modules', '.cache', 'oidc-harness', 'test-keys.json');
  const text = (value: string): Promise<string> => Promise.resolve(value);

  it('makes the keys once, then reads them back; the file is for this user only', async () => {
    let made = 0;
    const make = async (): Promise<string> => `key-${(made += 1)}`;
    const load = async (stored: unknown): Promise<string> => {
      if (typeof stored !== 'string') throw new TypeError('not a key');
      return stored;
    };
    assert.equal(await cachedKeys('test-keys', make, text, load), 'key-1');
    assert.equal(await cachedKeys('test-keys', make, text, load), 'key-1');
    assert.equal(made, 1);
    assert.equal((await stat(file())).mode & 0o777, 0o600);
  });

  it('replaces a cache it cannot use', async () => {
    await writeFile(file(), '{ not json');
    assert.equal(await cachedKeys('test-keys', async () => 'fresh', text, async (s) => String(s)), 'fresh');
    assert.equal(await readFile(file(), 'utf8'), '"fresh"');
    const refuse = async (): Promise<string> => {
      throw new TypeError('not a key set');
    };
    assert.equal(await cachedKeys('test-keys', async () => 'fresher', text, refuse), 'fresher');
  });

  it('is not used when turned off', async () => {
    process.env[KEY_CACHE_ENV] = 'off';
    try {
      await rm(file(), { force: true });
      assert.equal(await cachedKeys('test-keys', async () => 'unkept', text, async (s) => String(s)), 'unkept');
      assert.equal(existsSync(file()), false);
    } finally {
      delete process.env[KEY_CACHE_ENV];
    }
  });
});
