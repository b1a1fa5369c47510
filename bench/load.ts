/**
 * Load at the deadline (issue 7): the last day of a half-year report window open to every unit of a province.
 *
 * 1. Creates a throw-away PostgreSQL database (BENCH_PG_ADMIN_URL, default postgres://postgres@127.0.0.1:5432/postgres)
 *    and generates the province (bench/province.ts: ≈30,000 units, ≈10 people per unit, a year of tasks and meetings)
 *    with the half-year window closing at the end of today (Asia/Shanghai) and no submission yet.
 * 2. Sessions: the filing clerk of every target unit and the 2,000 readers get session rows inserted directly, in the
 *    format of core/auth/service.ts (id_hash = SHA-256 hex of the cookie token, a per-session CSRF token that is sent
 *    back in `x-csrf-token`): logging 32,000 people in through the API would spend minutes of argon2 on 2 cores. A
 *    sample (LOAD_LOGIN_SAMPLE, default 20) logs in through POST /api/auth/login to time the real path.
 * 3. Starts the real server (`server/src/main.ts start`, its own process, scheduler off) and the bare ceiling
 *    (bench/bare-server.ts: Fastify + pg, one SELECT by primary key) on free loopback ports.
 * 4. Quiet phase (LOAD_QUIET_SECONDS each, sequential): autocannon on the bare route, then on each read route alone,
 *    same connections: the ratio of our reads to the ceiling.
 * 5. Deadline phase (LOAD_SECONDS, default 600): writers — round(30,000 × LOAD_SCALE) units, each: create its
 *    submission, upload a LOAD_FILE_KB (200) KB PDF (multipart, unitId first), save the report with the attachment,
 *    submit — paced evenly over the phase with LOAD_WRITERS (16) in flight at most; units not started when the
 *    phase ends are counted as not filed. At the same time readers: autocannon on each read route group with
 *    LOAD_READ_CONNECTIONS (10) connections each, every request as one of LOAD_READERS (2,000) users at random.
 * Server RSS (/proc) and PostgreSQL sessions waiting on an advisory lock are sampled every second.
 * Prints Markdown tables; results go in BENCHMARKS.md ("Load at the deadline"). Not part of `npm test`.
 */
import type { ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { sql } from 'drizzle-orm';
import { loadConfig } from '../server/src/config.js';
import { systemActor } from '../server/src/core/context.js';
import { openPostgres, rowsOf, runMigrations } from '../server/src/db/client.js';
import { f1, freePort, pct, rssMb, serverEnv, sleep, startProcess, throwAwayDatabase, waitFor } from './common.js';
import { defaultShape, generateProvince, unitCount } from './province.js';

const num = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);
const LOAD_SECONDS = num('LOAD_SECONDS', 600);
const LOAD_SCALE = num('LOAD_SCALE', 1);
const WRITERS = num('LOAD_WRITERS', 16);
const READERS = num('LOAD_READERS', 2000);
const READ_CONNECTIONS = num('LOAD_READ_CONNECTIONS', 10);
const QUIET_SECONDS = num('LOAD_QUIET_SECONDS', 20);
const FILE_KB = num('LOAD_FILE_KB', 200);
const LOGIN_SAMPLE = num('LOAD_LOGIN_SAMPLE', 20);
const PEOPLE_PER_UNIT = 10;
const PASSWORD = 'Load#2026pass';

interface Stats {
  label: string;
  n: number;
  seconds: number;
  times: number[];
  errors: number;
  non2xx: number;
  codes: Record<string, number>;
}
const newStats = (label: string): Stats => ({ label, n: 0, seconds: 0, times: [], errors: 0, non2xx: 0, codes: {} });

