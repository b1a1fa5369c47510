import { PlusOutlined } from '@ant-design/icons';
import { type EventFiling, type EventFilingState, eventFilingStateLabels, eventFilingStates } from '@dutyledger/contracts';
import { Badge, Button, Calendar, Card, Input, Select, Tabs, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { buildQuery } from '../../lib/api';
import { dayjs, formatDateTimeShort } from '../../lib/format';
import { PagedTable, SearchCard, useListParams } from '../../lib/list';
import { useCan } from '../../lib/session';
import { PageContainer } from '../../lib/ui';
import { useFilings } from './api';
import { FilingDrawer, FilingStateTag } from './FilingDrawer';
import { FilingForm } from './FilingForm';
import { channelStrings } from './strings';

const t = channelStrings.filings;
interface Filter {
  q?: string;
  state?: EventFilingState;
  late?: 'true' | 'false';
}
function readFilter(sp: URLSearchParams): Filter {
  const state = sp.get('state');
  const late = sp.get('late');
  return {
    q: sp.get('q') || undefined,
    state: state && (eventFilingStates as readonly string[]).includes(state) ? (state as EventFilingState) : undefined,
    late: late === 'true' || late === 'false' ? late : undefined,
  };
}

function FilingCalendar({ onOpen }: { onOpen: (id: string) => void }) {
  const [month, setMonth] = useState(() => dayjs().startOf('month'));
  const from = month.startOf('month').subtract(7, 'day');
  const to = month.endOf('month').add(7, 'day');
  const { data } = useFilings({ from: from.toISOString(), to: to.toISOString() }, 1, 200);
  const byDay = new Map<string, EventFiling[]>();
  for (const f of data?.items ?? []) {
    if (f.state === 'draft') continue;
    const key = dayjs(f.startsAt).format('YYYY-MM-DD');
    byDay.set(key, [...(byDay.get(key) ?? []), f]);
  }
  return (
    <Card size="small">
      <Calendar
        value={month}
        onPanelChange={(d) => setMonth(d.startOf('month'))}
        cellRender={(d, info) => {
          if (info.type !== 'date') return info.originNode;
          return (
            <div>
              {(byDay.get(d.format('YYYY-MM-DD')) ?? []).map((f) => (
                <Typography.Link
                  key={f.id}
                  onClick={() => onOpen(f.id)}
                  style={{ display: 'block', whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' }}
                >
                  <Badge
                    status={f.state === 'approved' || f.state === 'done' ? 'success' : 'processing'}
                    text={`${dayjs(f.startsAt).format('HH:mm')} ${f.topic}`}
                  />
                </Typography.Link>
              ))}
            </div>
          );
        }}
      />
    </Card>
  );
}

export default function FilingsPage() {
  const list = useListParams(readFilter);
  const { filter, page, pageSize } = list;
  const query = useFilings({ ...filter }, page, pageSize);
  const canWrite = useCan('eventFiling.write');
  const [openId, setOpenId] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const c = t.columns;
  const columns: ColumnsType<EventFiling> = [
    { title: c.topic, dataIndex: 'topic', onCell: () => ({ style: { minWidth: 180 } }) },
    { title: c.kind, dataIndex: 'kindName' },
    { title: c.unit, dataIndex: 'unitName' },
    { title: c.startsAt, dataIndex: 'startsAt', render: (v) => formatDateTimeShort(v) },
    { title: c.venue, dataIndex: 'venue' },
    {
      title: c.state,
      dataIndex: 'state',
      render: (_, r) => <FilingStateTag state={r.state} label={r.stateLabel} late={r.late && r.state !== 'draft'} />,
    },
  ];
  return (
    <PageContainer
      title={t.title}
      extra={
        canWrite ? (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="filing-create">
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
                  exportHref={`/api/event-filings/export${buildQuery({ ...filter })}`}
                  fields={[
                    { name: 'q', label: t.search.q, children: <Input allowClear placeholder={t.search.qPlaceholder} maxLength={100} /> },
                    {
                      name: 'state',
                      label: t.search.state,
                      children: (
                        <Select allowClear options={eventFilingStates.map((s) => ({ value: s, label: eventFilingStateLabels[s] }))} />
                      ),
                    },
                    {
                      name: 'late',
                      label: t.search.late,
                      children: (
                        <Select
                          allowClear
                          options={[
                            { value: 'true', label: t.search.lateTrue },
                            { value: 'false', label: t.search.lateFalse },
                          ]}
                        />
                      ),
                    },
                  ]}
                />
                <PagedTable<EventFiling>
                  query={query}
                  params={list}
                  rowKey="id"
                  columns={columns}
                  emptyText={t.empty}
                  totalText={channelStrings.common.total}
                  onRow={(r) => ({ onClick: () => setOpenId(r.id), style: { cursor: 'pointer' } })}
                />
              </>
            ),
          },
          { key: 'calendar', label: t.calendarTab, children: <FilingCalendar onOpen={setOpenId} /> },
        ]}
      />
      <FilingDrawer id={openId} onClose={() => setOpenId(null)} />
      <FilingForm open={creating} item={null} onClose={() => setCreating(false)} />
    </PageContainer>
  );
}
