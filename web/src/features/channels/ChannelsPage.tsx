import { PlusOutlined } from '@ant-design/icons';
import { type Channel, type ChannelStat, type ChannelStatus, channelStatuses, channelStatusLabels } from '@dutyledger/contracts';
import { Button, Card, Input, Select, Table, Tabs, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { buildQuery } from '../../lib/api';
import { PagedTable, SearchCard, useListParams } from '../../lib/list';
import { useCan } from '../../lib/session';
import { PageContainer } from '../../lib/ui';
import { useChannelDict, useChannelStats, useChannels } from './api';
import { ChannelDrawer } from './ChannelDrawer';
import { DictPanel } from './DictPanel';
import { channelStrings } from './strings';

const t = channelStrings.channels;
interface Filter {
  q?: string;
  typeId?: string;
  status?: ChannelStatus;
}
function readFilter(sp: URLSearchParams): Filter {
  const status = sp.get('status');
  return {
    q: sp.get('q') || undefined,
    typeId: sp.get('typeId') || undefined,
    status: status && (channelStatuses as readonly string[]).includes(status) ? (status as ChannelStatus) : undefined,
  };
}
const statusColor: Record<ChannelStatus, string> = { running: 'green', paused: 'orange', closed: 'default' };

function StatsTable() {
  const { data, isFetching } = useChannelStats();
  const s = t.stats;
  const columns: ColumnsType<ChannelStat> = [
    { title: s.channel, dataIndex: 'channelName' },
    { title: s.unit, dataIndex: 'unitName' },
    { title: s.submitted, dataIndex: 'submitted' },
    { title: s.returned, dataIndex: 'returned' },
    { title: s.published, dataIndex: 'published' },
    {
      title: s.median,
      dataIndex: 'medianReviewHours',
      render: (v: number | null) => (v === null ? channelStrings.common.none : s.hours(v)),
    },
  ];
  return (
    <Card size="small">
      <Table<ChannelStat>
        rowKey="channelId"
        size="small"
        loading={isFetching}
        dataSource={data ?? []}
        columns={columns}
        scroll={{ x: true }}
        locale={{ emptyText: s.empty }}
        pagination={false}
      />
    </Card>
  );
}

export default function ChannelsPage() {
  const list = useListParams(readFilter);
  const { filter, page, pageSize } = list;
  const query = useChannels({ ...filter }, page, pageSize);
  const { data: types } = useChannelDict('channelType');
  const canManage = useCan('channel.manage');
  const [drawer, setDrawer] = useState<{ open: boolean; id: string | null }>({ open: false, id: null });
  const c = t.columns;
  const columns: ColumnsType<Channel> = [
    { title: c.name, dataIndex: 'name', onCell: () => ({ style: { minWidth: 160 } }) },
    { title: c.type, dataIndex: 'typeName' },
    { title: c.unit, dataIndex: 'unitName' },
    { title: c.supervisor, dataIndex: 'supervisorUnitName' },
    { title: c.address, dataIndex: 'address', ellipsis: true },
    { title: c.responsible, dataIndex: 'responsibleName', render: (v) => v ?? channelStrings.common.none },
    { title: c.levels, dataIndex: 'reviewLevels', render: (n: number) => t.levels(n) },
    { title: c.status, dataIndex: 'status', render: (_, r) => <Tag color={statusColor[r.status]}>{r.statusLabel}</Tag> },
    {
      title: channelStrings.common.actions,
      key: 'a',
      render: (_, r) =>
        canManage ? (
          <Button type="link" size="small" onClick={() => setDrawer({ open: true, id: r.id })} data-testid="channel-edit">
            {channelStrings.common.edit}
          </Button>
        ) : null,
    },
  ];
  return (
    <PageContainer
      title={t.title}
      extra={
        canManage ? (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setDrawer({ open: true, id: null })} data-testid="channel-create">
            {t.create}
          </Button>
        ) : null
      }
    >
      <Tabs
        items={[
          {
            key: 'list',
            label: t.listTab,
            children: (
              <>
                <SearchCard<Filter>
                  initialValues={filter}
                  onSearch={list.applyFilter}
                  exportHref={`/api/channels/export${buildQuery({ ...filter })}`}
                  fields={[
                    { name: 'q', label: t.search.q, children: <Input allowClear placeholder={t.search.qPlaceholder} maxLength={100} /> },
                    {
                      name: 'typeId',
                      label: t.search.type,
                      children: (
                        <Select
                          allowClear
                          placeholder={t.search.all}
                          options={(types ?? []).map((x) => ({ value: x.id, label: x.name }))}
                        />
                      ),
                    },
                    {
                      name: 'status',
                      label: t.search.status,
                      children: (
                        <Select
                          allowClear
                          placeholder={t.search.all}
                          options={channelStatuses.map((s) => ({ value: s, label: channelStatusLabels[s] }))}
                        />
                      ),
                    },
                  ]}
                />
                <PagedTable<Channel>
                  query={query}
                  params={list}
                  rowKey="id"
                  columns={columns}
                  emptyText={t.empty}
                  totalText={channelStrings.common.total}
                />
              </>
            ),
          },
          { key: 'stats', label: t.statsTab, children: <StatsTable /> },
          ...(canManage ? [{ key: 'dicts', label: channelStrings.dicts.tab, children: <DictPanel /> }] : []),
        ]}
      />
      <ChannelDrawer open={drawer.open} id={drawer.id} onClose={() => setDrawer({ open: false, id: null })} />
    </PageContainer>
  );
}
