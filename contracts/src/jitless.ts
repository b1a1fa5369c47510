/**
 * In the browser, whose CSP has no 'unsafe-eval' (server/src/app.ts), zod v4 would probe `Function('')` when the
 * first object schema is built, to decide whether to compile fast parsers: that probe is a CSP violation. Jitless
 * zod never probes. index.ts imports this module first, so that it runs before any schema is built; the server
 * (no `document`) keeps the fast parsers.
 */
import { z } from 'zod';

if (typeof document !== 'undefined') z.config({ jitless: true });
