import type { Fixture, ScopeCases } from '../../../test/scope.js';
import { processQueuedExports } from './service.js';

const year = new Date().getFullYear();
const body = (unitId: string) => ({ unitId, period: { kind: 'year', year }, formats: ['xlsx'] });

/** A fresh export job of A (requested by A's clerk), optionally built. */
async function exportOfA(fx: Fixture, build = false): Promise<string> {
  const res = await fx.as.clerkA.post('/api/ledger/exports', body(fx.units.A));
  if (build) await processQueuedExports(fx.h.ctx);
  return res.body.id;
}

/** Scope cases of the ledger routes: A's ledger, its export jobs and their files. */
export const scopeCases: ScopeCases = {
  'GET /api/ledger/chapters': {
    permission: 'ledger.export',
    owner: 'clerkA',
    denied: { auditor: 403, sysAdmin: 403, secAdmin: 403 },
    request: async () => ({ url: '/api/ledger/chapters' }),
    around: { skip: 'a dictionary shared by every unit: no unit is targeted' },
  },
  'POST /api/ledger/exports': {
    permission: 'ledger.export',
    owner: 'clerkA',
    // a sibling town, the village below and the system roles may not take A's ledger
    denied: { adminB: 403, clerkB: 403, adminA1: 403, clerkA1: 403, auditor: 403, sysAdmin: 403 },
    request: async (fx) => ({ url: '/api/ledger/exports', body: body(fx.units.A) }),
  },
  'GET /api/ledger/exports': { self: "lists the caller's own export jobs only (ledger.test.ts)" },
  'GET /api/ledger/exports/:id': {
    permission: 'ledger.export',
    owner: 'clerkA',
    denied: { adminB: 404, clerkB: 404, adminA1: 404, clerkA1: 404, auditor: 404, sysAdmin: 404 },
    request: async (fx) => ({ url: `/api/ledger/exports/${await exportOfA(fx)}` }),
  },
  'GET /api/ledger/exports/:id/files/:format': {
    permission: 'ledger.export',
    owner: 'adminA',
    denied: { adminB: 404, clerkB: 404, adminA1: 404, clerkA1: 404, auditor: 404, sysAdmin: 404 },
    request: async (fx) => ({ url: `/api/ledger/exports/${await exportOfA(fx, true)}/files/xlsx` }),
  },
};
