import { PlusOutlined } from '@ant-design/icons';
import {
  type Inspection,
  inspectionKindLabels,
  inspectionKinds,
  type RectifyItem,
  rectifyItemStateLabels,
  rectifyItemStates,
} from '@dutyledger/contracts';
import { Alert, Button, Card, Col, Empty, Input, Progress, Row, Select, Space, Table, Tabs, Tag, TreeSelect } from 'antd';
import { useMemo, useState } from 'react';
import { buildQuery } from '../../lib/api';
import { formatDate, formatDateTimeShort } from '../../lib/format';
import { PagedTable, SearchCard, useListParams } from '../../lib/list';
import { errorText } from '../../lib/notify';
import { useCan } from '../../lib/session';
import { PageContainer } from '../../lib/ui';
import { unitTreeSelectData } from '../../lib/units';
import { useUnits } from '../org/api';
import { useInspections, useRectifyBoard, useRectifyItems } from './api';
import { InspectionDrawer, InspectionFormDrawer } from './InspectionDrawer';
import { ItemActions, ItemDrawer, ItemStateTag } from './ItemDrawer';
import { rectifyStrings } from './strings';

const t = rectifyStrings;
const UUID = /^[0-9a-f-]{36}$/i;
type Tab = 'inspections' | 'items' | 'board';

function readFilter(sp: URLSearchParams) {
  const pick = <T extends string>(k: string, allowed: readonly T[]) => {
    const v = sp.get(k);
    return v && (allowed as readonly string[]).includes(v) ? (v as T) : undefined;
  };
  const unitId = sp.get('unitId') ?? '';
  return {
    tab: pick<Tab>('tab', ['inspections', 'items', 'board']) ?? 'inspections',
    q: sp.get('q') || undefined,
    kind: pick('kind', inspectionKinds),
    state: pick('state', rectifyItemStates),
    overdue: pick('overdue', ['true', 'false'] as const),
    mine: pick('mine', ['true'] as const),
    unitId: UUID.test(unitId) ? unitId : undefined,
  };
}
type Filter = ReturnType<typeof readFilter>;

function pct(done: number, total: number) {
  return total ? Math.round((done / total) * 100) : 0;
}

function Board() {
  const { data, isError, error, isLoading } = useRectifyBoard();
  if (isError) return <Alert type="error" showIcon message={errorText(error)} />;
  const cols = [
    { title: t.board.total, dataIndex: 'total' },
    { title: t.board.open, dataIndex: 'open' },
    { title: t.board.submitted, dataIndex: 'submitted' },
    { title: t.board.signedOff, dataIndex: 'signedOff' },
    { title: t.board.overdue, dataIndex: 'overdue', render: (n: number) => (n ? <Tag color="red">{n}</Tag> : 0) },
    {
      title: t.board.rate,
      key: 'rate',
      render: (_: unknown, r: { signedOff: number; total: number }) => (
        <Progress percent={pct(r.signedOff, r.total)} size="small" style={{ minWidth: 100 }} />
      ),
    },
  ];
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="rectify-board">
      {data?.recheckDue ? <Alert type="warning" showIcon message={t.board.recheckDue(data.recheckDue)} /> : null}
      <Card size="small" title={t.board.byInspection}>
        <Table
          size="small"
          loading={isLoading}
          rowKey="inspectionId"
          pagination={false}
          scroll={{ x: true }}
          dataSource={data?.inspections ?? []}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t.board.empty} /> }}
          columns={[{ title: t.item.inspection, dataIndex: 'title', onCell: () => ({ style: { minWidth: 180 } }) }, ...cols]}
        />
      </Card>
      <Card size="small" title={t.board.byUnit}>
        <Table
          size="small"
          loading={isLoading}
          rowKey="unitId"
          pagination={false}
          scroll={{ x: true }}
          dataSource={data?.units ?? []}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t.board.empty} /> }}
          columns={[{ title: t.item.unit, dataIndex: 'unitName' }, ...cols]}
        />
      </Card>
    </Space>
  );
}

