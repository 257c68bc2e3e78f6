/**
 * The batch audit: judging a whole password batch against each PSTI rule, and rendering its reports.
 *
 * @example
 * import { barChart } from '../audit/index.js';
 */
export { barChart } from './svg-charts.js';
