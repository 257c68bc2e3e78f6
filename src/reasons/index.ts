/**
 * The reason codes a unit that did not PASS is recorded with, and what the operator does about each. Everything
 * outside src/reasons enters here.
 *
 * @example
 * import { adviceFor } from '../reasons/index.js';
 */
export { adviceFor, PROFILE_REASON_ADVICE, REASON_ADVICE } from './advice.js';
