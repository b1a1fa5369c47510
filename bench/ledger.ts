/**
 * Ledger benchmark: time and peak RSS of building the county's whole ledger (root unit with its subtree,
 * the last 12 months; Word + Excel + ZIP) on the embedded database, for the demo county and for 10× its
 * meetings and tasks (copies generated in the database). Memory is sampled every 20 ms during the build;
 * "peak Δ" is the peak RSS minus the RSS just before the build.
 *
 *   npx tsx bench/ledger.ts            (BENCH_LEDGER_FACTOR=10 by default)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { loadConfig } from '../server/src/config.js';
import { type Ctx, systemActor } from '../server/src/core/context.js';
import { periodOf } from '../server/src/core/periods.js';
import { units } from '../server/src/core/schema.js';
import { openPglite, rowsOf, runMigrations } from '../server/src/db/client.js';
import { buildLedgerFiles } from '../server/src/modules/ledger/build.js';
import { seedDemo } from '../server/src/seed/demo.js';
import { ROOT } from '../server/src/seed/demo-data.js';
import { ensureReferenceData } from '../server/src/seed/reference.js';

const FACTOR = Number(process.env.BENCH_LEDGER_FACTOR ?? 10);
const mb = (n: number) => (n / 2 ** 20).toFixed(0);

const dataDir = mkdtempSync(join(tmpdir(), 'dl-bench-ledger-'));
const config = loadConfig({ dataDir, runScheduler: false });
const database = await openPglite(undefined);
await runMigrations(database);
const ctx: Ctx = { db: database.db, actor: systemActor, config };
await seedDemo(ctx);
const [root] = await database.db.select().from(units).where(eq(units.name, ROOT.name));
await ensureReferenceData(ctx);
const year = periodOf('year', new Date().getFullYear());
const { start: from, end: to } = year;

/**
 * The demo seed holds plans and tasks but no meetings yet: a realistic year is generated here — every unit
 * 24 meetings (twice a month, every 7th entered 40 days late: 补录) attended by the people of its unit.
 * `copies` more sets are spread over the same year for the ×N run.
 */
async function generateMeetings(copies: number) {
  await database.db.execute(sql`
    INSERT INTO meetings (region_id, unit_id, kind_id, held_at, topic, created_at, updated_at)
    SELECT dl_region(u.id), u.id,
           (SELECT id FROM meeting_kinds ORDER BY sort, name LIMIT 1 OFFSET (g % 3)),
           ${from}::timestamptz + (g * 15 + c) * interval '1 day' + interval '9 hours',
           '第' || (g + 1) || '次专题学习：意识形态工作责任制' || CASE WHEN c > 0 THEN '（批次' || c || '）' ELSE '' END,
           ${from}::timestamptz + (g * 15 + c + CASE WHEN g % 7 = 0 THEN 40 ELSE 1 END) * interval '1 day',
           now()
    FROM units u, generate_series(0, 23) g, generate_series(${copies === 0 ? 0 : 1}::int, ${copies}::int) c`);
  await database.db.execute(sql`
    INSERT INTO meeting_attendees (region_id, meeting_id, person_id)
    SELECT m.region_id, m.id, p.person_id FROM meetings m JOIN posts p ON p.unit_id = m.unit_id
    ON CONFLICT DO NOTHING`);
}
await generateMeetings(0);

async function counts() {
  const [r] = await rowsOf<{ meetings: number; tasks: number; posts: number }>(
    database.db,
    sql`SELECT (SELECT count(*)::int FROM meetings) AS meetings, (SELECT count(*)::int FROM tasks) AS tasks, (SELECT count(*)::int FROM posts) AS posts`,
  );
  return r!;
}

async function measure(label: string) {
  global.gc?.();
  const c = await counts();
  const base = process.memoryUsage().rss;
  let peak = base;
  const heapBase = process.memoryUsage().heapUsed;
  let heapPeak = heapBase;
  const timer = setInterval(() => {
    const m = process.memoryUsage();
    peak = Math.max(peak, m.rss);
    heapPeak = Math.max(heapPeak, m.heapUsed);
  }, 20);
  const t = performance.now();
  const files = await buildLedgerFiles(ctx, {
    unitName: root!.name,
    periodLabel: year.label,
    scope: { unitId: root!.id, unitPath: root!.path, includeSubtree: true, from, to },
    formats: (process.env.BENCH_LEDGER_FORMATS ?? 'docx,xlsx,zip').split(',') as ('docx' | 'xlsx' | 'zip')[],
    madeAt: new Date(),
    backfillDays: 30,
    dir: join(dataDir, label),
  });
  const ms = performance.now() - t;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  const sizes = files.map((f) => `${f.format} ${(f.size / 1024).toFixed(0)} KB`).join(', ');
  console.log(
    `${label} | ${c.meetings} meetings, ${c.tasks} tasks, ${c.posts} posts | ${(ms / 1000).toFixed(1)} s | RSS before ${mb(base)} MB, peak ${mb(peak)} MB, peak Δ ${mb(peak - base)} MB, JS heap peak Δ ${mb(heapPeak - heapBase)} MB | ${sizes}`,
  );
}

console.log(
  `machine: ${cpus().length} × ${cpus()[0]?.model}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}, ${new Date().toISOString()}`,
);
console.log('label | records | time | memory | files');
await measure('demo county ×1');
// ×FACTOR: more meetings, and copies of every task, spread over the same year
if (FACTOR > 1) await generateMeetings(FACTOR - 1);
await database.db.execute(sql`
  INSERT INTO tasks (region_id, unit_id, plan_item_id, assigner_unit_id, assigner_person_id, assignee_person_id, title, description, deadline, state, progress, source_type, source_id, source_label, created_at, done_at)
  SELECT region_id, unit_id, plan_item_id, assigner_unit_id, assigner_person_id, assignee_person_id, title || '（副本' || g || '）', description, deadline - (g || ' hours')::interval, state, progress, source_type, source_id, source_label, created_at, done_at
  FROM tasks, generate_series(1, ${FACTOR - 1}) g`);
if (FACTOR > 1) await measure(`demo county ×${FACTOR}`);
await database.close();
rmSync(dataDir, { recursive: true, force: true });
