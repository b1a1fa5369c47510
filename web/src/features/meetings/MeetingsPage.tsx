import { PlusOutlined } from '@ant-design/icons';
import type { Meeting } from '@dutyledger/contracts';
import { Button, DatePicker, Input, Select, Space, Tag, TreeSelect } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { dayEndIso, dayjs, dayStartIso, formatDateTimeShort, TZ } from '../../lib/format';
import { useIsMobile } from '../../lib/hooks';
import { PagedTable, SearchCard, useListParams } from '../../lib/list';
import { useCan } from '../../lib/session';
import { PageContainer } from '../../lib/ui';
import { unitTreeSelectData } from '../../lib/units';
import { useUnits } from '../org/api';
import { type MeetingFilter, meetingExportHref, useMeetingKinds, useMeetings } from './api';
import { BackfilledTag, MeetingDetailDrawer } from './MeetingDetailDrawer';
import { MeetingFormDrawer } from './MeetingFormDrawer';
import { meetingStrings } from './strings';

const t = meetingStrings.list;

function readFilter(sp: URLSearchParams): MeetingFilter {
  const b = sp.get('backfilled');
  return {
    q: sp.get('q') || undefined,
    unitId: sp.get('unitId') || undefined,
    kindId: sp.get('kindId') || undefined,
    tag: sp.get('tag') || undefined,
    from: sp.get('from') || undefined,
    to: sp.get('to') || undefined,
    backfilled: b === 'true' || b === 'false' ? b : undefined,
  };
}

interface SearchValues extends Omit<MeetingFilter, 'from' | 'to'> {
  held?: [Dayjs | null, Dayjs | null] | null;
}

const nowrap = () => ({ style: { whiteSpace: 'nowrap' as const } });
const dayOf = (iso?: string) => (iso ? dayjs(dayjs(iso).tz(TZ).format('YYYY-MM-DD')) : null);

export default function MeetingsPage() {
  const mobile = useIsMobile();
  const list = useListParams(readFilter);
  const { filter, page, pageSize } = list;
  const q = useMeetings(filter, page, pageSize);
  const canWrite = useCan('meeting.write');
  const { data: units } = useUnits(false);
  const { data: kinds } = useMeetingKinds();
  const unitTree = useMemo(() => unitTreeSelectData(units ?? []), [units]);
  const openId = list.searchParams.get('open');
  const setOpenId = (id: string | null) => {
    const next = new URLSearchParams(list.searchParams);
    if (id) next.set('open', id);
    else next.delete('open');
    list.setSearchParams(next);
  };
  const [creating, setCreating] = useState(false);

  const columns: ColumnsType<Meeting> = [
    {
      title: t.columns.heldAt,
      dataIndex: 'heldAt',
      onCell: nowrap,
      onHeaderCell: nowrap,
      render: (_, r) => (
        <Space size={4}>
          {formatDateTimeShort(r.heldAt)}
          <BackfilledTag meeting={r} />
        </Space>
      ),
    },
    { title: t.columns.topic, dataIndex: 'topic', onCell: () => ({ style: { minWidth: 200 } }) },
    { title: t.columns.kind, dataIndex: 'kindName', onCell: () => ({ style: { minWidth: 140 } }) },
    { title: t.columns.unit, dataIndex: 'unitName', onCell: nowrap, onHeaderCell: nowrap },
    {
      title: t.columns.tags,
      dataIndex: 'tags',
      render: (_, r) => r.tags.map((x) => <Tag key={x}>{x}</Tag>),
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
            setOpenId(r.id);
          }}
          data-testid="meeting-view"
        >
          {t.view}
        </Button>
      ),
    },
  ];

  const onSearch = (v: SearchValues) => {
    const { held, ...rest } = v;
    list.applyFilter({
      ...rest,
      from: held?.[0] ? dayStartIso(held[0]) : undefined,
      to: held?.[1] ? dayjs(dayEndIso(held[1])).add(1, 'millisecond').toISOString() : undefined,
    });
  };
  const { from, to, ...rest } = filter;
  const initial: SearchValues = {
    ...rest,
    held: from || to ? [dayOf(from), to ? dayOf(dayjs(to).subtract(1, 'millisecond').toISOString()) : null] : undefined,
  };

  return (
    <PageContainer
      title={t.title}
      extra={
        canWrite ? (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="meeting-create">
            {t.create}
          </Button>
        ) : null
      }
    >
      <SearchCard<SearchValues>
        initialValues={initial}
        onSearch={onSearch}
        submitTestId="meetings-search"
        exportHref={meetingExportHref(filter)}
        fields={[
          {
            name: 'q',
            label: t.search.q,
            children: <Input allowClear placeholder={t.search.qPlaceholder} maxLength={100} data-testid="meetings-q" />,
          },
          {
            name: 'unitId',
            label: t.search.unit,
            children: (
              <TreeSelect allowClear showSearch treeNodeFilterProp="title" placeholder={t.search.unitPlaceholder} treeData={unitTree} />
            ),
          },
          {
            name: 'kindId',
            label: t.search.kind,
            children: (
              <Select
                allowClear
                placeholder={t.search.kindPlaceholder}
                options={(kinds ?? []).map((k) => ({ value: k.id, label: k.name }))}
              />
            ),
          },
          {
            name: 'tag',
            label: t.search.tag,
            col: { xs: 12, sm: 12, lg: 4 },
            children: (
              <Select
                allowClear
                showSearch
                placeholder={t.search.tagPlaceholder}
                options={meetingStrings.tagSuggestions.map((x) => ({ value: x, label: x }))}
              />
            ),
          },
          {
            name: 'backfilled',
            label: t.search.backfilled,
            col: { xs: 12, sm: 12, lg: 4 },
            children: (
              <Select
                allowClear
                placeholder={t.search.backfilledPlaceholder}
                options={[
                  { value: 'true', label: t.search.backfilledTrue },
                  { value: 'false', label: t.search.backfilledFalse },
                ]}
              />
            ),
          },
          {
            name: 'held',
            label: t.search.heldAt,
            col: { xs: 24, sm: 12, lg: 8 },
            children: <DatePicker.RangePicker allowEmpty={[true, true]} style={{ width: '100%' }} />,
          },
        ]}
        actionsCol={{ xs: 24, lg: 8 }}
      />
      <PagedTable<Meeting>
        query={q}
        params={list}
        rowKey="id"
        columns={columns}
        emptyText={t.empty}
        totalText={t.total}
        onRow={(r) => ({ onClick: () => setOpenId(r.id), style: { cursor: 'pointer' } })}
      />
      <MeetingDetailDrawer meetingId={openId} onClose={() => setOpenId(null)} />
      <MeetingFormDrawer open={creating} onClose={() => setCreating(false)} onSaved={(m) => setOpenId(m.id)} />
    </PageContainer>
  );
}
