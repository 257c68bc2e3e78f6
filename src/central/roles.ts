/**
 * The roles a central deployment needs (cluster-wide, NOLOGIN groups: give each station's and person's login role
 * membership, e.g. `CREATE ROLE line1 LOGIN IN ROLE credline_station`):
 *   station     inserts chained records, checkpoints and findings, reserves units; reads; changes nothing.
 *   reader      compliance staff: reads everything, writes nothing.
 *   compliance  what compliance commands record centrally (statements, product records, the OPSS register).
 * No role has UPDATE, DELETE or TRUNCATE on any credline table, and triggers refuse them regardless.
 */
export const ROLES = {
  station: 'credline_station',
  reader: 'credline_reader',
  compliance: 'credline_compliance',
} as const;

/** Creates the roles that do not exist yet (idempotent; needs CREATEROLE). */
export const CREATE_ROLES_SQL = `DO $$
BEGIN
${Object.values(ROLES)
  .map(
    (role) =>
      `  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${role}') THEN CREATE ROLE ${role} NOLOGIN; END IF;`,
  )
  .join('\n')}
END $$;`;
