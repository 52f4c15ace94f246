// Jest reporter: records every test that did not run (skipped, todo) with its title, which carries the reason
// (see `itRequires` in @bluegreen/testing-terraform), in tmp/skips/<project>.json. `npm test` prints them all in
// one summary at the end (tools/test/run.mjs). The file is the test target's Nx output, so a cached run replays it.
const { mkdirSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

class SkipReporter {
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir;
    this.skipped = [];
  }

  onTestResult(test, result) {
    for (const r of result.testResults) {
      if (r.status === 'pending' || r.status === 'skipped' || r.status === 'todo') {
        this.skipped.push({ file: result.testFilePath, title: [...r.ancestorTitles, r.title].join(' › ') });
      }
    }
  }

  onRunComplete() {
    const project = process.env.NX_TASK_TARGET_PROJECT;
    if (!project) return; // jest run by hand: its own summary shows the skips
    const target = process.env.NX_TASK_TARGET_TARGET ?? 'test';
    const dir = process.env.BLUEGREEN_SKIPS_DIR ?? join(__dirname, '..', '..', 'tmp', 'skips');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${project}.${target}.json`), JSON.stringify({ project, target, skipped: this.skipped }, null, 2));
  }
}

module.exports = SkipReporter;
