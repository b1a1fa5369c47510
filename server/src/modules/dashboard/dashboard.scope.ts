import type { ScopeCases } from '../../../test/scope.js';

/** The dashboard of unit A: its own admin sees it; siblings, children, system roles are refused. */
export const scopeCases: ScopeCases = {
  'GET /api/dashboard': {
    permission: 'dashboard.read',
    owner: 'adminA',
    denied: { adminB: 403, clerkB: 403, adminA1: 403, clerkA1: 403, sysAdmin: 403, secAdmin: 403, auditor: 403 },
    request: async (fx) => ({ url: `/api/dashboard?unitId=${fx.units.A}` }),
  },
};
