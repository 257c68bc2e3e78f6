/** The one function of `pgpass` credline uses: the password ~/.pgpass or $PGPASSFILE holds for a connection. */
declare module 'pgpass' {
  interface ConnectionInfo {
    host?: string | undefined;
    port?: number | string | undefined;
    database?: string | undefined;
    user?: string | undefined;
  }
  function pgpass(connInfo: ConnectionInfo, callback: (password: string | undefined) => void): void;
  export default pgpass;
}
