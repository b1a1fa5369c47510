/**
 * A ledger chapter: one module's records of a unit (and optionally its subtree) in a period, read through
 * that module's service.ts and yielded page by page, so that an export never holds a whole chapter.
 */
import type { Ctx } from '../../../core/context.js';

export interface LedgerScope {
  unitId: string;
  /** materialized path of the unit (`/root/…/unit/`), for subtree reads */
  unitPath: string;
  includeSubtree: boolean;
  /** inclusive start, exclusive end */
  from: Date;
  to: Date;
}

export interface LedgerAttachmentRef {
  id: string;
  name: string;
  sha256: string;
}

/** One record as the ledger prints it. */
export interface LedgerRecord {
  /** when it happened (the date printed first) */
  happenedAt: Date | null;
  /** when it was entered into the system; with happenedAt decides 补录 */
  enteredAt: Date | null;
  /** cells in the order of the chapter's columns */
  cells: (string | number | null)[];
  attachments: LedgerAttachmentRef[];
}

export interface LedgerChapter {
  /** stable, e.g. `meetings`; also the folder of its attachments in the ZIP (with the title) */
  key: string;
  /** Chinese chapter title, e.g. 会议学习 */
  title: string;
  /** header of the date column (发生日期, 召开时间 …) */
  dateHeader: string;
  columns: { header: string; width?: number }[];
  /** pages of records, oldest first */
  pages(ctx: Ctx, scope: LedgerScope): AsyncIterable<LedgerRecord[]>;
}
