/** Progress of long work on a terminal (stderr), silent in pipes and for machine-readable output. */
export {
  describeProgress,
  startProgress,
  type Progress,
  type ProgressOptions,
  type ProgressStream,
} from './progress-line.js';
