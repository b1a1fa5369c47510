/** What other modules may call of `assessment`. */
export { computeCycle, createCycle, getCycle, latestAssessmentOf, listCycles, publishCycle, scoreIndicator, selfAssess } from './cycles.js';
export { DEFAULT_FRAMEWORK_NAME, ensureAssessmentFramework, listFrameworks } from './framework.js';
