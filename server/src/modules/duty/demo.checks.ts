import { beforeAll, describe, expect, it } from 'vitest';
import { type Harness, login } from '../../../test/harness.js';
import { verifyAudit } from '../../core/audit.js';

/** Checks of the demo records, run on the one seeded demo county of src/seed/demo.test.ts. */
export function dutyDemoChecks(get: () => Harness): void {
  let h!: Harness;
  beforeAll(() => {
    h = get();
  });

  describe('seedDemoResponsibility', () => {
    it('gives the county its group, assignments with a warning, lists and a letter board with all three states', async () => {
      const secretary = await login(
        h,
        (await import('../../seed/demo.js')).demoLogins().find((l) => l.note.startsWith('县委书记'))!.username,
        'Demo#2026pass',
      );
      const units = (await secretary.get('/api/units')).body as { id: string; name: string; parentId: string | null }[];
      const root = units.find((u) => u.parentId === null)!;
      const view = (await secretary.get(`/api/responsibility/units/${root.id}`)).body;
      expect(view.members.map((m: { roleLabel: string }) => m.roleLabel)).toEqual(['组长', '副组长', '副组长', '成员', '成员']);
      expect(view.office.unitName).toBe('县委宣传部');
      expect(view.vacancies.map((v: { kind: string }) => v.kind)).toEqual(['dualWithoutCharge']);
      const history = (await secretary.get(`/api/responsibility/units/${root.id}/history`)).body;
      expect(history.members.filter((m: { toDate: string | null }) => m.toDate !== null)).toHaveLength(1);
      const dual = (await secretary.get(`/api/responsibility/units/${root.id}/duty-lists?kind=dual`)).body;
      expect(dual.sheets).toHaveLength(4);
      const vacancies = (await secretary.get(`/api/responsibility/vacancies?rootUnitId=${root.id}`)).body as { unitName: string }[];
      expect(vacancies.map((v) => v.unitName)).toContain('平川镇党委');
      const year = new Date().getFullYear();
      const board = (await secretary.get(`/api/duty-letters/board?rootUnitId=${root.id}&year=${year}&unitType=乡镇`)).body;
      const counts: Record<string, number> = {};
      for (const r of board.items as { status: string }[]) counts[r.status] = (counts[r.status] ?? 0) + 1;
      expect(counts).toEqual({ signed: 5, draft: 2, notStarted: 1 });
      const lastYear = (await secretary.get(`/api/duty-letters/board?rootUnitId=${root.id}&year=${year - 1}&unitType=乡镇&status=draft`))
        .body;
      expect(lastYear.total).toBe(1);
      expect((await verifyAudit(h.database.db)).ok).toBe(true);
    });
  });
}
