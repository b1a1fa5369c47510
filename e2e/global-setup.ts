/**
 * Seeds the demo county once for the whole e2e run (`dutyledger seed-demo` into a template data directory);
 * each spec's server then starts on a copy of it (support.ts `startServer`) instead of seeding its own,
 * which takes the longest part of a server start.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { repoRoot } from './support.js';

declare module 'vitest' {
  export interface ProvidedContext {
    demoTemplateDir: string;
  }
}

export default function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), 'dl-e2e-template-'));
  const res = spawnSync(process.execPath, [join(repoRoot, 'server/bin/dutyledger.mjs'), 'seed-demo'], {
    cwd: repoRoot,
    env: { ...process.env, DUTYLEDGER_DATA: dir, DUTYLEDGER_SCHEDULER: 'off' },
    encoding: 'utf8',
  });
  if (res.status !== 0) throw new Error(`seed-demo failed:\n${res.stdout}\n${res.stderr}`);
  project.provide('demoTemplateDir', dir);
  return () => rmSync(dir, { recursive: true, force: true });
}
