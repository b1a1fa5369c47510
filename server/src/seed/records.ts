/**
 * The demo county's records: each module seeds a small, realistic set of its own records through its
 * domain functions (acting as the demo people), so that every page has something to show. One transaction.
 */
import { type Ctx, inTx } from '../core/context.js';
import { seedDemoAccountability } from '../modules/accountability/demo.js';
import { seedDemoAssessment } from '../modules/assessment/demo.js';
import { seedDemoChannels } from '../modules/channels/demo.js';
import { seedDemoDuty } from '../modules/duty/demo.js';
import { seedDemoResponsibility } from '../modules/duty/demo-responsibility.js';
import { seedDemoStudy } from '../modules/meetings/demo.js';
import { seedDemoCompliance } from '../modules/meetings/demo-compliance.js';
import { seedDemoOpinion } from '../modules/opinion/demo.js';
import { seedDemoOutputs } from '../modules/outputs/demo.js';
import { seedDemoRectify } from '../modules/rectify/demo.js';
import { seedDemoReports } from '../modules/reports/demo.js';

/** Every module's demo seeder, in dependency order (a module's records may point at earlier ones). */
const seeders: ((ctx: Ctx) => Promise<void>)[] = [
  seedDemoDuty,
  seedDemoResponsibility,
  seedDemoStudy,
  seedDemoCompliance,
  seedDemoOpinion,
  seedDemoChannels,
  seedDemoReports,
  seedDemoRectify,
  seedDemoAccountability,
  seedDemoOutputs,
  seedDemoAssessment, // last: it scores the records above
];

export async function seedDemoRecords(ctx: Ctx): Promise<void> {
  await inTx(ctx, async (tx) => {
    for (const seed of seeders) await seed(tx);
  });
}
