/**
 * `npm run ferretdb`: builds and starts FerretDB for manual work against the MongoDB store, and prints the
 * `MONGODB_URI` to use. Stops on Ctrl-C.
 */
import { startFerretDB } from './ferretdb.js';

const server = await startFerretDB((line) => console.error(line));
console.log(`FerretDB is listening. Use:\n  MONGODB_URI=${server.databaseUri('purna')} npm start`);
const stop = (): void => {
  void server.stop().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
