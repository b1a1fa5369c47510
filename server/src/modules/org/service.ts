/** The org module's service: what other modules may call (never its tables directly). */
export { createRootUnit, getUnit, isAncestorOrSelf, listUnits } from './units.js';
export { createPersonUnchecked, getPerson } from './people.js';
