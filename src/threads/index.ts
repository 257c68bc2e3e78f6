/** Worker threads: where a thread's compiled entry is, and a thread that answers requests in order. */
export { compiledWorkerUrl } from './compiled-worker-url.js';
export {
  startRequestThread,
  ThreadStoppedError,
  type RequestThread,
  type RequestThreadOptions,
} from './request-thread.js';
