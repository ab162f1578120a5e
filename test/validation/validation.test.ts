import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { formatProblems, validateSettings } from '../../src/validation.js';

const schema = z.strictObject({ name: z.string(), rp: z.strictObject({ command: z.array(z.string()) }), ports: z.array(z.number()).optional() });

describe('validateSettings: every problem at once, each naming its setting', () => {
  it('returns the parsed value when the input fits', () => {
    const result = validateSettings(schema, { name: 'x', rp: { command: ['a'] } });
    assert.deepEqual(result, { ok: true, value: { name: 'x', rp: { command: ['a'] } } });
  });

  it('names missing settings, wrong types (with what came) and each unknown key', () => {
    const result = validateSettings(schema, { rp: { command: 'run', extra: 1 }, ports: [1, 'two'], other: true }, 'config');
    assert.equal(result.ok, false);
    assert.deepEqual(result.ok ? [] : result.problems, [
      { setting: 'config.name', message: 'missing: expected string' },
      { setting: 'config.rp.command', message: 'expected array, got string' },
      { setting: 'config.rp.extra', message: 'unknown setting' },
      { setting: 'config.ports[1]', message: 'expected number, got string' },
      { setting: 'config.other', message: 'unknown setting' },
    ]);
  });

  it('formats problems a line each', () => {
    assert.equal(formatProblems([{ setting: 'a.b', message: 'unknown setting' }]), '  - a.b: unknown setting');
  });
});
