export * from './auth.js';
export * from './common.js';
export * from './duty.js';
export * from './meetings.js';
export * from './org.js';
export * from './roles.js';
export * from './system.js';
