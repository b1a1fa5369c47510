#!/usr/bin/env node
// `npm test`: typecheck, lint, server suite on PGlite, the same suite on PostgreSQL, web build, e2e in Chromium.
// Runs every step, prints a summary, exits non-zero if any step failed. The summary names every failed test of
// the vitest steps (from vitest's JSON report), so that the end of a long CI log says what broke.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const pgUrl = process.env.DUTYLEDGER_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const steps = [
  ['typecheck', 'npm', ['run', 'typecheck']],
  ['lint', 'npx', ['biome', 'ci', '.']],
  ['server tests on PGlite (embedded)', 'npm', ['run', '-w', 'server', 'test'], { DUTYLEDGER_TEST_ENGINE: 'pglite' }, true],
  [
    'server tests on PostgreSQL',
    'npm',
    ['run', '-w', 'server', 'test'],
    { DUTYLEDGER_TEST_ENGINE: 'pg', DUTYLEDGER_TEST_PG_URL: pgUrl },
    true,
  ],
  ['web build', 'npm', ['run', '-w', 'web', 'build']],
  ['e2e in Chromium', 'npm', ['run', '-w', 'e2e', 'test'], {}, true],
];

/** The failed tests of a vitest JSON report: "file > test: first line of the error". */
function failedTests(reportFile) {
  if (!existsSync(reportFile)) return [];
  const report = JSON.parse(readFileSync(reportFile, 'utf8'));
  const failed = [];
  for (const file of report.testResults ?? []) {
    const name = relative(process.cwd(), file.name);
    const failedAssertions = (file.assertionResults ?? []).filter((a) => a.status === 'failed');
    for (const a of failedAssertions) {
      const lines = (a.failureMessages?.[0] ?? '').split('\n');
      const message = lines.find((l) => l.trim()) ?? '';
      // where in the test file it failed: the first stack frame in that file (a spec has several waits alike)
      const base = name.split('/').pop();
      const at = lines.find((l) => /^\s*at /.test(l) && l.includes(base))?.match(/([^/\s(]+:\d+:\d+)\)?\s*$/)?.[1];
      failed.push(`${name} > ${a.fullName}: ${message.slice(0, 300)}${at ? ` (at ${at})` : ''}`);
    }
    // a file that failed outside any test (import error, hook timeout)
    if (file.status === 'failed' && failedAssertions.length === 0) failed.push(`${name}: ${(file.message ?? '').slice(0, 300)}`);
  }
  return failed;
}

const only = process.argv.slice(2);
const reports = mkdtempSync(join(tmpdir(), 'dl-test-reports-'));
const results = [];
for (const [index, [name, cmd, args, env = {}, vitest = false]] of steps.entries()) {
  if (only.length && !only.some((o) => name.includes(o))) continue;
  console.log(`\n━━━━ ${name} ━━━━`);
  const started = Date.now();
  const reportFile = join(reports, `${index}.json`);
  const fullArgs = vitest ? [...args, '--', '--reporter=default', '--reporter=json', `--outputFile.json=${reportFile}`] : args;
  const r = spawnSync(cmd, fullArgs, { stdio: 'inherit', env: { ...process.env, ...env } });
  const ok = r.status === 0;
  results.push({ name, ok, seconds: Math.round((Date.now() - started) / 1000), failed: vitest && !ok ? failedTests(reportFile) : [] });
}
rmSync(reports, { recursive: true, force: true });
console.log('\n━━━━ summary ━━━━');
for (const r of results) {
  console.log(`${r.ok ? 'PASS' : 'FAIL'}  ${r.name}  (${r.seconds}s)`);
  for (const f of r.failed) console.log(`      ✗ ${f}`);
}
process.exit(results.every((r) => r.ok) ? 0 : 1);
