/**
 * The address guard (src/transport/address-guard.ts): which addresses are not public, every
 * address of a host checked, DNS failure as an explicit refusal, and the configured allowances.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TransportError, VerificationError } from '../../src/index.js';
import { checkPublicAddress, nonPublicReason, STRICT_ADDRESS_POLICY, type AddressLookup, type AddressPolicy } from '../../src/transport/address-guard.js';
import { isError } from '../fixtures/http.js';

/** A fake DNS: host name to addresses; an unknown name fails as getaddrinfo does. */
function fakeDns(answers: Record<string, string[]>): AddressLookup & { asked: string[] } {
  const asked: string[] = [];
  const lookup = async (host: string) => {
    asked.push(host);
    const addresses = answers[host];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return Object.assign(lookup, { asked });
}

const policy = (lookup: AddressLookup, extra: Partial<AddressPolicy> = {}): AddressPolicy => ({ ...STRICT_ADDRESS_POLICY, lookup, ...extra });

describe('nonPublicReason', () => {
  it('names loopback, link-local, private, unspecified and their IPv4-mapped forms', () => {
    const refused: Record<string, RegExp> = {
      '127.0.0.1': /loopback/,
      '127.255.0.9': /loopback/,
      '::1': /loopback/,
      '169.254.169.254': /link-local/,
      'fe80::1': /link-local/,
      'febf::1': /link-local/,
      '10.0.0.1': /private/,
      '172.16.0.1': /private/,
      '172.31.255.255': /private/,
      '192.168.1.1': /private/,
      'fc00::1': /unique-local/,
      'fd12:3456::1': /unique-local/,
      '0.0.0.0': /unspecified/,
      '::': /unspecified/,
      '::ffff:127.0.0.1': /loopback/,
      '::ffff:169.254.169.254': /link-local/,
      '::ffff:10.1.2.3': /private/,
      '::ffff:7f00:1': /loopback/,
      '::127.0.0.1': /loopback/,
      '64:ff9b::a9fe:a9fe': /link-local/,
      '2002:c0a8:0101::1': /private/,
      '100.64.0.1': /shared/,
      '224.0.0.1': /multicast/,
      'ff02::1': /multicast/,
    };
    for (const [address, reason] of Object.entries(refused)) assert.match(nonPublicReason(address) ?? 'public', reason, address);
  });

  it('lets public addresses through', () => {
    for (const address of ['93.184.216.34', '8.8.8.8', '172.15.255.255', '172.32.0.1', '192.167.1.1', '169.253.1.1', '2606:4700::1111', '2001:4860:4860::8888', '::ffff:8.8.8.8']) {
      assert.equal(nonPublicReason(address), undefined, address);
    }
  });
});

describe('checkPublicAddress', () => {
  it('refuses an IP literal in the private network without asking DNS', async () => {
    const dns = fakeDns({});
    for (const url of ['https://169.254.169.254/latest/meta-data/', 'https://10.0.0.1/token', 'https://[::1]:8443/jwks', 'https://[::ffff:192.168.0.1]/']) {
      await assert.rejects(checkPublicAddress(url, policy(dns), 'token_endpoint'), isError(VerificationError, 'checkPublicAddress', (e) => e.message.includes('token_endpoint')), url);
    }
    assert.deepEqual(dns.asked, []);
  });

  it('checks every address a name resolves to: one private address among public ones is enough to refuse', async () => {
    const dns = fakeDns({ 'op.example': ['93.184.216.34'], 'rebind.example': ['93.184.216.34', '127.0.0.1'], 'metadata.example': ['fd00:ec2::254'] });
    await checkPublicAddress('https://op.example/.well-known/openid-configuration', policy(dns));
    await assert.rejects(checkPublicAddress('https://rebind.example/', policy(dns)), isError(VerificationError, 'checkPublicAddress', (e) => e.detail['address'] === '127.0.0.1'));
    await assert.rejects(checkPublicAddress('https://metadata.example/', policy(dns)), isError(VerificationError, 'checkPublicAddress'));
  });

  it('refuses a host that does not resolve, explicitly (transportConnect): what cannot be checked is not fetched', async () => {
    await assert.rejects(checkPublicAddress('https://nowhere.example/', policy(fakeDns({}))), isError(TransportError, 'transportConnect', (e) => e.detail['code'] === 'ENOTFOUND'));
  });

  it('leaves the configured unchecked hosts alone, and allows private addresses only when told', async () => {
    const dns = fakeDns({ 'local-op.test': ['127.0.0.1'] });
    await checkPublicAddress('https://in-process.test/authorize', policy(dns, { uncheckedHosts: ['in-process.test'] }));
    await checkPublicAddress('http://127.0.0.1:8080/jwks', policy(dns, { allowPrivate: true }));
    await checkPublicAddress('https://local-op.test/', policy(dns, { allowPrivate: true }));
    await assert.rejects(checkPublicAddress('https://local-op.test/', policy(dns)), isError(VerificationError, 'checkPublicAddress'));
    assert.ok(!dns.asked.includes('in-process.test'), 'an unchecked host is not even resolved');
  });

  it('never puts a URL\'s credentials or query secrets into its message', async () => {
    await assert.rejects(checkPublicAddress('https://user:p4ssw0rd@10.0.0.1/cb?code=the-code', policy(fakeDns({}))), (error: unknown) => {
      assert.ok(error instanceof VerificationError);
      assert.ok(!JSON.stringify(error.toJSON()).includes('p4ssw0rd') && !error.message.includes('the-code'), error.message);
      return true;
    });
  });
});
