import { CalendarOutlined, DownloadOutlined } from '@ant-design/icons';
import type { ComplianceCell, ComplianceMatrix } from '@dutyledger/contracts';
import { Alert, Button, Card, Empty, Flex, Select, Space, Statistic, Table, TreeSelect, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { dayjs, TZ } from '../../lib/format';
import { useIsMobile } from '../../lib/hooks';
import { errorText } from '../../lib/notify';
import { useCurrentMe } from '../../lib/session';
import { PageContainer } from '../../lib/ui';
import { unitTreeSelectData } from '../../lib/units';
import { useUnits } from '../org/api';
import { matrixExportHref, useMatrix } from './api';
import { CellDrawer, CellTag } from './shared';
import { complianceStrings } from './strings';

const t = complianceStrings.matrix;

type Row = ComplianceMatrix['units'][number];

export function yearOptions() {
  const y = dayjs().tz(TZ).year();
  return [y + 1, y, y - 1, y - 2, y - 3].map((v) => ({ value: v, label: t.yearOption(v) }));
}

export default function CompliancePage() {
  const mobile = useIsMobile();
  const navigate = useNavigate();
  const me = useCurrentMe();
  const [sp, setSp] = useSearchParams();
  const post = me.posts.find((p) => p.id === me.currentPostId);
  const rootUnitId = sp.get('unit') || post?.scopeRootId;
  const now = dayjs().tz(TZ);
  const year = Number(sp.get('year')) || now.year();
  const monthParam = Number(sp.get('month'));
  const month = monthParam >= 1 && monthParam <= 12 ? monthParam : undefined;
  const set = (k: string, v: string | number | undefined) => {
    const next = new URLSearchParams(sp);
    if (v === undefined || v === '') next.delete(k);
    else next.set(k, String(v));
    setSp(next);
  };
  const { data: units } = useUnits(false);
  const unitTree = useMemo(() => unitTreeSelectData(units ?? []), [units]);
  const query = useMatrix(rootUnitId, year, month);
  const m = query.data;
  const [open, setOpen] = useState<ComplianceCell | null>(null);

  const cellsByUnit = useMemo(() => {
    const map = new Map<string, Map<string, ComplianceCell>>();
    for (const c of m?.cells ?? []) {
      if (!map.has(c.unitId)) map.set(c.unitId, new Map());
      map.get(c.unitId)!.set(c.ruleId, c);
    }
    return map;
  }, [m]);
  const baseDepth = m?.units[0]?.depth ?? 0;

  const columns: ColumnsType<Row> = [
    {
      title: complianceStrings.cell.unit,
      key: 'unit',
      fixed: mobile ? undefined : 'left',
      onCell: () => ({ style: { minWidth: 180 } }),
      render: (_, u) => (
        <Space size={4} style={{ paddingLeft: (u.depth - baseDepth) * 16 }}>
          <Typography.Text>{u.name}</Typography.Text>
          <Button
            type="link"
            size="small"
            icon={<CalendarOutlined />}
            aria-label={t.calendar}
            onClick={() => navigate(`/compliance/calendar?unit=${u.id}&year=${year}`)}
            data-testid="open-calendar"
          />
        </Space>
      ),
    },
    ...(m?.rules ?? []).map((rule) => ({
      title: rule.name,
      key: rule.id,
      onHeaderCell: () => ({ style: { minWidth: 140 } }),
      render: (_: unknown, u: Row) => {
        const cell = cellsByUnit.get(u.id)?.get(rule.id);
        if (!cell) return <Typography.Text type="secondary">{complianceStrings.notApplicable}</Typography.Text>;
        return <CellTag cell={cell} onClick={() => setOpen(cell)} />;
      },
    })),
  ];

  const openRule = m?.rules.find((r) => r.id === open?.ruleId);
  const openUnit = m?.units.find((u) => u.id === open?.unitId);
  return (
    <PageContainer
      title={t.title}
      extra={
        rootUnitId ? (
          <Button icon={<DownloadOutlined />} href={matrixExportHref(rootUnitId, year, month)} data-testid="matrix-export">
            {t.export}
          </Button>
        ) : null
      }
    >
      <Card size="small" style={{ marginBottom: 12 }}>
        <Flex gap={12} wrap align="center">
          <TreeSelect
            style={{ minWidth: mobile ? '100%' : 260 }}
            showSearch
            treeNodeFilterProp="title"
            treeData={unitTree}
            treeDefaultExpandAll
            value={rootUnitId}
            onChange={(v) => set('unit', v)}
            placeholder={t.unit}
            data-testid="matrix-unit"
          />
          <Select style={{ width: 110 }} value={year} options={yearOptions()} onChange={(v) => set('year', v)} aria-label={t.year} />
          <Select
            style={{ width: 100 }}
            value={month ?? m?.month ?? undefined}
            options={Array.from({ length: 12 }, (_, i) => ({ value: i + 1, label: t.monthOption(i + 1) }))}
            onChange={(v) => set('month', v)}
            aria-label={t.month}
            data-testid="matrix-month"
          />
          <Typography.Text type="secondary">{t.legend}</Typography.Text>
        </Flex>
      </Card>
      {query.isError ? <Alert type="error" showIcon message={errorText(query.error, t.loadFailed)} style={{ marginBottom: 12 }} /> : null}
      {m ? (
        <Card size="small" style={{ marginBottom: 12 }}>
          <Flex gap={24} wrap align="center">
            <Statistic
              title={t.rate}
              value={m.summary.rate === null ? t.noRate : `${(m.summary.rate * 100).toFixed(1)}%`}
              valueStyle={{ fontSize: mobile ? 18 : 24 }}
            />
            <Space direction="vertical" size={0}>
              <Typography.Text data-testid="matrix-summary">
                {t.counts(m.summary.done, m.summary.notDue, m.summary.overdue)}
              </Typography.Text>
              <Typography.Text type="secondary">{t.rateHint}</Typography.Text>
            </Space>
          </Flex>
        </Card>
      ) : null}
      <Card size="small">
        <Table<Row>
          rowKey="id"
          size={mobile ? 'small' : 'middle'}
          columns={columns}
          dataSource={m?.rules.length ? m.units : []}
          loading={query.isFetching}
          pagination={false}
          scroll={{ x: true }}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t.empty} /> }}
          data-testid="matrix-table"
        />
      </Card>
      <CellDrawer cell={open} rule={openRule} unitName={openUnit?.name} onClose={() => setOpen(null)} />
    </PageContainer>
  );
}
