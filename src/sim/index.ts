/**
 * The device simulator (tests, the demo, firmware teams): simulated units on serial ports or ptys, with fault
 * injection. Everything outside src/sim enters here.
 *
 * @example
 * import { parseFaults, runSimulator } from '../sim/index.js';
 */
export { FAULT_KINDS, parseFaults } from './faults.js';
export type { FaultKind, FaultPlan } from './faults.js';
export { runSimulator } from './simulator.js';
export type { SimConsole, SimEvent, SimulatorOptions } from './simulator.js';
