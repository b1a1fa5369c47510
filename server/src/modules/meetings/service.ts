/** What other modules may call of `meetings` (meeting kinds and meeting records). */
export { createMeetingKind, defaultMeetingKinds, ensureMeetingKinds, listMeetingKinds, updateMeetingKind } from './kinds.js';
export { BACKFILL_DAYS, createMeeting, getMeeting, isBackfilled, listMeetings, MEETING_ENTITY, updateMeeting } from './meetings.js';
