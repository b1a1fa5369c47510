/** The compliance matrix as an Excel sheet: one row per unit, one column per rule (state, count, records). */
import type { ComplianceMatrix } from '@dutyledger/contracts';
import type { ExportColumn } from '../../core/export.js';

export const stateLabels = { done: '已完成', notDue: '未到期', overdue: '已逾期' } as const;

type Row = { unit: ComplianceMatrix['units'][number]; cells: Map<string, ComplianceMatrix['cells'][number]> };

export function matrixExport(m: ComplianceMatrix): { sheet: string; filename: string; columns: ExportColumn<Row>[]; rows: Row[] } {
  const rows: Row[] = m.units.map((unit) => ({
    unit,
    cells: new Map(m.cells.filter((c) => c.unitId === unit.id).map((c) => [c.ruleId, c])),
  }));
  const columns: ExportColumn<Row>[] = [
    { header: '单位', width: 28, value: (r) => `${'　'.repeat(Math.max(0, r.unit.depth - (m.units[0]?.depth ?? 0)))}${r.unit.name}` },
    { header: '单位类型', width: 10, value: (r) => r.unit.type },
    ...m.rules.map(
      (rule): ExportColumn<Row> => ({
        header: rule.name,
        width: 30,
        value: (r) => {
          const c = r.cells.get(rule.id);
          if (!c) return '不适用';
          const flag = c.backfilled ? '（含补录）' : '';
          return `${stateLabels[c.state]} ${c.count}/${c.minCount} ${c.periodLabel}${flag}`;
        },
      }),
    ),
  ];
  return { sheet: '落实情况', filename: `落实情况_${m.year}年${m.month}月.xlsx`, columns, rows };
}
