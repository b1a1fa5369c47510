/** What other modules (and the integrator's start/seed) may call of `channels`. */
export { channelStats, createChannel, getChannel, listChannels, updateChannel } from './channels.js';
export { createChannelDictItem, defaultChannelDicts, ensureChannelTypes, listChannelDict, updateChannelDictItem } from './dicts.js';
export { createEventFiling, getEventFiling, isLate, listEventFilings, transitionEventFiling, updateEventFiling } from './filings.js';
export {
  EVENT_FILING_ENTITY,
  type LedgerEventFilingRow,
  type LedgerPublicationRow,
  type LedgerSelfCheckRow,
  ledgerEventFilingPages,
  ledgerPublicationPages,
  ledgerSelfCheckPages,
} from './ledger-reads.js';
export {
  createPublication,
  getPublication,
  listPublications,
  PUBLICATION_ENTITY,
  transitionPublication,
  transitions as publicationTransitions,
  updatePublication,
} from './publications.js';
export { sanitizeRichText } from './sanitize.js';
export {
  getSelfCheckRound,
  listSelfCheckRounds,
  openQuarterRounds,
  openSelfCheckRound,
  saveSelfCheckResult,
  selfCheckProblemToTask,
} from './selfcheck.js';
