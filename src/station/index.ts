/**
 * The station: the line loop (one state machine per port, gang mode) and a provisioning run's set-up and
 * wind-down around it. Everything outside src/station enters here.
 *
 * @example
 * import { runProvisioning } from '../station/index.js';
 */
export { runProvisioning } from './provisioning-run.js';
export type { ProvisioningOutcome, ProvisioningPlan, RunEvent } from './provisioning-run.js';
export type { KeySource, LineKeySource } from './line-key-source.js';
export type { OrderPlan } from './run-order.js';
export { startStation } from './run-station.js';
export type { StationRun } from './run-station.js';
export type {
  DeviceEvent,
  DeviceResult,
  PortEvent,
  StationConfig,
  StationEvent,
  StationSummary,
  StationTally,
  SharedOrderSlots,
  UnitReserver,
} from './station-types.js';
