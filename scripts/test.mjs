#!/usr/bin/env node
// `npm test`: typecheck, lint, server suite on PGlite, the same suite on PostgreSQL, web build, e2e in Chromium.
// Runs every step, prints a summary, exits non-zero if any step failed.
import { spawnSync } from 'node:child_process';

const pgUrl = process.env.DUTYLEDGER_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const steps = [
  ['typecheck', 'npm', ['run', 'typecheck']],
  ['lint', 'npx', ['biome', 'ci', '.']],
  ['server tests on PGlite (embedded)', 'npm', ['run', '-w', 'server', 'test'], { DUTYLEDGER_TEST_ENGINE: 'pglite' }],
  ['server tests on PostgreSQL', 'npm', ['run', '-w', 'server', 'test'], { DUTYLEDGER_TEST_ENGINE: 'pg', DUTYLEDGER_TEST_PG_URL: pgUrl }],
  ['web build', 'npm', ['run', '-w', 'web', 'build']],
  ['e2e in Chromium', 'npm', ['run', '-w', 'e2e', 'test']],
];

const only = process.argv.slice(2);
const results = [];
for (const [name, cmd, args, env = {}] of steps) {
  if (only.length && !only.some((o) => name.includes(o))) continue;
  console.log(`\n━━━━ ${name} ━━━━`);
  const started = Date.now();
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  results.push({ name, ok: r.status === 0, seconds: Math.round((Date.now() - started) / 1000) });
}
console.log('\n━━━━ summary ━━━━');
for (const r of results) console.log(`${r.ok ? 'PASS' : 'FAIL'}  ${r.name}  (${r.seconds}s)`);
process.exit(results.every((r) => r.ok) ? 0 : 1);
