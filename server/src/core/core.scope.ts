import type { ScopeCases } from '../../test/scope.js';

/** Scope cases of the core routes (auth, audit, login log). */
export const scopeCases: ScopeCases = {
  'POST /api/auth/logout': { self: 'ends the caller’s own session' },
  'GET /api/auth/me': { self: 'the caller’s own account' },
  'POST /api/auth/password': { self: 'changes the caller’s own password' },
  'POST /api/auth/switch-post': { self: 'only a post of the caller (others → 400, tested in auth.test.ts)' },
  'GET /api/audit': {
    owner: 'auditor',
    denied: { adminA: 403, sysAdmin: 403, secAdmin: 403, clerkB: 403 },
    request: async () => ({ url: '/api/audit' }),
  },
  'GET /api/audit/verify': {
    owner: 'auditor',
    denied: { adminA: 403, sysAdmin: 403, secAdmin: 403 },
    request: async () => ({ url: '/api/audit/verify' }),
  },
  'GET /api/audit/export': {
    owner: 'auditor',
    denied: { adminA: 403, sysAdmin: 403, secAdmin: 403 },
    request: async () => ({ url: '/api/audit/export' }),
  },
  'GET /api/login-log/export': {
    owner: 'auditor',
    denied: { adminA: 403, sysAdmin: 403, secAdmin: 403 },
    request: async () => ({ url: '/api/login-log/export' }),
  },
  'GET /api/login-log': {
    owner: 'auditor',
    denied: { adminA: 403, sysAdmin: 403, secAdmin: 403 },
    request: async () => ({ url: '/api/login-log' }),
  },
};
