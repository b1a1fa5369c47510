/** All tables, for Drizzle and drizzle-kit. Modules add `export * from '../modules/<name>/schema.js'`. */
export * from '../core/schema.js';
export * from '../modules/duty/schema.js';
export * from '../modules/meetings/schema.js';
