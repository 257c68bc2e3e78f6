/** Progress of long work on a terminal (stderr), silent in pipes and for machine-readable output. */
export {
  describeProgress,
  followSteps,
  startProgress,
  type Progress,
  type ProgressOptions,
  type ProgressStream,
  type StepProgress,
} from './progress-line.js';
