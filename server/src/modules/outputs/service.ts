/** What other modules may call of `outputs` (the assessment reads `outputCounts`). */

export { type LedgerOutputRow, ledgerOutputPages } from './ledger-reads.js';
export { createOutput, getOutput, listOutputs, OUTPUT_ENTITY, type OutputCounts, outputCounts, updateOutput } from './outputs.js';
