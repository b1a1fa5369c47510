/** What other modules may call of `accountability`: counts only (the ledger), never names. */

export { ledgerAccountabilityCounts } from './ledger-reads.js';
export {
  ACCOUNTABILITY_ENTITY,
  accountabilityCounts,
  createAccountability,
  getAccountability,
  listAccountability,
  respondAccountability,
} from './records.js';
