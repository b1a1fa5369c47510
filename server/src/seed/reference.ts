/**
 * Reference data every installation needs (dictionaries, default rules), filled where still empty.
 * Not in migrations: a migrated database must stay empty so that a backup can be restored into it.
 * Runs at `start` (after a restore too: the restored dictionaries are left as they are), in `seed-demo`
 * and in the test harness. Each `ensure…` is idempotent and never re-fills a dictionary someone edited.
 */
import type { Ctx } from '../core/context.js';
import { ensureAssessmentFramework } from '../modules/assessment/service.js';
import { ensureChannelTypes } from '../modules/channels/service.js';
import { ensureDutyListItems } from '../modules/duty/service.js';
import { ensureDefaultRules, ensureMeetingKinds } from '../modules/meetings/service.js';
import { ensureOpinionPlatforms } from '../modules/opinion/service.js';
import { ensureReportTemplates } from '../modules/reports/service.js';

/** Every module's `ensure…` function; a module with a dictionary adds its own here. */
const ensurers: ((ctx: Ctx) => Promise<void>)[] = [
  ensureMeetingKinds,
  ensureDefaultRules,
  ensureOpinionPlatforms,
  ensureChannelTypes,
  ensureReportTemplates,
  ensureAssessmentFramework,
  ensureDutyListItems,
];

export async function ensureReferenceData(ctx: Ctx): Promise<void> {
  for (const ensure of ensurers) await ensure(ctx);
}
