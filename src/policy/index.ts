/** The password policy: one candidate, one device, the single-password rules of PSTI Sch. 1 para 1(3). */
export {
  createPasswordPolicy,
  type PasswordPolicy,
  type PasswordPolicyOptions,
  type PolicyVerdict,
  type PolicyRuleId,
} from './password-policy.js';
export {
  createZxcvbnEstimator,
  MAX_SCORED_LENGTH,
  type StrengthEstimator,
  type StrengthEstimate,
} from './estimator.js';
export { fragmentForms, hashInputForms, parseMac, type DeviceIdentity } from './identifier-forms.js';
export { matchPublicPassword, publicNameForms, publicListSize } from './public-lists.js';
export { findHashWindow, describeHypothesis, type HashHypothesis } from './unkeyed-hash.js';
