// first: before any schema is built (see jitless.ts)
import './jitless.js';

export * from './accountability.js';
export * from './assessment.js';
export * from './auth.js';
export * from './channels.js';
export * from './common.js';
export * from './compliance.js';
export * from './dashboard.js';
export * from './duty.js';
export * from './ledger.js';
export * from './meetings.js';
export * from './opinion.js';
export * from './org.js';
export * from './outputs.js';
export * from './rectify.js';
export * from './reports.js';
export * from './responsibility.js';
export * from './roles.js';
export * from './study.js';
export * from './system.js';