export default function RectifyPage() {
  const list = useListParams(readFilter);
  const { filter, page, pageSize } = list;
  const { tab, ...rest } = filter;
  const canManage = useCan('rectify.manage');
  const [creating, setCreating] = useState(false);
  const [inspectionId, setInspectionId] = useState<string | null>(null);
  // a notification's link opens the item: /rectify?tab=items&item=<id>
  const [itemId, setItemId] = useState<string | null>(() => {
    const id = list.searchParams.get('item');
    return id && UUID.test(id) ? id : null;
  });
  const { data: units } = useUnits();
  const unitTree = useMemo(() => unitTreeSelectData(units ?? []), [units]);
  const inspections = useInspections({ q: rest.q, kind: rest.kind, unitId: rest.unitId }, page, pageSize);
  const itemFilter = { q: rest.q, state: rest.state, overdue: rest.overdue, mine: rest.mine, unitId: rest.unitId };
  const items = useRectifyItems(itemFilter, page, pageSize);
  const setTab = (k: string) => list.setSearchParams(new URLSearchParams({ tab: k }));

  const unitField = {
    name: 'unitId' as const,
    label: t.search.unit,
    children: <TreeSelect allowClear showSearch treeNodeFilterProp="title" treeData={unitTree} />,
  };
  const qField = {
    name: 'q' as const,
    label: t.search.q,
    children: <Input allowClear maxLength={100} placeholder={t.search.qPlaceholder} />,
  };

  const inspectionCols = [
    { title: t.inspection.title, dataIndex: 'title', onCell: () => ({ style: { minWidth: 200 } }) },
    { title: t.inspection.kind, dataIndex: 'kindLabel' },
    { title: t.inspection.inspectedUnit, dataIndex: 'inspectedUnitName' },
    { title: t.inspection.period, dataIndex: 'startedOn', render: (v: string) => formatDate(v) },
    {
      title: t.inspection.progress,
      key: 'progress',
      render: (_: unknown, r: Inspection) => (
        <Space>
          <Progress percent={pct(r.signedOffCount, r.itemCount)} size="small" style={{ minWidth: 100 }} />
          {r.overdueCount ? <Tag color="red">{`${t.inspection.overdue} ${r.overdueCount}`}</Tag> : null}
        </Space>
      ),
    },
  ];
  const itemCols = [
    { title: t.item.measure, dataIndex: 'measure', onCell: () => ({ style: { minWidth: 200 } }) },
    { title: t.item.unit, dataIndex: 'unitName' },
    { title: t.item.deadline, dataIndex: 'deadline', render: (v: string) => formatDateTimeShort(v) },
    { title: t.item.state, key: 'state', render: (_: unknown, r: RectifyItem) => <ItemStateTag item={r} /> },
    { title: t.item.inspection, dataIndex: 'inspectionTitle' },
    { title: '', key: 'actions', render: (_: unknown, r: RectifyItem) => <ItemActions item={r} size="small" /> },
  ];

  return (
    <PageContainer
      title={t.title}
      extra={
        canManage ? (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="inspection-new">
            {t.newInspection}
          </Button>
        ) : null
      }
    >
      <Tabs
        activeKey={tab}
        onChange={setTab}
        items={[
          { key: 'inspections', label: t.tabs.inspections },
          { key: 'items', label: <span data-testid="rectify-tab-items">{t.tabs.items}</span> },
          { key: 'board', label: <span data-testid="rectify-tab-board">{t.tabs.board}</span> },
        ]}
      />
      {tab === 'inspections' ? (
        <>
          <SearchCard<Omit<Filter, 'tab'>>
            key="inspections"
            initialValues={rest}
            onSearch={(v) => list.applyFilter({ ...v, tab })}
            fields={[
              qField,
              {
                name: 'kind',
                label: t.search.kind,
                children: <Select allowClear options={inspectionKinds.map((k) => ({ value: k, label: inspectionKindLabels[k] }))} />,
              },
              unitField,
            ]}
          />
          <PagedTable<Inspection>
            query={inspections}
            params={list}
            rowKey="id"
            columns={inspectionCols}
            emptyText={t.inspection.empty}
            totalText={t.inspection.total}
            onRow={(r) =>
              ({ onClick: () => setInspectionId(r.id), style: { cursor: 'pointer' }, 'data-testid': 'inspection-row' }) as never
            }
          />
        </>
      ) : null}
      {tab === 'items' ? (
        <>
          <SearchCard<Omit<Filter, 'tab'>>
            key="items"
            initialValues={rest}
            onSearch={(v) => list.applyFilter({ ...v, tab })}
            exportHref={`/api/rectify-items/export${buildQuery(itemFilter)}`}
            fields={[
              qField,
              {
                name: 'state',
                label: t.search.state,
                col: { xs: 12, lg: 4 },
                children: <Select allowClear options={rectifyItemStates.map((s) => ({ value: s, label: rectifyItemStateLabels[s] }))} />,
              },
              {
                name: 'overdue',
                label: t.search.overdue,
                col: { xs: 12, lg: 4 },
                children: (
                  <Select
                    allowClear
                    options={[
                      { value: 'true', label: t.search.overdueTrue },
                      { value: 'false', label: t.search.overdueFalse },
                    ]}
                  />
                ),
              },
              {
                name: 'mine',
                label: t.search.mine,
                col: { xs: 12, lg: 4 },
                children: <Select allowClear options={[{ value: 'true', label: t.search.mineTrue }]} />,
              },
              unitField,
            ]}
          />
          <PagedTable<RectifyItem>
            query={items}
            params={list}
            rowKey="id"
            columns={itemCols}
            emptyText={t.item.empty}
            totalText={t.item.total}
            onRow={(r) => ({ onClick: () => setItemId(r.id), style: { cursor: 'pointer' } })}
          />
        </>
      ) : null}
      {tab === 'board' ? (
        <Row>
          <Col span={24}>
            <Board />
          </Col>
        </Row>
      ) : null}
      <InspectionFormDrawer
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(id) => {
          setCreating(false);
          setInspectionId(id);
        }}
      />
      <InspectionDrawer id={inspectionId} onClose={() => setInspectionId(null)} onOpenItem={setItemId} />
      <ItemDrawer id={itemId} onClose={() => setItemId(null)} />
    </PageContainer>
  );
}
