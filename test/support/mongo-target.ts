/** Where the MongoDB suites connect, filled in by the global setup. Shared state of the test process only. */
export const mongoTarget: { uri?: string; source?: string; skipReason?: string } = {};
