/** matchPreferences: from client preferences and provider info to behaviour. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigurationError, type ProviderInfo } from '../../src/index.js';
import { matchPreferences } from '../../src/behaviour.js';
import { isError } from '../fixtures/http.js';
import { documentedProviderInfo } from '../fixtures/context.js';

const info: ProviderInfo = documentedProviderInfo();

describe('matchPreferences', () => {
  it('keeps a supported string preference as a string', () => {
    assert.deepEqual(matchPreferences({ token_endpoint_auth_method: 'client_secret_post' }, info), { token_endpoint_auth_method: 'client_secret_post' });
    assert.deepEqual(matchPreferences({ id_token_signed_response_alg: 'RS256' }, info), { id_token_signed_response_alg: 'RS256' });
  });

  it('intersects a list preference for a multi-valued parameter, keeping the RP\'s order', () => {
    const behaviour = matchPreferences({ response_types: ['code token', 'code', 'device_code', 'id_token'] }, info);
    assert.deepEqual(behaviour['response_types'], ['code token', 'code', 'id_token']);
  });

  it('takes the first supported value of a list for a single-valued parameter', () => {
    const behaviour = matchPreferences({ token_endpoint_auth_method: ['tls_client_auth', 'client_secret_basic', 'client_secret_post'] }, info);
    assert.equal(behaviour['token_endpoint_auth_method'], 'client_secret_basic');
    const alg = matchPreferences({ id_token_signed_response_alg: ['PS512', 'ES256', 'RS256'] }, info);
    assert.equal(alg['id_token_signed_response_alg'], 'ES256');
  });

  it('intersects scopes, keeping openid even when the OP does not list it', () => {
    const behaviour = matchPreferences({ scope: ['openid', 'profile', 'payments'] }, { ...info, scopes_supported: ['profile', 'email'] });
    assert.deepEqual(behaviour['scope'], ['openid', 'profile']);
  });

  it('keeps preferences the OP does not constrain as they are', () => {
    const behaviour = matchPreferences({ application_type: 'web', contacts: ['ops@example.org'], client_name: 'rphandler' }, info);
    assert.deepEqual(behaviour, { application_type: 'web', contacts: ['ops@example.org'], client_name: 'rphandler' });
  });

  it('keeps a preference the OP says nothing about when there is no default', () => {
    const { id_token_signing_alg_values_supported: _drop, ...silent } = info;
    assert.deepEqual(matchPreferences({ id_token_signed_response_alg: ['ES512'] }, silent as ProviderInfo), { id_token_signed_response_alg: ['ES512'] });
  });

  it('uses the specification default when the OP does not advertise (token_endpoint_auth_methods: client_secret_basic)', () => {
    const { token_endpoint_auth_methods_supported: _drop, ...silent } = info;
    const behaviour = matchPreferences({ token_endpoint_auth_method: ['private_key_jwt', 'client_secret_basic'] }, silent as ProviderInfo);
    assert.equal(behaviour['token_endpoint_auth_method'], 'client_secret_basic');
  });

  it('rejects nothing in common, naming the parameter', () => {
    assert.throws(
      () => matchPreferences({ token_endpoint_auth_method: ['tls_client_auth', 'self_signed_tls_client_auth'] }, info),
      isError(ConfigurationError, 'matchPreferences', (e) => e.detail['parameter'] === 'token_endpoint_auth_method' && e.message.includes('token_endpoint_auth_method')),
    );
  });

  it('rejects an unsupported string preference, naming the parameter', () => {
    assert.throws(
      () => matchPreferences({ subject_type: 'ephemeral' }, info),
      isError(ConfigurationError, 'matchPreferences', (e) => e.detail['parameter'] === 'subject_type'),
    );
  });

  it('rejects a preference outside the specification default when the OP says nothing', () => {
    const { grant_types_supported: _drop, ...silent } = info;
    assert.throws(
      () => matchPreferences({ grant_types: ['client_credentials'] }, silent as ProviderInfo),
      isError(ConfigurationError, 'matchPreferences', (e) => e.detail['parameter'] === 'grant_types'),
    );
  });
});
