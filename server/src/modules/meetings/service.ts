/** What other modules may call of `meetings` (meeting kinds and meeting records). */

export { complianceCalendar, complianceCountsByChild, complianceMatrix, complianceRate } from './compliance.js';
export { createMeetingKind, defaultMeetingKinds, ensureMeetingKinds, listMeetingKinds, updateMeetingKind } from './kinds.js';
export { type LedgerMeetingRow, type LedgerStudyPlanRow, ledgerMeetingPages, ledgerStudyPlanPages } from './ledger-reads.js';
export { BACKFILL_DAYS, createMeeting, getMeeting, isBackfilled, listMeetings, MEETING_ENTITY, updateMeeting } from './meetings.js';
export { createResolutionTask, parseResolutionSourceId, RESOLUTION_SOURCE, resolutionSourceId } from './resolutions.js';
export { createRule, defaultRules, ensureDefaultRules, listRules, rulesForUnit, rulesForUnitType, updateRule } from './rules.js';
export { meetingsHeldByMonth } from './stats.js';
export {
  createStudyNote,
  getStudyNote,
  listAttendedMeetings,
  listMyStudyNotes,
  listStudyNotesForReview,
  readStudyNote,
  STUDY_NOTE_ENTITY,
  updateStudyNote,
} from './studyNotes.js';
export { createStudyPlan, getStudyPlan, isPlanBackfilled, listStudyPlans, STUDY_PLAN_ENTITY, updateStudyPlan } from './studyPlans.js';
