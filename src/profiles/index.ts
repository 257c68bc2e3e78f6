/**
 * Device profiles: the schema, loading (a shipped profile by id, or a file), validation with precise errors (file,
 * JSON path, what was expected), the canonical form a profile's hash is taken over, and what a profile decides for
 * the other modules (scheme parameters, policy options, the stored value, console quoting). Everything outside
 * src/profiles enters here.
 *
 * @example
 * const { profile, hash } = loadProfile('credline-agent');
 * const params = schemeParamsOf(profile);
 */
export { canonicalJson } from './canonical-json.js';
export { checkProfile, profileHashInput } from './check-profile.js';
export { quoteForConsole } from './console-safety.js';
export { identityMismatch } from './identity-pattern.js';
export { listShippedProfilePaths, loadProfile, readProfileJson } from './load-profile.js';
export { policyOptionsOf, schemeParamsOf } from './profile-policy.js';
export type {
  DeviceProfile,
  DialogueStep,
  IdentityField,
  LoadedProfile,
  SerialPortSettings,
  StoreSpec,
} from './profile-types.js';
export { computeStoredValue } from './stored-value.js';
