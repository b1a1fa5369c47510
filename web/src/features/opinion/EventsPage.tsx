import { PlusOutlined } from '@ant-design/icons';
import {
  ageBucketLabels,
  ageBuckets,
  type OpinionEvent,
  type OpinionLevel,
  type OpinionState,
  opinionLevelLabels,
  opinionLevels,
  opinionStateLabels,
  opinionStates,
} from '@dutyledger/contracts';
import { Alert, Button, Card, Empty, Input, Select, Space, Spin, Table, Tabs, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { buildQuery } from '../../lib/api';
import { formatDateTimeShort } from '../../lib/format';
import { useIsMobile } from '../../lib/hooks';
import { PagedTable, SearchCard, useListParams } from '../../lib/list';
import { errorText } from '../../lib/notify';
import { useCan } from '../../lib/session';
import { PageContainer } from '../../lib/ui';
import { type EventFilter, useBoard, useEvents } from './api';
import { EventDrawer, stateColors } from './EventDrawer';
import { EventFormDrawer } from './EventForm';
import { LevelTag } from './shared';
import { opinionStrings } from './strings';

const t = opinionStrings.events;
const nowrap = () => ({ style: { whiteSpace: 'nowrap' as const } });

function readFilter(sp: URLSearchParams): EventFilter {
  const state = sp.get('state');
  const level = sp.get('level');
  const open = sp.get('open');
  return {
    q: sp.get('q') || undefined,
    state: state && (opinionStates as readonly string[]).includes(state) ? (state as OpinionState) : undefined,
    level: level && (opinionLevels as readonly string[]).includes(level) ? (level as OpinionLevel) : undefined,
    open: open === 'true' || open === 'false' ? open : undefined,
  };
}

function useColumns(onOpen: (id: string) => void): ColumnsType<OpinionEvent> {
  const mobile = useIsMobile();
  return [
    { title: t.columns.title, dataIndex: 'title', fixed: mobile ? undefined : 'left', onCell: () => ({ style: { minWidth: 200 } }) },
    { title: t.columns.unit, dataIndex: 'unitName', onCell: nowrap, onHeaderCell: nowrap },
    { title: t.columns.level, dataIndex: 'level', onCell: nowrap, render: (_, r) => <LevelTag level={r.level} label={r.levelLabel} /> },
    {
      title: t.columns.state,
      dataIndex: 'state',
      onCell: nowrap,
      render: (_, r) => <Tag color={stateColors[r.state]}>{r.stateLabel}</Tag>,
    },
    {
      title: t.columns.firstSeen,
      dataIndex: 'firstSeenAt',
      onCell: nowrap,
      onHeaderCell: nowrap,
      render: (v: string) => formatDateTimeShort(v),
    },
    { title: t.columns.age, dataIndex: 'ageDays', onCell: nowrap, render: (v: number) => t.ageDays(v) },
    {
      title: t.columns.escalated,
      dataIndex: 'escalatedToUnitName',
      onCell: nowrap,
      render: (v: string | null) => (v ? <Tag color="orange">{t.escalatedTo(v)}</Tag> : null),
    },
    {
      title: t.columns.actions,
      key: 'actions',
      fixed: mobile ? undefined : 'right',
      render: (_, r) => (
        <Button
          type="link"
          size="small"
          onClick={(e) => {
            e.stopPropagation();
            onOpen(r.id);
          }}
          data-testid="event-view"
        >
          {opinionStrings.common.view}
        </Button>
      ),
    },
  ];
}

function EventList({ onOpen }: { onOpen: (id: string) => void }) {
  const list = useListParams(readFilter);
  const { filter, page, pageSize } = list;
  const query = useEvents(filter, page, pageSize);
  return (
    <>
      <SearchCard<EventFilter>
        initialValues={filter}
        onSearch={list.applyFilter}
        submitTestId="events-search"
        exportHref={`/api/opinion-events/export${buildQuery({ ...filter })}`}
        fields={[
          {
            name: 'q',
            label: t.search.q,
            children: <Input allowClear placeholder={t.search.qPlaceholder} maxLength={100} data-testid="events-q" />,
          },
          {
            name: 'state',
            label: t.search.state,
            col: { xs: 12, sm: 12, lg: 4 },
            children: (
              <Select
                allowClear
                placeholder={t.search.any}
                options={opinionStates.map((s) => ({ value: s, label: opinionStateLabels[s] }))}
              />
            ),
          },
          {
            name: 'level',
            label: t.search.level,
            col: { xs: 12, sm: 12, lg: 4 },
            children: (
              <Select
                allowClear
                placeholder={t.search.any}
                options={opinionLevels.map((l) => ({ value: l, label: opinionLevelLabels[l] }))}
              />
            ),
          },
          {
            name: 'open',
            label: t.search.open,
            col: { xs: 12, sm: 12, lg: 4 },
            children: (
              <Select
                allowClear
                placeholder={t.search.any}
                options={[
                  { value: 'true', label: t.search.openTrue },
                  { value: 'false', label: t.search.openFalse },
                ]}
              />
            ),
          },
        ]}
        actionsCol={{ xs: 24, lg: 6 }}
      />
      <PagedTable<OpinionEvent>
        query={query}
        params={list}
        rowKey="id"
        columns={useColumns(onOpen)}
        emptyText={t.empty}
        totalText={opinionStrings.common.total}
        onRow={(r) => ({ onClick: () => onOpen(r.id), style: { cursor: 'pointer' } })}
      />
    </>
  );
}

/** Open events by level (rows) and age (columns), then the list, most severe and oldest first. */
function EventBoard({ onOpen }: { onOpen: (id: string) => void }) {
  const q = useBoard(true);
  const columns = useColumns(onOpen);
  if (q.isLoading) return <Spin />;
  if (q.isError) return <Alert type="error" showIcon message={errorText(q.error)} />;
  const board = q.data!;
  const countOf = (level: OpinionLevel, age: string) => board.cells.find((x) => x.level === level && x.age === age)?.count ?? 0;
  return (
    <Space direction="vertical" size={12} style={{ width: '100%' }} data-testid="event-board">
      <Card size="small" title={t.board.total(board.total)}>
        <Table
          size="small"
          pagination={false}
          rowKey="level"
          scroll={{ x: true }}
          dataSource={[...opinionLevels].reverse().map((level) => ({ level }))}
          columns={[
            { title: t.board.level, dataIndex: 'level', render: (l: OpinionLevel) => <LevelTag level={l} label={opinionLevelLabels[l]} /> },
            ...ageBuckets.map((age) => ({
              title: ageBucketLabels[age],
              key: age,
              render: (_: unknown, r: { level: OpinionLevel }) => {
                const n = countOf(r.level, age);
                return n ? <Typography.Text strong>{n}</Typography.Text> : <Typography.Text type="secondary">0</Typography.Text>;
              },
            })),
          ]}
        />
      </Card>
      <Card size="small">
        <Table<OpinionEvent>
          size="small"
          rowKey="id"
          scroll={{ x: true }}
          dataSource={board.events}
          columns={columns}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t.board.empty} /> }}
          onRow={(r) => ({ onClick: () => onOpen(r.id), style: { cursor: 'pointer' } })}
        />
      </Card>
    </Space>
  );
}

export default function EventsPage() {
  const params = useParams<{ id?: string }>();
  const navigate = useNavigate();
  const canWrite = useCan('opinion.write');
  const [creating, setCreating] = useState(false);
  const [tab, setTab] = useState('list');
  const open = (id: string) => navigate(`/opinion/events/${id}${window.location.search}`);
  return (
    <PageContainer
      title={t.title}
      extra={
        canWrite ? (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="event-create">
            {t.create}
          </Button>
        ) : null
      }
    >
      <Alert type="info" showIcon message={t.boundary} style={{ marginBottom: 12 }} />
      <Tabs
        activeKey={tab}
        onChange={setTab}
        destroyOnHidden
        items={[
          { key: 'list', label: t.tabs.list, children: <EventList onOpen={open} /> },
          { key: 'board', label: t.tabs.board, children: <EventBoard onOpen={open} /> },
        ]}
      />
      <EventFormDrawer open={creating} onClose={() => setCreating(false)} onSaved={(e) => open(e.id)} />
      <EventDrawer eventId={params.id ?? null} onClose={() => navigate(`/opinion/events${window.location.search}`)} />
    </PageContainer>
  );
}
