/**
 * A certificate authority made for one run, and a server certificate it signs, so that the mock
 * OP can serve https to RPs that refuse http issuers: the RP trusts the run's authority (its PEM
 * file, `NODE_EXTRA_CA_CERTS`...), and nothing else is trusted by it. Keys are ECDSA P-256, made
 * with WebCrypto through `@peculiar/x509` in milliseconds; nothing is written but where asked.
 *
 * @module
 */
import 'reflect-metadata';
import { createHash, webcrypto, X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import * as x509 from '@peculiar/x509';

// @peculiar/x509 types its provider as the DOM's Crypto, which Node's WebCrypto is at run time.
x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

/** The run's authority and the server certificate it issued. */
export interface RunAuthority {
  /** The authority's certificate (PEM): what the RP must trust. */
  readonly caPem: string;
  /** The server's certificate (PEM), for the names asked for. */
  readonly certPem: string;
  /** The server's private key (PKCS #8 PEM). A secret: never logged. */
  readonly keyPem: string;
  /**
   * The base64 SHA-256 of the server certificate's public key (SPKI), for Chromium's
   * `--ignore-certificate-errors-spki-list`, which trusts exactly this key.
   */
  readonly spkiSha256: string;
}

/** A PEM block of DER bytes. */
function pem(label: string, der: ArrayBuffer): string {
  const lines = Buffer.from(der).toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/**
 * Makes a certificate authority for the run and a server certificate for `hosts` (DNS names or IP
 * addresses; `localhost`, `127.0.0.1` and `::1` by default), valid from a minute ago for `days`.
 */
export async function createRunAuthority(hosts: readonly string[] = ['localhost', '127.0.0.1', '::1'], days = 7): Promise<RunAuthority> {
  if (hosts.length === 0) throw new TypeError('createRunAuthority needs at least one host name');
  const notBefore = new Date(Date.now() - 60_000);
  const notAfter = new Date(Date.now() + days * 86_400_000);
  const caKeys = (await webcrypto.subtle.generateKey(ALGORITHM, false, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: webcrypto.getRandomValues(new Uint8Array(8)).reduce((h, b) => h + b.toString(16).padStart(2, '0'), '01'),
    name: `CN=oidc-harness run authority ${notBefore.toISOString()}`,
    notBefore,
    notAfter,
    signingAlgorithm: ALGORITHM,
    keys: caKeys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });
  const serverKeys = (await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const names = hosts.map((host) => (isIP(host) ? { type: 'ip' as const, value: host } : { type: 'dns' as const, value: host }));
  const server = await x509.X509CertificateGenerator.create({
    serialNumber: '02',
    subject: `CN=${hosts[0]}`,
    issuer: ca.subject,
    notBefore,
    notAfter,
    signingAlgorithm: ALGORITHM,
    publicKey: serverKeys.publicKey,
    signingKey: caKeys.privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(names),
      await x509.AuthorityKeyIdentifierExtension.create(ca),
    ],
  });
  const certPem = server.toString('pem');
  const spki = new X509Certificate(certPem).publicKey.export({ type: 'spki', format: 'der' });
  return {
    caPem: ca.toString('pem'),
    certPem,
    keyPem: pem('PRIVATE KEY', await webcrypto.subtle.exportKey('pkcs8', serverKeys.privateKey)),
    spkiSha256: createHash('sha256').update(spki).digest('base64'),
  };
}
