/**
 * Where the MongoDB suites connect, filled in by the global setup. Shared state of the test process only.
 *
 * Mocha loads a spec with `require` when it can and with `import` when it must (a spec whose imports use top-level
 * await), so this module can be instantiated twice, once per module system. The object lives on `globalThis` under
 * a registered symbol so that every instance sees the one the global setup filled.
 */
export interface MongoTarget {
  uri?: string;
  source?: string;
  skipReason?: string;
  /** Every database of this run starts with it, so that the teardown drops exactly this run's databases. */
  dbPrefix?: string;
}

const KEY = Symbol.for('purna.test.mongoTarget');
const holder = globalThis as typeof globalThis & { [KEY]?: MongoTarget };

export const mongoTarget: MongoTarget = (holder[KEY] ??= {});
