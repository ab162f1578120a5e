/**
 * The sequence diagram of a conversation: an arrow per request and per answer, in order; the
 * RP's refusal placed after the answer it refused and before the RP's own answer, with its check;
 * the message that carried what it refused drawn red; text made safe for SVG; the verdict below.
 *
 * Run: node --import tsx --test test/report/sequence-diagram.test.ts
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ConversationExchange, Party } from '../../report/conversation.js';
import { nest } from '../../report/conversation.js';
import { refusedCarrier } from '../../report/refusal.js';
import { sequenceDiagram } from '../../report/sequence-diagram.js';

/** An exchange at a position. */
function exchange(from: Party, to: Party, method: string, path: string, status: number, position: number, start: number): ConversationExchange {
  return { from, to, method, url: `https://x${path}`, path, status, start, position };
}

/** A code flow whose ID token the RP refuses: records 0-4, the refusal noted after 4 of them (the callback completes last). */
const REFUSED = [
  exchange('RP', 'OP', 'GET', '/.well-known/openid-configuration', 200, 0, 0),
  exchange('browser', 'OP', 'GET', '/authorization', 303, 1, 1),
  exchange('RP', 'OP', 'POST', '/token', 200, 2, 3),
  exchange('RP', 'OP', 'GET', '/jwks', 200, 3, 4),
  exchange('browser', 'RP', 'GET', '/callback', 400, 4, 2),
];

/** The texts of the diagram, in document order. */
function texts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);
}

describe('sequenceDiagram', () => {
  const svg = sequenceDiagram({
    title: 'The ID token is bad: <its> signature & all',
    nodes: nest(REFUSED),
    refusal: { after: 4, title: 'the RP refuses at checkSignature (OIDC Core 3.1.3.7)', detail: "the ID token's RS256 signature does not verify", carrier: refusedCarrier('id-token', 'code') },
    verdict: { verdict: 'passed', reason: 'the RP refused the ID token and sent nothing that depends on it' },
  });

  it('is an SVG document that needs nothing outside it', () => {
    assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="880" height="\d+"/);
    assert.doesNotMatch(svg, /<script|href=|@import|url\((?!#)/);
  });

  it('draws each request and its answer in order, the refusal after the answer refused and before the RP answers the browser', () => {
    assert.deepEqual(texts(svg), [
      'The ID token is bad: &lt;its&gt; signature &amp; all',
      'browser', 'RP', 'OP',
      'GET /.well-known/openid-configuration', '200',
      'GET /authorization', '303',
      'GET /callback',
      'POST /token', '200',
      'GET /jwks', '200',
      '✗ the RP refuses at checkSignature (OIDC Core 3.1.3.7)',
      'the ID token&apos;s RS256 signature does not verify',
      '400',
      'PASSED: the RP refused the ID token and sent nothing that depends on it',
      'solid: a request; dashed: its answer; exchanges between a request and its answer were made while answering it',
    ]);
  });

  it("draws red the token endpoint's answer, which carried the ID token, and no other message", () => {
    const red = [...svg.matchAll(/<text class="r"[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    assert.deepEqual(red, ['200']);
    assert.equal(svg.match(/<line class="a r"/g)?.length, 1);
    const tokenAnswer = svg.indexOf('<text class="r"');
    assert.ok(tokenAnswer > svg.indexOf('POST /token') && tokenAnswer < svg.indexOf('GET /jwks'));
  });

  it('draws an answer with an error status apart, and says when nothing was recorded', () => {
    assert.match(svg, /<text class="p"[^>]*>400<\/text>/);
    assert.deepEqual(texts(sequenceDiagram({ title: 't', nodes: [] })).slice(4, 5), ['no exchange was recorded']);
  });

  it('puts a refusal with nothing sent after it at the end', () => {
    const discovery = sequenceDiagram({ title: 't', nodes: nest(REFUSED.slice(0, 1)), refusal: { after: 1, title: 'the RP refuses at checkIssuer' } });
    assert.deepEqual(texts(discovery).slice(4, 7), ['GET /.well-known/openid-configuration', '200', '✗ the RP refuses at checkIssuer']);
  });
});
