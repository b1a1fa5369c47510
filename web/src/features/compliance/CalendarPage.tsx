import { ArrowLeftOutlined } from '@ant-design/icons';
import type { ComplianceCell } from '@dutyledger/contracts';
import { Alert, Button, Card, Empty, Flex, Select, Space, Spin, Table, TreeSelect, Typography } from 'antd';
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
import { useCalendar } from './api';
import { yearOptions } from './CompliancePage';
import { CellDrawer, CellTag, ruleCountText } from './shared';
import { complianceStrings } from './strings';

const t = complianceStrings.calendar;

export default function CalendarPage() {
  const mobile = useIsMobile();
  const navigate = useNavigate();
  const me = useCurrentMe();
  const [sp, setSp] = useSearchParams();
  const post = me.posts.find((p) => p.id === me.currentPostId);
  const unitId = sp.get('unit') || post?.scopeRootId; // a department acts for its committee: its reach starts at the scope root
  const year = Number(sp.get('year')) || dayjs().tz(TZ).year();
  const set = (k: string, v: string | number) => {
    const next = new URLSearchParams(sp);
    next.set(k, String(v));
    setSp(next);
  };
  const { data: units } = useUnits(false);
  const unitTree = useMemo(() => unitTreeSelectData(units ?? []), [units]);
  const query = useCalendar(unitId, year);
  const cal = query.data;
  const [open, setOpen] = useState<ComplianceCell | null>(null);
  type Row = NonNullable<typeof cal>['rules'][number];
  const columns: ColumnsType<Row> = [
    {
      title: t.rule,
      key: 'rule',
      onCell: () => ({ style: { minWidth: 200 } }),
      render: (_, r) => (
        <Space direction="vertical" size={0}>
          <Typography.Text strong>{r.name}</Typography.Text>
          <Typography.Text type="secondary">
            {complianceStrings.periods[r.period]}，{ruleCountText(r)}
          </Typography.Text>
        </Space>
      ),
    },
    {
      title: t.periods,
      key: 'periods',
      render: (_, r) => (
        <Flex gap={6} wrap>
          {cal?.cells
            .filter((c) => c.ruleId === r.id)
            .map((c) => (
              <CellTag key={c.periodKey} cell={c} compact onClick={() => setOpen(c)} />
            ))}
        </Flex>
      ),
    },
  ];
  return (
    <PageContainer
      title={cal ? `${t.title}：${cal.unit.name}` : t.title}
      extra={
        <Button icon={<ArrowLeftOutlined />} onClick={() => navigate(`/compliance?year=${year}`)}>
          {t.back}
        </Button>
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
            value={unitId}
            onChange={(v) => set('unit', v)}
          />
          <Select style={{ width: 110 }} value={year} options={yearOptions()} onChange={(v) => set('year', v)} />
          <Typography.Text type="secondary">{complianceStrings.matrix.legend}</Typography.Text>
        </Flex>
      </Card>
      {query.isError ? <Alert type="error" showIcon message={errorText(query.error)} style={{ marginBottom: 12 }} /> : null}
      <Card size="small">
        {query.isLoading ? (
          <Spin />
        ) : (
          <Table<Row>
            rowKey="id"
            size={mobile ? 'small' : 'middle'}
            columns={columns}
            dataSource={cal?.rules ?? []}
            pagination={false}
            scroll={{ x: true }}
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t.empty} /> }}
            data-testid="calendar-table"
          />
        )}
      </Card>
      <CellDrawer
        cell={open}
        rule={cal?.rules.find((r) => r.id === open?.ruleId)}
        unitName={cal?.unit.name}
        onClose={() => setOpen(null)}
      />
    </PageContainer>
  );
}
