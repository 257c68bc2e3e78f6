/** credline's version, as `--version` prints it and reports record it (kept equal to package.json's, by a test). */
export const CREDLINE_VERSION = '0.1.0';
