/** All tables, for Drizzle and drizzle-kit. Modules add `export * from '../modules/<name>/schema.js'`. */
export * from '../core/schema.js';
export * from '../modules/accountability/schema.js';
export * from '../modules/assessment/schema.js';
export * from '../modules/channels/schema.js';
export * from '../modules/duty/responsibility-schema.js';
export * from '../modules/duty/schema.js';
export * from '../modules/ledger/schema.js';
export * from '../modules/meetings/compliance-schema.js';
export * from '../modules/meetings/schema.js';
export * from '../modules/meetings/study-schema.js';
export * from '../modules/opinion/schema.js';
export * from '../modules/outputs/schema.js';
export * from '../modules/rectify/schema.js';
export * from '../modules/reports/schema.js';