function row(s: Stats, ceiling?: number): string {
  s.times.sort((a, b) => a - b);
  const rps = s.n / s.seconds;
  const codes = Object.entries(s.codes)
    .filter(([c]) => !c.startsWith('2'))
    .map(([c, k]) => `${c}×${k}`)
    .join(' ');
  const ratio = ceiling ? `${((rps / ceiling) * 100).toFixed(0)} %` : '';
  return `| ${s.label} | ${s.n} | ${f1(rps)} | ${f1(pct(s.times, 50))} | ${f1(pct(s.times, 95))} | ${f1(pct(s.times, 99))} | ${s.errors} | ${s.non2xx}${codes ? ` (${codes})` : ''} | ${ratio} |`;
}
const header =
  '| what | requests | req/s | p50 ms | p95 ms | p99 ms | errors | non-2xx | of bare req/s |\n|---|---|---|---|---|---|---|---|---|';

// ---- samplers: server RSS and PostgreSQL sessions waiting on locks, per phase

interface Sample {
  phase: string;
  rss: number;
  bareRss: number;
  active: number;
  advisory: number;
}
const samples: Sample[] = [];
let phase = 'setup';

// ---- readers with autocannon; every request as a random one of the readers

interface Reader {
  cookie: string;
  unitId: string;
}

async function cannon(label: string, base: string, seconds: number, connections: number, path: (r: Reader) => string, readers: Reader[]) {
  const stats = newStats(label);
  let done!: (r: autocannon.Result) => void;
  let fail!: (e: unknown) => void;
  const finished = new Promise<autocannon.Result>((res, rej) => {
    done = res;
    fail = rej;
  });
  const instance = autocannon(
    {
      url: base,
      connections,
      duration: seconds,
      timeout: 30,
      requests: [
        {
          method: 'GET',
          setupRequest: (req) => {
            const r = readers[Math.floor(Math.random() * readers.length)]!;
            return { ...req, path: path(r), headers: { ...req.headers, cookie: r.cookie } };
          },
        },
      ],
    },
    (err, result) => (err ? fail(err) : done(result)),
  );
  instance.on('response', (_client, statusCode, _bytes, responseTime) => {
    stats.times.push(responseTime);
    stats.codes[statusCode] = (stats.codes[statusCode] ?? 0) + 1;
    if (statusCode < 200 || statusCode > 299) stats.non2xx++;
  });
  const result = await finished;
  stats.n = stats.times.length;
  stats.seconds = result.duration;
  stats.errors = result.errors + result.timeouts;
  return stats;
}

// ---- main

const t0 = Date.now();
const throwAway = await throwAwayDatabase('dl_load');
const { name: dbName, url: dbUrl } = throwAway;
const dataDir = mkdtempSync(join(tmpdir(), 'dl-load-'));
const webDist = mkdtempSync(join(tmpdir(), 'dl-load-web-'));
const children: ChildProcess[] = [];
const database = await openPostgres(dbUrl, 4);
const db = database.db;
const pgVersion = ((await rowsOf<{ v: string }>(db, sql`SELECT version() AS v`))[0]?.v ?? '').split(' on ')[0];
const machine = `${cpus().length} × ${cpus()[0]?.model}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}, ${pgVersion}`;
console.log(`machine: ${machine}; ${new Date().toISOString()}; load average at start ${loadavg().map(f1).join(' ')}`);

