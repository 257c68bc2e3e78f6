#!/usr/bin/env node
// The published entry point: the compiled CLI (built by `npm run build`, run by `npm ci` through `prepare`).
import { main } from '../dist/src/cli/main.js';

process.exitCode = await main(process.argv);
