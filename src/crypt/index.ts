/** crypt(3) password hashes as operating systems store them in /etc/shadow. */
export { bcryptHash, BCRYPT_MAX_COST, BCRYPT_MIN_COST } from './bcrypt.js';
export { computeCryptString, CRYPT_STRING_SYMBOLS, type CryptSpec } from './crypt-string.js';
export { CRYPT_ALPHABET, randomCryptSalt } from './salt.js';
export { sha512Crypt, SHA512_CRYPT_MAX_ROUNDS, SHA512_CRYPT_MIN_ROUNDS } from './sha512-crypt.js';