let sampler: NodeJS.Timeout | undefined;
try {
  // 1. the province
  await runMigrations(database);
  const endOfToday = new Date(`${new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date())}T23:59:59+08:00`);
  const config = loadConfig({ runScheduler: false });
  const tGen = Date.now();
  const province = await generateProvince({ db, actor: systemActor, config }, defaultShape, PASSWORD, {
    peoplePerUnit: PEOPLE_PER_UNIT,
    windowClosesAt: endOfToday,
    halfSubmitted: false,
  });
  const counts = (
    await rowsOf<Record<string, number>>(
      db,
      sql`SELECT (SELECT count(*) FROM units)::int AS units, (SELECT count(*) FROM people)::int AS people,
        (SELECT count(*) FROM posts)::int AS posts, (SELECT count(*) FROM tasks)::int AS tasks,
        (SELECT count(*) FROM meetings)::int AS meetings, (SELECT count(*) FROM report_window_targets)::int AS targets`,
    )
  )[0]!;
  console.log(
    `generated in ${((Date.now() - tGen) / 1000).toFixed(0)} s: ${JSON.stringify(counts)}; window closes ${endOfToday.toISOString()}`,
  );
  const [win] = await rowsOf<{ id: string }>(db, sql`SELECT id FROM report_windows WHERE unit_id = ${province.rootId}`);

  // 2. sessions, inserted directly in core/auth's format
  const writersWanted = Math.min(counts.targets!, Math.round(unitCount(defaultShape) * LOAD_SCALE));
  const writerRows = await rowsOf<{ unit_id: string; person_id: string; post_id: string }>(
    db,
    sql`SELECT t.unit_id, p.id AS person_id, s.id AS post_id
      FROM report_window_targets t
        JOIN people p ON p.username = 'p' || replace(t.unit_id::text, '-', '') || '_2'
        JOIN posts s ON s.person_id = p.id
      WHERE t.window_id = ${win!.id} ORDER BY random() LIMIT ${writersWanted}`,
  );
  // readers: every county leader, town leaders, and clerks (not the filing one) of towns and villages
  const readerRows = await rowsOf<{ unit_id: string; person_id: string; post_id: string; depth: number }>(
    db,
    sql`(SELECT u.id AS unit_id, p.id AS person_id, s.id AS post_id, u.depth FROM units u
          JOIN people p ON p.username = 'p' || replace(u.id::text, '-', '') || '_1' JOIN posts s ON s.person_id = p.id
          WHERE u.depth = 2)
        UNION ALL
        (SELECT u.id, p.id, s.id, u.depth FROM units u
          JOIN people p ON p.username = 'p' || replace(u.id::text, '-', '') || '_1' JOIN posts s ON s.person_id = p.id
          WHERE u.depth = 3 ORDER BY random() LIMIT ${Math.round(READERS * 0.18)})
        UNION ALL
        (SELECT u.id, p.id, s.id, u.depth FROM units u
          JOIN people p ON p.username = 'p' || replace(u.id::text, '-', '') || '_3' JOIN posts s ON s.person_id = p.id
          WHERE u.depth >= 3 ORDER BY random() LIMIT ${Math.max(0, READERS - 140 - Math.round(READERS * 0.18))})`,
  );
  const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
  const mint = (rows: { person_id: string; post_id: string }[]) =>
    rows.map((r) => ({ ...r, token: randomBytes(32).toString('base64url'), csrf: randomBytes(24).toString('base64url') }));
  const writers = mint(writerRows);
  const readerSessions = mint(readerRows);
  const all = [...writers, ...readerSessions];
  for (let i = 0; i < all.length; i += 5000) {
    const chunk = all.slice(i, i + 5000);
    await db.execute(sql`
      INSERT INTO sessions (id_hash, person_id, current_post_id, csrf_token, ip, user_agent)
      SELECT h, p, c, t, '127.0.0.1', 'bench/load.ts'
      FROM unnest(${`{${chunk.map((s) => sha256(s.token)).join(',')}}`}::text[], ${`{${chunk.map((s) => s.person_id).join(',')}}`}::uuid[],
        ${`{${chunk.map((s) => s.post_id).join(',')}}`}::uuid[], ${`{${chunk.map((s) => s.csrf).join(',')}}`}::text[]) AS x(h, p, c, t)`);
  }
  const readers: Reader[] = readerSessions.map((s, i) => ({ cookie: `dl_session=${s.token}`, unitId: readerRows[i]!.unit_id }));
  const depthMix: Record<number, number> = {};
  for (const r of readerRows) depthMix[r.depth] = (depthMix[r.depth] ?? 0) + 1;
  console.log(`sessions inserted: ${writers.length} filing clerks, ${readers.length} readers (by depth ${JSON.stringify(depthMix)})`);

  // 3. the real server and the bare ceiling
  const port = await freePort();
  const barePort = await freePort();
  const server = startProcess('server', ['server/src/main.ts', 'start'], {
    ...serverEnv({ databaseUrl: dbUrl, port, dataDir, webDist }),
    DUTYLEDGER_SESSION_IDLE_MINUTES: '600',
  });
  children.push(server);
  const bare = startProcess('bare', ['bench/bare-server.ts'], { BARE_PG_URL: dbUrl, BARE_PORT: String(barePort) });
  children.push(bare);
  const base = `http://127.0.0.1:${port}`;
  const bareBase = `http://127.0.0.1:${barePort}`;
  await waitFor(`${base}/api/auth/me`, 120);
  await waitFor(`${bareBase}/bare?id=${province.rootId}`, 60);
  const sampleDbUrl = dbName;
  sampler = setInterval(() => {
    void rowsOf<{ active: number; advisory: number }>(
      db,
      sql`SELECT count(*) FILTER (WHERE state = 'active')::int AS active,
            count(*) FILTER (WHERE wait_event_type = 'Lock' AND wait_event = 'advisory')::int AS advisory
          FROM pg_stat_activity WHERE datname = ${sampleDbUrl} AND pid <> pg_backend_pid()`,
    ).then(
      ([r]) =>
        samples.push({ phase, rss: rssMb(server.pid), bareRss: rssMb(bare.pid), active: r?.active ?? 0, advisory: r?.advisory ?? 0 }),
      () => {},
    );
  }, 1000);

  // a sample of real logins (argon2id verify, session row, login log)
  const loginStats = newStats('POST /api/auth/login (sequential sample)');
  {
    const sampleUsers = await rowsOf<{ username: string }>(
      db,
      sql`SELECT username FROM people WHERE username LIKE '%\_4' ORDER BY random() LIMIT ${LOGIN_SAMPLE}`,
    );
    const started = performance.now();
    for (const u of sampleUsers) {
      const t = performance.now();
      const res = await fetch(`${base}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: u.username, password: PASSWORD }),
      });
      await res.arrayBuffer();
      loginStats.times.push(performance.now() - t);
      loginStats.codes[res.status] = (loginStats.codes[res.status] ?? 0) + 1;
      if (!res.ok) loginStats.non2xx++;
    }
    loginStats.n = sampleUsers.length;
    loginStats.seconds = (performance.now() - started) / 1000;
  }

  // the window's board, as the province's leader: the summary over the ≈30,000 targets and their first page
  const leaderSession = mint(
    await rowsOf<{ person_id: string; post_id: string }>(
      db,
      sql`SELECT p.id AS person_id, s.id AS post_id FROM people p JOIN posts s ON s.person_id = p.id WHERE p.username = ${province.leader}`,
    ),
  )[0]!;
  await db.execute(sql`INSERT INTO sessions (id_hash, person_id, current_post_id, csrf_token)
    VALUES (${sha256(leaderSession.token)}, ${leaderSession.person_id}, ${leaderSession.post_id}, ${leaderSession.csrf})`);
  const boardProbe = async (label: string) => {
    const s = newStats(label);
    const started = performance.now();
    let bytes = 0;
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      const res = await fetch(`${base}/api/report-windows/${win!.id}/board`, { headers: { cookie: `dl_session=${leaderSession.token}` } });
      bytes = (await res.arrayBuffer()).byteLength;
      s.times.push(performance.now() - t);
      s.codes[res.status] = (s.codes[res.status] ?? 0) + 1;
      if (!res.ok) s.non2xx++;
    }
    s.n = 5;
    s.seconds = (performance.now() - started) / 1000;
    return { s, bytes };
  };

  const routes: [string, (r: Reader) => string][] = [
    ['GET /api/dashboard?unitId=<own unit>', (r) => `/api/dashboard?unitId=${r.unitId}`],
    ['GET /api/tasks?pageSize=20', () => '/api/tasks?pageSize=20'],
    ['GET /api/report-submissions?pageSize=20', () => '/api/report-submissions?pageSize=20'],
  ];

  // 4. quiet phase: the ceiling, then each read route alone with the same connections
  phase = 'quiet';
  const bareReader: Reader[] = readers.map((r) => ({ cookie: '', unitId: r.unitId }));
  const quietBare = await cannon(
    'bare Fastify + pg: GET /bare (SELECT by id)',
    bareBase,
    QUIET_SECONDS,
    READ_CONNECTIONS,
    (r) => `/bare?id=${r.unitId}`,
    bareReader,
  );
  const quiet: Stats[] = [];
  for (const [label, path] of routes) quiet.push(await cannon(label, base, QUIET_SECONDS, READ_CONNECTIONS, path, readers));
  const boardQuiet = await boardProbe('GET /api/report-windows/:id/board (province leader, 5 sequential)');

  // 5. the deadline: writers paced over the phase, readers on every route group at once
  phase = 'deadline';
  const file = (unitId: string) => {
    const head = Buffer.from(`%PDF-1.4\n% report of unit ${unitId}\n`);
    const tail = Buffer.from('\n%%EOF\n');
    const body = Buffer.alloc(FILE_KB * 1024 - head.length - tail.length, 0x20);
    randomBytes(1024).copy(body, 0); // unique content: the store is content-addressed
    return Buffer.concat([head, body, tail]);
  };
  const steps = {
    create: newStats('write: POST /api/report-windows/:id/submissions (create, prefilled)'),
    upload: newStats(`write: POST /api/attachments (multipart, ${FILE_KB} KB PDF)`),
    save: newStats('write: PUT /api/report-submissions/:id (text + attachment)'),
    submit: newStats('write: POST /api/report-submissions/:id/submit'),
  };
  let filed = 0;
  let failedUnits = 0;
  let notStarted = 0;
  const firstFailures: string[] = [];
  const call = async (st: Stats, url: string, init: RequestInit): Promise<unknown> => {
    const t = performance.now();
    let res: Response;
    try {
      res = await fetch(url, init);
    } catch (e) {
      st.errors++;
      st.n++;
      throw e;
    }
    const text = await res.text();
    st.times.push(performance.now() - t);
    st.n++;
    st.codes[res.status] = (st.codes[res.status] ?? 0) + 1;
    if (!res.ok) {
      st.non2xx++;
      throw new Error(`${st.label}: ${res.status} ${text.slice(0, 200)}`);
    }
    return JSON.parse(text);
  };
  const deadlineStart = Date.now();
  const deadlineEnd = deadlineStart + LOAD_SECONDS * 1000;
  const spacing = (LOAD_SECONDS * 1000) / Math.max(1, writers.length);
  let next = 0;
  const writer = async () => {
    for (;;) {
      const i = next++;
      if (i >= writers.length) return;
      const due = deadlineStart + i * spacing;
      if (due > Date.now()) await sleep(due - Date.now());
      if (Date.now() >= deadlineEnd) {
        notStarted++;
        continue;
      }
      const w = writers[i]!;
      const unitId = writerRows[i]!.unit_id;
      const headers = { cookie: `dl_session=${w.token}`, 'x-csrf-token': w.csrf };
      try {
        const detail = (await call(steps.create, `${base}/api/report-windows/${win!.id}/submissions`, {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/json' },
          body: JSON.stringify({ unitId }),
        })) as { id: string; sections: { key: string; requiredAttachment?: boolean }[] };
        const form = new FormData();
        form.append('unitId', unitId);
        form.append('file', new Blob([file(unitId)], { type: 'application/pdf' }), '半年工作报告附件.pdf');
        const att = (await call(steps.upload, `${base}/api/attachments`, { method: 'POST', headers, body: form })) as { id: string };
        const section = detail.sections.find((s) => s.requiredAttachment) ?? detail.sections[0]!;
        await call(steps.save, `${base}/api/report-submissions/${detail.id}`, {
          method: 'PUT',
          headers: { ...headers, 'content-type': 'application/json' },
          body: JSON.stringify({
            sections: [{ key: section.key, text: '上半年，本单位认真落实意识形态工作责任制……（压测生成）', attachmentIds: [att.id] }],
          }),
        });
        await call(steps.submit, `${base}/api/report-submissions/${detail.id}/submit`, { method: 'POST', headers });
        filed++;
      } catch (e) {
        failedUnits++;
        if (firstFailures.length < 5) firstFailures.push((e as Error).message);
      }
    }
  };
  const [reads] = await Promise.all([
    Promise.all(routes.map(([label, path]) => cannon(label, base, LOAD_SECONDS, READ_CONNECTIONS, path, readers))),
    Promise.all(Array.from({ length: WRITERS }, writer)),
  ]);
  const writeSeconds = (Date.now() - deadlineStart) / 1000;
  for (const s of Object.values(steps)) s.seconds = writeSeconds;
  phase = 'after';
  const boardAfter = await boardProbe('GET /api/report-windows/:id/board after the deadline phase');
  clearInterval(sampler);
  sampler = undefined;
  const [audit] = await rowsOf<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM audit_entries`);
  const [subs] = await rowsOf<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM report_submissions WHERE state = 'submitted'`);

  // report
  const ceiling = quietBare.n / quietBare.seconds;
  const by = (p: string) => samples.filter((s) => s.phase === p);
  const sum = (p: string) => {
    const xs = by(p);
    const max = (k: keyof Sample) => Math.max(...xs.map((x) => x[k] as number));
    const avg = (k: keyof Sample) => xs.reduce((a, x) => a + (x[k] as number), 0) / Math.max(1, xs.length);
    return `${p}: server RSS avg ${f1(avg('rss'))} MB / max ${f1(max('rss'))} MB; bare RSS max ${f1(max('bareRss'))} MB; PostgreSQL sessions active avg ${f1(avg('active'))}, waiting on an advisory lock avg ${f1(avg('advisory'))} / max ${max('advisory')} (${xs.length} samples)`;
  };
  console.log(`\n## Load at the deadline — ${new Date().toISOString()}`);
  console.log(`machine: ${machine}; load average at end ${loadavg().map(f1).join(' ')}`);
  console.log(
    `run: LOAD_SCALE=${LOAD_SCALE} (${writers.length} filing units of ${counts.targets}), LOAD_SECONDS=${LOAD_SECONDS}, LOAD_WRITERS=${WRITERS}, ` +
      `LOAD_READERS=${readers.length}, LOAD_READ_CONNECTIONS=${READ_CONNECTIONS} per route group, LOAD_QUIET_SECONDS=${QUIET_SECONDS}, LOAD_FILE_KB=${FILE_KB}`,
  );
  console.log(`data: ${JSON.stringify(counts)}`);
  console.log(`\nQuiet phase (one route at a time, ${READ_CONNECTIONS} connections, ${QUIET_SECONDS} s each):\n${header}`);
  console.log(row(quietBare));
  for (const s of quiet) console.log(row(s, ceiling));
  console.log(row(loginStats));
  console.log(`${row(boardQuiet.s)} (response ${(boardQuiet.bytes / 1024).toFixed(0)} KB)`);
  console.log(`\nDeadline phase (${LOAD_SECONDS} s; writers and readers at once):\n${header}`);
  for (const s of reads) console.log(row(s, ceiling));
  for (const s of Object.values(steps)) console.log(row(s));
  console.log(`${row(boardAfter.s)} (response ${(boardAfter.bytes / 1024).toFixed(0)} KB)`);
  console.log(
    `\nunits: ${filed} filed (create + upload + save + submit) of ${writers.length} planned (target pace ${f1(writers.length / LOAD_SECONDS)} units/s), ` +
      `${failedUnits} failed, ${notStarted} not started before the phase ended; writes took ${f1(writeSeconds)} s; ` +
      `${subs?.n} submissions in state submitted; ${audit?.n} audit entries in all`,
  );
  for (const m of firstFailures) console.log(`  failure: ${m}`);
  console.log(sum('quiet'));
  console.log(sum('deadline'));
  console.log(`total time ${((Date.now() - t0) / 1000).toFixed(0)} s`);
} finally {
  if (sampler) clearInterval(sampler);
  for (const c of children) c.kill('SIGTERM');
  await sleep(1500);
  await database.close();
  if (process.env.LOAD_KEEP_DB !== '1') await throwAway.drop();
  else console.log(`kept database ${dbName}`);
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(webDist, { recursive: true, force: true });
}
