/** The org module's service: what other modules may call (never its tables directly). */

export { createPersonUnchecked, getPerson } from './people.js';
export { createRootUnit, getUnit, isAncestorOrSelf, listUnits } from './units.js';
