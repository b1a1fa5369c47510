/** What other modules may call of `opinion` (analysis reports, opinion events, emergency plans, bulletins). */
export {
  analysisTransitions,
  commentAnalysis,
  createAnalysisReport,
  getAnalysisReport,
  listAnalysisReports,
  measureToTask,
  transitionAnalysis,
  updateAnalysisReport,
} from './analysis.js';
export { eventsHandledWithin } from './assessment-reads.js';
export {
  bulletinInbox,
  bulletinReceipts,
  getBulletin,
  listBulletins,
  markBulletinRead,
  sendBulletin,
  sendBulletinReminders,
} from './bulletins.js';
export {
  addOpinionEntry,
  addOpinionResponse,
  createOpinionEvent,
  escalateOpinionEvent,
  getOpinionEvent,
  listOpinionEvents,
  openOpinionCountsByChild,
  openOpinionEvents,
  opinionTransitions,
  transitionOpinionEvent,
  updateOpinionEvent,
} from './events.js';
export {
  ANALYSIS_ENTITY,
  BULLETIN_ENTITY,
  type LedgerAnalysisRow,
  type LedgerBulletinRow,
  type LedgerOpinionEventRow,
  ledgerAnalysisPages,
  ledgerBulletinPages,
  ledgerOpinionEventPages,
} from './ledger-reads.js';
export { addResponseDrill, addResponsePlanVersion, createResponsePlan, getResponsePlan, listResponsePlans } from './plans.js';
export { defaultOpinionPlatforms, ensureOpinionPlatforms, listOpinionPlatforms } from './platforms.js';
