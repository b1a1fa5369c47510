/** The org module's service: what other modules may call (never its tables directly). */

export { type LedgerPostRow, type LedgerUnitInfo, ledgerPostPages, ledgerUnitInfo } from './ledger-reads.js';
export { createPersonUnchecked, getPerson } from './people.js';
export { createRootUnit, getUnit, isAncestorOrSelf, listUnits } from './units.js';
