// Mocha reporter: the usual spec output, plus the counts written as JSON to $PURNA_TEST_SUMMARY (if set), so
// that .ci/run can print one `tests: N passed, N failed` line without parsing human output.
'use strict';
const fs = require('node:fs');
const Mocha = require('mocha');

const { EVENT_RUN_END } = Mocha.Runner.constants;

class SummaryReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once(EVENT_RUN_END, () => {
      const target = process.env.PURNA_TEST_SUMMARY;
      if (!target) return;
      const { passes, failures, pending } = runner.stats;
      fs.writeFileSync(target, JSON.stringify({ passed: passes, failed: failures, pending }));
    });
  }
}

module.exports = SummaryReporter;
