/**
 * The address guard: before the RP fetches a URL the OP (or a third party) supplied, the host is
 * resolved and every address it resolves to must be public. Loopback, link-local, private,
 * unique-local, unspecified and IPv4-mapped or -compatible forms of them are refused, unless the
 * configuration allows them, so that an anonymous request naming an issuer, or an OP naming an
 * endpoint, cannot make the RP reach into its own network (server-side request forgery).
 *
 * @module
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { TransportError, VerificationError } from '../errors.js';
import { redactUrl } from './redact.js';

/** Resolves a host name to every address it has, as `dns.promises.lookup(host, { all: true })` does. */
export type AddressLookup = (host: string) => Promise<Array<{ address: string; family: number }>>;

/** What the guard lets through. */
export interface AddressPolicy {
  /** Accept loopback, link-local, private and unspecified addresses (a local OP). Default `false`. */
  readonly allowPrivate: boolean;
  /** Host names (lower case) neither resolved nor checked (an in-process test OP). */
  readonly uncheckedHosts: readonly string[];
  /** How host names are resolved. Default `node:dns` `lookup` with `all: true`. */
  readonly lookup?: AddressLookup;
}

/** The policy that refuses every non-public address and checks every host. */
export const STRICT_ADDRESS_POLICY: AddressPolicy = { allowPrivate: false, uncheckedHosts: [] };

const defaultLookup: AddressLookup = (host) => dnsLookup(host, { all: true, verbatim: true });

/** The four bytes of a dotted IPv4 address. */
function ipv4Bytes(address: string): number[] {
  return address.split('.').map(Number);
}

/** Why an IPv4 address is not public, or `undefined` when it is. */
function ipv4Reason(address: string): string | undefined {
  const [a, b] = ipv4Bytes(address) as [number, number, number, number];
  if (a === 0) return 'an unspecified ("this network") address';
  if (a === 127) return 'a loopback address';
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return 'a private address';
  if (a === 169 && b === 254) return 'a link-local address';
  if (a === 100 && b >= 64 && b <= 127) return 'a shared (carrier-grade NAT) address';
  if (a >= 224) return 'a multicast or reserved address';
  return undefined;
}

/** The eight 16-bit groups of an IPv6 address (with an embedded IPv4 tail expanded). */
function ipv6Groups(address: string): number[] | undefined {
  let text = address.toLowerCase().split('%')[0]!;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = ipv4Bytes(v4[1]!) as [number, number, number, number];
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const missing = 8 - left.length - right.length;
  if (tail === undefined ? missing !== 0 : missing < 0) return undefined;
  const groups = [...left, ...Array<string>(tail === undefined ? 0 : missing).fill('0'), ...right].map((g) => Number.parseInt(g, 16));
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : undefined;
}

/** Why an IPv6 address is not public, or `undefined` when it is. */
function ipv6Reason(address: string): string | undefined {
  const groups = ipv6Groups(address);
  if (!groups) return 'an address that does not parse';
  const [g0, g1, g2, g3, g4, g5, g6, g7] = groups as [number, number, number, number, number, number, number, number];
  const zeroHead = g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0;
  if (zeroHead && g5 === 0 && g6 === 0 && g7 === 0) return 'an unspecified address';
  if (zeroHead && g5 === 0 && g6 === 0 && g7 === 1) return 'a loopback address';
  // ::ffff:a.b.c.d (mapped) and ::a.b.c.d (compatible): the IPv4 address decides.
  if (zeroHead && (g5 === 0xffff || g5 === 0)) {
    return ipv4Reason(`${g6 >> 8}.${g6 & 0xff}.${g7 >> 8}.${g7 & 0xff}`);
  }
  // 64:ff9b::a.b.c.d (NAT64) and 2002:a.b.c.d::/48 (6to4) carry an IPv4 address too.
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) return ipv4Reason(`${g6 >> 8}.${g6 & 0xff}.${g7 >> 8}.${g7 & 0xff}`);
  if (g0 === 0x2002) return ipv4Reason(`${g1 >> 8}.${g1 & 0xff}.${g2 >> 8}.${g2 & 0xff}`);
  if ((g0 & 0xffc0) === 0xfe80) return 'a link-local address';
  if ((g0 & 0xfe00) === 0xfc00) return 'a unique-local (private) address';
  if ((g0 & 0xffc0) === 0xfec0) return 'a site-local (private) address';
  if ((g0 & 0xff00) === 0xff00) return 'a multicast address';
  return undefined;
}

/**
 * Why an IP address is not public: loopback, link-local, private, unique-local, unspecified,
 * multicast, or an IPv4-mapped, -compatible, NAT64 or 6to4 form of one. `undefined` for a
 * public address.
 */
export function nonPublicReason(address: string): string | undefined {
  const family = isIP(address);
  if (family === 4) return ipv4Reason(address);
  if (family === 6) return ipv6Reason(address);
  return 'not an IP address';
}

/**
 * Checks that `url`'s host resolves to public addresses only (every address of it), unless the
 * policy allows otherwise.
 * @param what the URL's role, for the message (`token_endpoint`, `issuer`).
 * @throws {VerificationError} `checkPublicAddress` naming the host and why.
 * @throws {TransportError} `transportConnect` when the host does not resolve (an explicit
 *   outcome: a host the guard cannot check is not fetched).
 */
export async function checkPublicAddress(url: string, policy: AddressPolicy, what = 'URL'): Promise<void> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new VerificationError('checkPublicAddress', `the ${what} is not a URL`);
  }
  const host = parsed.hostname.toLowerCase();
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (policy.uncheckedHosts.includes(host) || policy.uncheckedHosts.includes(bare)) return;
  if (policy.allowPrivate) return;
  let addresses: string[];
  if (isIP(bare) !== 0) {
    addresses = [bare];
  } else {
    try {
      addresses = (await (policy.lookup ?? defaultLookup)(bare)).map((a) => a.address);
    } catch (cause) {
      const code = (cause as NodeJS.ErrnoException | undefined)?.code;
      throw new TransportError('transportConnect', `the host of the ${what} ${redactUrl(url)} does not resolve${code ? ` (${code})` : ''}, so its addresses cannot be checked`, {
        detail: { host: bare, ...(code ? { code } : {}) },
      });
    }
    if (addresses.length === 0) throw new TransportError('transportConnect', `the host of the ${what} ${redactUrl(url)} resolves to no address`, { detail: { host: bare } });
  }
  for (const address of addresses) {
    const reason = nonPublicReason(address);
    if (reason !== undefined) {
      throw new VerificationError('checkPublicAddress', `the ${what} ${redactUrl(url)} points at ${reason} (${address}), which this RP does not reach (allow.private_addresses allows it)`, {
        detail: { host: bare, address },
      });
    }
  }
}
