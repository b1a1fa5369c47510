import type { ScopeCases } from '../../test/scope.js';

/** Scope cases of the core routes (auth, audit, login log). */
export const scopeCases: ScopeCases = {
  'POST /api/auth/logout': { self: 'ends the caller’s own session' },
  'GET /api/auth/me': { self: 'the caller’s own account' },
  'POST /api/auth/password': { self: 'changes the caller’s own password' },
  'POST /api/auth/switch-post': { self: 'only a post of the caller (others → 400, tested in auth.test.ts)' },
  'GET /api/audit': {
    permission: 'audit.read',
    owner: 'auditor',
    denied: { adminA: 403, sysAdmin: 403, secAdmin: 403, clerkB: 403 },
    request: async () => ({ url: '/api/audit' }),
    around: { skip: "the log filtered to the auditor's reach: an auditor below reads its own subtree's entries" },
  },
  'GET /api/audit/verify': {
    permission: 'audit.read',
    owner: 'auditor',
    denied: { adminA: 403, sysAdmin: 403, secAdmin: 403 },
    request: async () => ({ url: '/api/audit/verify' }),
    around: { skip: "verifies the chain as far as the auditor's reach: no unit is targeted" },
  },
  'GET /api/audit/export': {
    permission: 'audit.read',
    owner: 'auditor',
    denied: { adminA: 403, sysAdmin: 403, secAdmin: 403 },
    request: async () => ({ url: '/api/audit/export' }),
    around: { skip: "the log filtered to the auditor's reach: an auditor below exports its own subtree's entries" },
  },
  'GET /api/login-log/export': {
    permission: 'audit.read',
    owner: 'auditor',
    denied: { adminA: 403, sysAdmin: 403, secAdmin: 403 },
    request: async () => ({ url: '/api/login-log/export' }),
    around: { skip: "the login log filtered to the auditor's reach: no unit is targeted" },
  },
  'GET /api/login-log': {
    permission: 'audit.read',
    owner: 'auditor',
    denied: { adminA: 403, sysAdmin: 403, secAdmin: 403 },
    request: async () => ({ url: '/api/login-log' }),
    around: { skip: "the login log filtered to the auditor's reach: no unit is targeted" },
  },
};
