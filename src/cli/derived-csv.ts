/**
 * Streams `serial,password,key_id,fingerprint,attempt` CSV for a file of serials in constant memory. Bad lines are
 * reported on stderr with their line number and skipped; the count of bad lines is returned.
 */
import { createReadStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { stringify } from 'csv-stringify';
import { CredlineError, ExitCode } from '../errors/credline-error.js';
import { deriveFirstAccepted, type PasswordDeriver } from '../derive/password.js';
import { openSecretOutput } from './secret-output.js';
import { describeFsError } from './passphrase-options.js';

export interface DerivedCsvJob {
  input: string;
  out: string | undefined;
  force: boolean;
  derive: PasswordDeriver;
  fingerprintOf: (password: string) => string;
  keyId: string;
  attempt: number | undefined;
}

export async function writeDerivedCsv(job: DerivedCsvJob): Promise<number> {
  const source = job.input === '-' ? process.stdin : createReadStream(job.input);
  const opened = new Promise<void>((resolve, reject) => {
    if (job.input === '-') resolve();
    source.once('open', () => resolve());
    source.once('error', (error: unknown) =>
      reject(
        new CredlineError('SERIALS_FILE', `cannot read ${job.input}: ${describeFsError(error)}`, {
          exitCode: ExitCode.usage,
        }),
      ),
    );
  });
  await opened;
  const sink: NodeJS.WritableStream | WriteStream =
    job.out === undefined ? process.stdout : await openSecretOutput(job.out, job.force);
  const csv = stringify({
    header: true,
    columns: ['serial', 'password', 'key_id', 'fingerprint', 'attempt'],
  });
  csv.pipe(sink);
  const lines = createInterface({ input: source, crlfDelay: Infinity });
  let lineNumber = 0;
  let bad = 0;
  for await (const raw of lines) {
    lineNumber++;
    const line = lineNumber === 1 ? raw.replace(/^\uFEFF/, '') : raw;
    try {
      const result =
        job.attempt === undefined ? deriveFirstAccepted(job.derive, line) : job.derive(line, job.attempt);
      if (result.password === null)
        throw new Error(`attempt ${result.attempt} yields no password (stream exhausted)`);
      const row = [
        result.serial,
        result.password,
        job.keyId,
        job.fingerprintOf(result.password),
        String(result.attempt),
      ];
      if (!csv.write(row)) await once(csv, 'drain');
    } catch (error) {
      bad++;
      const message = error instanceof Error ? error.message : String(error);
      process.stderr.write(
        `credline: ${job.input === '-' ? 'stdin' : job.input}:${lineNumber}: ${message}; line skipped\n`,
      );
    }
  }
  csv.end();
  if (sink !== process.stdout) await once(sink, 'close');
  else await once(csv, 'end');
  if (bad > 0) process.stderr.write(`credline: ${bad} of ${lineNumber} lines skipped\n`);
  return bad;
}
