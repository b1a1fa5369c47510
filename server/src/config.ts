import { resolve } from 'node:path';

/** An S3-compatible bucket for attachment content (DUTYLEDGER_S3_*); see core/attachments/store.ts. */
export interface S3Config {
  bucket: string;
  /** key prefix inside the bucket, '' or ending in '/' */
  prefix: string;
  /** e.g. http://minio.internal:9000; unset: the provider's default (AWS) */
  endpoint: string | undefined;
  region: string;
  forcePathStyle: boolean;
  /** unset: the SDK's own chain (AWS_ACCESS_KEY_ID …, instance role) */
  accessKeyId: string | undefined;
  secretAccessKey: string | undefined;
}

function s3FromEnv(): S3Config | undefined {
  const bucket = process.env.DUTYLEDGER_S3_BUCKET;
  if (!bucket) return undefined;
  const rawPrefix = process.env.DUTYLEDGER_S3_PREFIX ?? '';
  return {
    bucket,
    prefix: rawPrefix === '' || rawPrefix.endsWith('/') ? rawPrefix : `${rawPrefix}/`,
    endpoint: process.env.DUTYLEDGER_S3_ENDPOINT || undefined,
    region: process.env.DUTYLEDGER_S3_REGION || 'us-east-1',
    forcePathStyle: process.env.DUTYLEDGER_S3_PATH_STYLE !== 'false',
    accessKeyId: process.env.DUTYLEDGER_S3_ACCESS_KEY_ID || undefined,
    secretAccessKey: process.env.DUTYLEDGER_S3_SECRET_ACCESS_KEY || undefined,
  };
}

/** Runtime settings, read from the environment once. See README "Configuration". */
export interface Config {
  port: number;
  host: string;
  /** PGlite data directory and attachment store (`./data` by default) */
  dataDir: string;
  /** attachment content in an S3-compatible bucket instead of `<dataDir>/files` */
  s3: S3Config | undefined;
  /** real PostgreSQL when set */
  databaseUrl: string | undefined;
  /**
   * a read-only PostgreSQL streaming replica of `databaseUrl` for the dashboard's and the ledger exports' reads
   * (ignored without `databaseUrl`); unset: they read the primary
   */
  replicaUrl: string | undefined;
  /** connections per PostgreSQL pool (the primary's and the replica's, each): DUTYLEDGER_PG_POOL_SIZE */
  pgPoolSize: number;
  sessionIdleMinutes: number;
  lockoutThreshold: number;
  lockoutMinutes: number;
  loginRateLimitPerMinute: number;
  uploadMaxBytes: number;
  /** `sha256` (default) or `sm3` when Node's OpenSSL offers it */
  auditHash: 'sha256' | 'sm3';
  secureCookies: boolean;
  webDist: string;
  runScheduler: boolean;
  /** a record entered more than this many days after it happened is marked 补录 in the ledger */
  backfillDays: number;
  /**
   * the dashboard keeps the counts of a subtree of at least `dashboardCacheMinUnits` units for this many
   * seconds (0: always counts live); see modules/dashboard/cache.ts
   */
  dashboardCacheSeconds: number;
  dashboardCacheMinUnits: number;
}

function int(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number`);
  return n;
}

function nonNegativeInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be 0 or a positive whole number`);
  return n;
}

export function loadConfig(overrides: Partial<Config> = {}): Config {
  const hash = (process.env.DUTYLEDGER_AUDIT_HASH ?? 'sha256').toLowerCase();
  if (hash !== 'sha256' && hash !== 'sm3') throw new Error('DUTYLEDGER_AUDIT_HASH must be sha256 or sm3');
  return {
    port: int('PORT', 8080),
    host: process.env.HOST ?? '127.0.0.1',
    // relative to where the user ran the command (npm runs workspace scripts inside server/, INIT_CWD is the caller's directory)
    dataDir: resolve(process.env.INIT_CWD ?? '.', process.env.DUTYLEDGER_DATA ?? 'data'),
    s3: s3FromEnv(),
    databaseUrl: process.env.DATABASE_URL || undefined,
    replicaUrl: process.env.DUTYLEDGER_REPLICA_URL || undefined,
    pgPoolSize: int('DUTYLEDGER_PG_POOL_SIZE', 10),
    sessionIdleMinutes: int('DUTYLEDGER_SESSION_IDLE_MINUTES', 30),
    lockoutThreshold: int('DUTYLEDGER_LOCKOUT_THRESHOLD', 5),
    lockoutMinutes: int('DUTYLEDGER_LOCKOUT_MINUTES', 15),
    loginRateLimitPerMinute: int('DUTYLEDGER_LOGIN_RATE_LIMIT', 30),
    uploadMaxBytes: int('DUTYLEDGER_UPLOAD_MAX_MB', 20) * 1024 * 1024,
    auditHash: hash,
    secureCookies: process.env.DUTYLEDGER_SECURE_COOKIES === 'true',
    webDist: resolve(process.env.DUTYLEDGER_WEB_DIST ?? new URL('../../web/dist', import.meta.url).pathname),
    runScheduler: process.env.DUTYLEDGER_SCHEDULER !== 'off',
    backfillDays: int('DUTYLEDGER_BACKFILL_DAYS', 30),
    dashboardCacheSeconds: nonNegativeInt('DUTYLEDGER_DASHBOARD_CACHE_SECONDS', 60),
    dashboardCacheMinUnits: int('DUTYLEDGER_DASHBOARD_CACHE_MIN_UNITS', 1000),
    ...overrides,
  };
}
