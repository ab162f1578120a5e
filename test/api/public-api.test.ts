/**
 * The public API is a deliberate, narrow list: what a project that installs the package imports
 * from `oidc-harness`. Everything else is internal (tests import it by path); a name added here
 * is a decision, not an accident.
 *
 * Run: node --import tsx --test test/api/public-api.test.ts
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { it } from 'node:test';
import { join } from 'node:path';
import * as api from '../../src/index.js';
import { ROOT } from '../fixtures/root.js';

it('exports exactly the public values', () => {
  assert.deepEqual(Object.keys(api).sort(), [
    'ALL_SERVICES', 'CHECKS', 'CapacityError', 'ConfigurationError', 'LevelStore', 'MemoryStore', 'OPError', 'OidcError', 'RP_POLICY',
    'RedisStore', 'RelyingParty', 'ResponseError', 'RpHandler', 'ServiceContext', 'Transport', 'TransportError', 'VerificationError',
    'buildServices', 'clauseOf', 'findInteropIssues', 'isCheckName', 'isOidcError', 'jwksFetcher', 'serviceRequest', 'validateConfig',
  ]);
});

it('re-exports only from modules whose every export is documented', () => {
  const index = readFileSync(join(ROOT, 'src', 'index.ts'), 'utf8');
  const modules = [...index.matchAll(/from '\.\/([^']+)\.js'/g)].map((m) => m[1]!);
  for (const module of new Set(modules)) {
    const source = readFileSync(join(ROOT, 'src', `${module}.ts`), 'utf8');
    for (const match of source.matchAll(/^export (?:declare )?(?:async )?(?:abstract )?(?:class|function|const|interface|type|enum) (\w+)/gm)) {
      const before = source.slice(0, match.index).trimEnd();
      assert.ok(before.endsWith('*/') || /\/\/[^\n]*$/.test(before), `${module}: ${match[1]} has no documentation comment`);
    }
  }
});
