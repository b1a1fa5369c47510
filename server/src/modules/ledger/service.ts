/** What other modules (and the `start` command) may call of `ledger`. */
export type { LedgerAttachmentRef, LedgerChapter, LedgerRecord, LedgerScope } from './chapters/index.js';
export { ledgerChapters } from './chapters/index.js';
export {
  cleanupExpiredExports,
  createLedgerExport,
  getLedgerExport,
  listMyLedgerExports,
  openLedgerFile,
  processQueuedExports,
  startLedgerWorker,
  stopLedgerWorker,
} from './jobs.js';
