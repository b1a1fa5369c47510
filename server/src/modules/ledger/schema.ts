/** Tables of the ledger module: background export jobs (the files themselves live under <dataDir>/ledger). */
import type { LedgerFormat } from '@dutyledger/contracts';
import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { people, units } from '../../core/schema.js';

const ts = (name: string) => timestamp(name, { withTimezone: true });

export interface LedgerFileRow {
  format: LedgerFormat;
  name: string;
  /** the file name in the job's export store folder (`<dataDir>/ledger/<job id>/`, or `<prefix>ledger/<job id>/` in a bucket) */
  path: string;
  size: number;
}

export const ledgerExports = pgTable(
  'ledger_exports',
  {
    regionId: uuid('region_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    unitId: uuid('unit_id')
      .notNull()
      .references(() => units.id),
    includeSubtree: boolean('include_subtree').notNull().default(false),
    periodLabel: text('period_label').notNull(),
    /** inclusive start and exclusive end (UTC instants of Shanghai midnights) */
    periodFrom: ts('period_from').notNull(),
    periodTo: ts('period_to').notNull(),
    formats: text('formats').array().$type<LedgerFormat[]>().notNull(),
    /** queued | running | done | failed | expired (see jobs.ts `transitions`) */
    state: text('state').notNull().default('queued'),
    progress: integer('progress').notNull().default(0),
    files: jsonb('files').$type<LedgerFileRow[]>().notNull().default([]),
    error: text('error'),
    requestedBy: uuid('requested_by').references(() => people.id),
    createdAt: ts('created_at').notNull().defaultNow(),
    startedAt: ts('started_at'),
    finishedAt: ts('finished_at'),
    /** files are deleted by the cleanup job after this moment (7 days after finishing) */
    expiresAt: ts('expires_at'),
  },
  (t) => [
    primaryKey({ columns: [t.regionId, t.id] }),
    index('ledger_exports_id_idx').on(t.id),
    index('ledger_exports_requester_idx').on(t.requestedBy, t.createdAt),
    index('ledger_exports_queued_idx').on(t.createdAt).where(sql`${t.state} = 'queued'`),
    index('ledger_exports_expiry_idx').on(t.expiresAt),
  ],
);
