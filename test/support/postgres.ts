/**
 * The PostgreSQL prerequisite of the central-store tests: a throwaway cluster (scripts/pg-cluster.ts) per test
 * file. Outside CI a missing server is a visible skip; under CI=true it fails.
 */
import { havePostgres, PG_BIN } from '../../scripts/pg-cluster.js';
import { havePrerequisites } from './prerequisites.js';

export { startPgCluster, type PgCluster } from '../../scripts/pg-cluster.js';

export function havePostgresServer(what: string): boolean {
  if (havePostgres()) return true;
  return havePrerequisites(what, { tool: `${PG_BIN}/initdb`, aptPackage: 'postgresql' });
}
