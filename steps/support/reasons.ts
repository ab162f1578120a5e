/**
 * The reasons a conforming RP gives for refusing something, as the features phrase them, and the
 * named check of the service layer that each phrase stands for. A step that says "because its
 * issuer is not the OP's" asserts that the RP failed at `checkIssuer`, and nowhere else.
 */
export const REASONS: Readonly<Record<string, string>> = {
  "its issuer is not the OP's": 'checkIssuer',
  'it names no subject': 'checkSubject',
  'it is not meant for this client': 'checkAudience',
  'it has no issue time': 'checkIssuedAt',
  'it names no key and the OP has several': 'selectKey',
  'its signature does not verify': 'checkSignature',
  'its signing algorithm is not allowed': 'checkAlgorithm',
  'its nonce is not the one the RP sent': 'checkNonce',
  'its at_hash does not match the access token': 'checkAtHash',
  'it has no at_hash': 'checkAtHash',
  'its c_hash does not match the code': 'checkCHash',
  'it has no c_hash': 'checkCHash',
  "its subject is not the ID token's": 'checkUserInfoSubject',
  "its subject is not the first ID token's": 'checkSameSubject',
  'its issuer is not the one it was fetched from': 'checkDiscoveryIssuer',
  'the issuer it names is not an https URL': 'checkWebFingerLink',
  'it carries no logout event': 'checkLogoutEvent',
  'its event is not a logout event': 'checkLogoutEvent',
  'it carries a nonce': 'checkLogoutNonce',
  'its state is not one the RP sent': 'checkLogoutState',
};

/** A regular expression matching any of the phrases, for a Cucumber parameter type. */
export const REASON_PATTERN = new RegExp(
  Object.keys(REASONS)
    .sort((a, b) => b.length - a.length)
    .map((phrase) => phrase.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('|'),
);
