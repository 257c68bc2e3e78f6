/**
 * The one file that loads `pkcs11js` (a native addon), and only when a token key is actually used: commands that
 * never touch a token never load it. One {@link Pkcs11Module} per library path per thread; the library itself is
 * initialised once per process (worker threads find it initialised and share it), and finalised by whoever
 * initialised it when the last user closes.
 */
import type * as Pkcs11Js from 'pkcs11js';
import { usageError } from '../../errors/credline-error.js';
import { ckrOf } from './pkcs11-errors.js';

export type Pkcs11Binding = typeof Pkcs11Js;
export type Pkcs11 = Pkcs11Js.PKCS11;
export type Handle = Pkcs11Js.Handle;

let binding: Promise<Pkcs11Binding> | undefined;

/** Loads the binding once; a missing or unbuildable addon is one clear line. */
export function loadBinding(): Promise<Pkcs11Binding> {
  binding ??= import('pkcs11js').then(
    (m) => ((m as { default?: Pkcs11Binding }).default ?? m) as Pkcs11Binding,
    (error: unknown) => {
      binding = undefined;
      throw usageError(
        'PKCS11_BINDING',
        `the PKCS#11 binding (pkcs11js) cannot be loaded: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
        error,
      );
    },
  );
  return binding;
}

export interface Pkcs11Module {
  readonly path: string;
  readonly api: Pkcs11;
  readonly b: Pkcs11Binding;
  /** Drops this user; the last one finalises the library (when this thread initialised it). */
  release(): void;
}

interface Loaded {
  api: Pkcs11;
  b: Pkcs11Binding;
  users: number;
  initialisedHere: boolean;
}

const loaded = new Map<string, Loaded>();

/**
 * Loads and initialises the PKCS#11 library at `path` (CKF_OS_LOCKING_OK: sessions are used from several
 * threads). Throws TOKEN_MODULE when it cannot be loaded.
 */
export async function openPkcs11Module(path: string): Promise<Pkcs11Module> {
  const b = await loadBinding();
  let entry = loaded.get(path);
  if (entry === undefined) {
    const api = new b.PKCS11();
    try {
      api.load(path);
    } catch (error) {
      const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
      throw usageError('TOKEN_MODULE', `cannot load the PKCS#11 module ${path}: ${reason}`, error);
    }
    let initialisedHere = true;
    try {
      api.C_Initialize({ flags: b.CKF_OS_LOCKING_OK });
    } catch (error) {
      if (ckrOf(error) !== 'CKR_CRYPTOKI_ALREADY_INITIALIZED') {
        throw usageError(
          'TOKEN_MODULE',
          `the PKCS#11 module ${path} failed to initialise: ${ckrOf(error) ?? String(error)}`,
          error,
        );
      }
      initialisedHere = false;
    }
    entry = { api, b, users: 0, initialisedHere };
    loaded.set(path, entry);
  }
  entry.users++;
  const current = entry;
  let released = false;
  return {
    path,
    api: current.api,
    b,
    release() {
      if (released) return;
      released = true;
      if (--current.users > 0) return;
      loaded.delete(path);
      if (!current.initialisedHere) return;
      try {
        current.api.C_Finalize();
      } catch {
        // Finalising is best effort: the process may be on its way out after the token went away.
      }
    },
  };
}
