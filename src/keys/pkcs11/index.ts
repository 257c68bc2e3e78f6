/** Line keys in PKCS#11 tokens (RFC 7512 URIs, SoftHSM2 or any HSM): the door into this wing. */
export { isPkcs11Uri, parsePkcs11Uri, formatPkcs11Uri, type Pkcs11Uri } from './pkcs11-uri.js';
export { openTokenLineKey, type TokenKeySpec, type TokenLineKey } from './token-line-key.js';
export { createTokenLineKey, type CreatedTokenKey } from './token-key-create.js';
export type { TokenKeyFacts } from './token-key-object.js';
export type { TokenDescription } from './token-session.js';
