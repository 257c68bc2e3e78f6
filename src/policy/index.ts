/**
 * The PSTI password rules, once: the policy (one candidate, one device, the single-password rules of Sch. 1 para
 * 1(3)) and the `guessable` checks and thresholds the batch audit applies to every row.
 */
export {
  createPasswordPolicy,
  type PasswordPolicy,
  type PasswordPolicyOptions,
  type PolicyVerdict,
  type PolicyRuleId,
} from './password-policy.js';
export { choosePassword, type AttemptRejection, type ChosenPassword } from './choose-password.js';
export {
  classPool,
  CHARACTER_CLASSES,
  GUESSABLE_CHECKS,
  GUESSABLE_DEFAULTS,
  judgeGuessable,
  poolEntropyBits,
  zxcvbnFailure,
  type GuessableCheck,
  type GuessableFailure,
  type GuessableFigures,
  type GuessableThresholds,
} from './guessable.js';
export {
  createZxcvbnEstimator,
  MAX_SCORED_LENGTH,
  zxcvbnScoreCeiling,
  type StrengthEstimator,
  type StrengthEstimate,
} from './estimator.js';
export { FragmentMatcher, fragmentChance } from './fragment-match.js';
export {
  appendFragmentForms,
  fragmentForms,
  hashInputForm,
  hashInputForms,
  parseMac,
  type DeviceIdentity,
} from './identifier-forms.js';
export {
  isPublicEntry,
  isPublicPrefix4,
  matchPublicPassword,
  publicListSize,
  publicNameForms,
} from './public-lists.js';
export {
  describeHypothesis,
  findHashWindow,
  renderDigest,
  unkeyedDigest,
  visitHashRenderings,
  type HashHypothesis,
  type Rendering,
  type UnkeyedHash,
} from './unkeyed-hash.js';
