/**
 * Recognises storage failures that a retry can cure (the server unreachable, a connection pool cleared, a busy
 * backend), so they answer 503 with `Retry-After` instead of a 500 that tells a shop the request is broken.
 * Nothing is half-written by such a failure: the ledger's write protocol resumes a claimed operation on retry.
 */

/** Error classes of the MongoDB driver that mean "not reachable right now". */
const TRANSIENT_NAMES = new Set([
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
  'MongoPoolClearedError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
]);

/** Labels the driver and servers put on errors a retry can cure. */
const TRANSIENT_LABELS = ['RetryableWriteError', 'TransientTransactionError', 'ResetPool'];

/** FerretDB on SQLite answers a write it could not lock as an internal error with this text. */
const BUSY_BACKEND = /database is locked|SQLITE_BUSY/;

/** True when `error` is a storage failure that retrying can cure. */
export function isStorageUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (TRANSIENT_NAMES.has(error.name)) return true;
  const labels = (error as { errorLabels?: unknown }).errorLabels;
  const labelSet = labels instanceof Set ? [...(labels as Set<unknown>)] : Array.isArray(labels) ? labels : [];
  if (TRANSIENT_LABELS.some((label) => labelSet.includes(label))) return true;
  return error.name.startsWith('Mongo') && BUSY_BACKEND.test(error.message);
}
