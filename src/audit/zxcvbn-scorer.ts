/** The scorer module the zxcvbn pool's threads load by default: the policy's zxcvbn estimator, warmed up. */
import { createZxcvbnEstimator } from '../policy/index.js';
import type { Scorer } from './score-thread-protocol.js';

export function createScorer(): Scorer {
  const estimator = createZxcvbnEstimator();
  // Load zxcvbn and compile its matchers before the first timed row.
  estimator.estimate('warm-up: compile the matchers before the first timed row', ['x']);
  return (password, userInputs) => estimator.estimate(password, userInputs);
}
