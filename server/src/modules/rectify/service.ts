/** What other modules may call of `rectify` (the dashboard and the assessment read these). */
export {
  addFinding,
  addRectifyItem,
  createInspection,
  getInspection,
  INSPECTION_ENTITY,
  listInspections,
  rectifyBoard,
  updateInspection,
  updateRectifyItem,
} from './inspections.js';
export {
  createDueRechecks,
  getRectifyItem,
  listRectifyItems,
  openRectificationCountsByChild,
  openRectificationItems,
  RECHECK_MONTHS,
  RECTIFY_ITEM_ENTITY,
  rectificationOnTimeRate,
  transitionRectifyItem,
} from './items.js';
export { type LedgerRectifyItemRow, ledgerRectifyItemPages } from './ledger-reads.js';
