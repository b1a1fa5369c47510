/**
 * Reads of work outputs for the ledger (台账): outputs of all kinds of the scope's unit(s) that happened
 * in a period, page by page (keyset on the date it happened).
 *
 * Trusted reads: the ledger module has checked `ledger.export` on the unit (and reach over the subtree).
 */
import { type OutputKind, type OutputLevel, outputKindLabels, outputLevelLabels } from '@dutyledger/contracts';
import { and, asc, eq, gt, gte, lt, or } from 'drizzle-orm';
import type { Ctx } from '../../core/context.js';
import { keysetPages, type LedgerReadScope, unitsOf } from '../../core/ledger-reads.js';
import { localDate } from '../../core/periods.js';
import { units } from '../../core/schema.js';
import { OUTPUT_ENTITY } from './outputs.js';
import { workOutputs } from './schema.js';

export { OUTPUT_ENTITY };

export interface LedgerOutputRow {
  id: string;
  unitName: string;
  kindLabel: string;
  title: string;
  occurredOn: string;
  levelLabel: string;
  outlet: string;
  participants: number | null;
  hours: number | null;
  description: string;
  createdAt: Date;
}

/** Outputs of the scope's unit(s) that happened in the period (Shanghai dates), oldest first. */
export async function* ledgerOutputPages(ctx: Ctx, s: LedgerReadScope, pageSize = 500): AsyncGenerator<LedgerOutputRow[]> {
  const o = workOutputs;
  const first = localDate(s.from);
  const end = localDate(s.to);
  for await (const rows of keysetPages(
    (after: { occurredOn: string; id: string } | null) =>
      ctx.db
        .select({
          id: o.id,
          unitName: units.name,
          kind: o.kind,
          title: o.title,
          occurredOn: o.occurredOn,
          level: o.level,
          outlet: o.outlet,
          participants: o.participants,
          hours: o.hours,
          description: o.description,
          createdAt: o.createdAt,
        })
        .from(o)
        .innerJoin(units, eq(units.id, o.unitId))
        .where(
          and(
            unitsOf(o.unitId, s),
            gte(o.occurredOn, first),
            lt(o.occurredOn, end),
            after ? or(gt(o.occurredOn, after.occurredOn), and(eq(o.occurredOn, after.occurredOn), gt(o.id, after.id))) : undefined,
          ),
        )
        .orderBy(asc(o.occurredOn), asc(o.id))
        .limit(pageSize),
    pageSize,
  )) {
    yield rows.map(({ kind, level, ...x }) => ({
      ...x,
      kindLabel: outputKindLabels[kind as OutputKind] ?? kind,
      levelLabel: level ? (outputLevelLabels[level as OutputLevel] ?? level) : '',
    }));
  }
}
