/**
 * Runs the migrations once for the whole server test run: a migrated template on the test engine, which each
 * test file's database copies (src/db/testing.ts `createTestDatabase`), dropped at the end.
 */
import { createTestTemplate, TEMPLATE_ENV } from '../src/db/testing.js';

export default async function setup() {
  const template = await createTestTemplate();
  // forked workers start after the global setup and inherit the environment
  process.env[TEMPLATE_ENV] = template.ref;
  return () => template.drop();
}
