/** What other modules may call of `reports` (templates, windows, submissions, board reads). */
import './prefillSources.js';

export {
  type MissingReport,
  missingReportCountsByChild,
  missingReports,
  type OnTimeRate,
  remindMissing,
  reportOnTimeRate,
  sendReportReminders,
  windowBoard,
} from './board.js';
export { type LedgerSubmissionRow, ledgerSubmissionPages, SUBMISSION_ENTITY } from './ledger-reads.js';
export { type PrefillBlock, type PrefillInput, type PrefillSource, registerPrefillSource } from './prefill.js';
export { createSubmission, getSubmission, listSubmissions, saveSubmission, transitionSubmission, transitions } from './submissions.js';
export { ensureReportTemplates, getTemplate, listPrefillSources, listTemplates, updateTemplate } from './templates.js';
export { getWindow, listWindows, openWindow } from './windows.js';
export { windowZip } from './zip.js';
