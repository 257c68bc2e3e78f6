/**
 * What a device profile says about passwords, as the scheme and the policy take it: one place, so that
 * `credline derive --profile`, the station and the auditor judge a profile's passwords alike.
 */
import type { SchemeParams } from '../derive/index.js';
import type { PasswordPolicyOptions } from '../policy/index.js';
import type { DeviceProfile } from './profile-types.js';

export function schemeParamsOf(profile: DeviceProfile): SchemeParams {
  return {
    profileId: profile.id,
    alphabet: profile.passwordPolicy.alphabet,
    length: profile.passwordPolicy.length,
    serialCase: profile.canonicalisation.serialCase,
  };
}

export function policyOptionsOf(profile: DeviceProfile): PasswordPolicyOptions {
  return {
    alphabet: profile.passwordPolicy.alphabet,
    length: profile.passwordPolicy.length,
    minZxcvbnScore: profile.passwordPolicy.minZxcvbnScore,
    minEntropyBits: profile.passwordPolicy.minEntropyBits,
    manufacturer: profile.product.manufacturer,
    model: profile.product.model,
  };
}
