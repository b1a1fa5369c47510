import { PlusOutlined } from '@ant-design/icons';
import { type Publication, type PublicationState, publicationStateLabels, publicationStates } from '@dutyledger/contracts';
import { Button, Input, Select, Tabs } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { buildQuery } from '../../lib/api';
import { formatDateTimeShort } from '../../lib/format';
import { PagedTable, SearchCard, useListParams } from '../../lib/list';
import { useCan } from '../../lib/session';
import { PageContainer } from '../../lib/ui';
import { usePublications } from './api';
import { PublicationDrawer, PublicationStateTag } from './PublicationDrawer';
import { PublicationForm } from './PublicationForm';
import { channelStrings } from './strings';

const t = channelStrings.publications;
type Box = 'mine' | 'inbox' | 'all';
interface Filter {
  q?: string;
  state?: PublicationState;
  box: Box;
}
function readFilter(sp: URLSearchParams): Filter {
  const state = sp.get('state');
  const box = sp.get('box');
  return {
    q: sp.get('q') || undefined,
    state: state && (publicationStates as readonly string[]).includes(state) ? (state as PublicationState) : undefined,
    box: box === 'inbox' || box === 'all' ? box : 'mine',
  };
}

export default function PublicationsPage() {
  const list = useListParams(readFilter);
  const { filter, page, pageSize } = list;
  const query = usePublications({ ...filter }, page, pageSize);
  const canWrite = useCan('publication.write');
  const [openId, setOpenId] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const c = t.columns;
  const columns: ColumnsType<Publication> = [
    { title: c.title, dataIndex: 'title', onCell: () => ({ style: { minWidth: 200 } }) },
    { title: c.channel, dataIndex: 'channelName' },
    { title: c.author, dataIndex: 'authorName' },
    { title: c.state, dataIndex: 'state', render: (_, r) => <PublicationStateTag state={r.state} label={r.stateLabel} /> },
    { title: c.planned, dataIndex: 'plannedAt', render: (v) => formatDateTimeShort(v) },
    { title: c.updated, dataIndex: 'updatedAt', render: (v) => formatDateTimeShort(v) },
  ];
  const setBox = (box: string) => list.applyFilter({ ...filter, box: box as Box });
  return (
    <PageContainer
      title={t.title}
      extra={
        canWrite ? (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="publication-create">
            {t.create}
          </Button>
        ) : null
      }
    >
      <Tabs
        activeKey={filter.box}
        onChange={setBox}
        items={(['mine', 'inbox', 'all'] as const).map((k) => ({
          key: k,
          label: <span data-testid={`publications-tab-${k}`}>{t.tabs[k]}</span>,
        }))}
      />
      <SearchCard<Filter>
        initialValues={filter}
        onSearch={(v) => list.applyFilter({ ...v, box: filter.box })}
        exportHref={`/api/publications/export${buildQuery({ ...filter })}`}
        fields={[
          { name: 'q', label: t.search.q, children: <Input allowClear placeholder={t.search.qPlaceholder} maxLength={100} /> },
          {
            name: 'state',
            label: t.search.state,
            children: <Select allowClear options={publicationStates.map((s) => ({ value: s, label: publicationStateLabels[s] }))} />,
          },
        ]}
      />
      <PagedTable<Publication>
        query={query}
        params={list}
        rowKey="id"
        columns={columns}
        emptyText={t.empty[filter.box]}
        totalText={channelStrings.common.total}
        onRow={(r) => ({ onClick: () => setOpenId(r.id), style: { cursor: 'pointer' }, 'data-testid': 'publication-row' }) as never}
      />
      <PublicationDrawer id={openId} onClose={() => setOpenId(null)} />
      <PublicationForm open={creating} item={null} onClose={() => setCreating(false)} onSaved={(id) => setOpenId(id)} />
    </PageContainer>
  );
}
