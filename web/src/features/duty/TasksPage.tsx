import type { Task } from '@dutyledger/contracts';
import { type TaskState, taskStateLabels, taskStates } from '@dutyledger/contracts';
import { Button, DatePicker, Input, Segmented, Select, Space, Tag, TreeSelect } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { buildQuery } from '../../lib/api';
import { dayEndIso, dayjs, dayStartIso, formatDateTimeShort, TZ } from '../../lib/format';
import { useIsMobile } from '../../lib/hooks';
import { PagedTable, SearchCard, useListParams } from '../../lib/list';
import { PageContainer } from '../../lib/ui';
import { unitTreeSelectData } from '../../lib/units';
import { useUnits } from '../org/api';
import { type TaskFilter, usePlans, useTasks } from './api';
import { dutyStrings } from './strings';
import { TaskCalendar } from './TaskCalendar';
import { TaskActions, TaskDrawer, TaskStateTag } from './TaskDrawer';

const t = dutyStrings.tasks;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const UUID = /^[0-9a-f-]{36}$/i;

/** The URL keeps days (YYYY-MM-DD); the API takes the Shanghai day's start and end. */
interface UrlFilter extends Omit<TaskFilter, 'deadlineFrom' | 'deadlineTo'> {
  fromDay?: string;
  toDay?: string;
  view?: 'calendar';
}

function readFilter(sp: URLSearchParams): UrlFilter {
  const state = sp.get('state');
  const overdue = sp.get('overdue');
  const from = sp.get('from') ?? '';
  const to = sp.get('to') ?? '';
  const unitId = sp.get('unitId') ?? '';
  const planId = sp.get('planId') ?? '';
  return {
    q: sp.get('q') || undefined,
    state: state && (taskStates as readonly string[]).includes(state) ? (state as TaskState) : undefined,
    overdue: overdue === 'true' || overdue === 'false' ? overdue : undefined,
    mine: sp.get('mine') === 'true' ? 'true' : undefined,
    unitId: UUID.test(unitId) ? unitId : undefined,
    planId: UUID.test(planId) ? planId : undefined,
    fromDay: DAY.test(from) ? from : undefined,
    toDay: DAY.test(to) ? to : undefined,
    view: sp.get('view') === 'calendar' ? 'calendar' : undefined,
  };
}

function apiFilter({ fromDay, toDay, view: _view, ...rest }: UrlFilter): TaskFilter {
  return {
    ...rest,
    deadlineFrom: fromDay ? dayStartIso(dayjs(fromDay)) : undefined,
    deadlineTo: toDay ? dayEndIso(dayjs(toDay)) : undefined,
  };
}

type FormValues = Omit<UrlFilter, 'fromDay' | 'toDay' | 'view'> & { range?: [Dayjs | null, Dayjs | null] | null };

const nowrap = () => ({ style: { whiteSpace: 'nowrap' as const } });

export default function TasksPage() {
  const mobile = useIsMobile();
  const list = useListParams(readFilter);
  const { filter: urlFilter, page, pageSize } = list;
  const filter = apiFilter(urlFilter);
  const calendar = urlFilter.view === 'calendar';
  const tasksQuery = useTasks(filter, page, pageSize);
  // `?open=<id>` opens a task directly (links from other modules, e.g. a meeting resolution)
  const [openId, setOpenId] = useState<string | null>(() => list.searchParams.get('open'));
  const { data: units } = useUnits();
  const unitTree = useMemo(() => unitTreeSelectData(units ?? []), [units]);
  const year = dayjs().tz(TZ).year();
  const { data: plans } = usePlans(year);
  const { data: lastYearPlans } = usePlans(year - 1);

  const apply = ({ range, ...v }: FormValues) =>
    list.applyFilter({
      ...v,
      from: range?.[0]?.format('YYYY-MM-DD'),
      to: range?.[1]?.format('YYYY-MM-DD'),
      view: urlFilter.view,
    });
  const setView = (view: string) => {
    const next = new URLSearchParams(list.searchParams);
    if (view === 'calendar') next.set('view', 'calendar');
    else next.delete('view');
    next.delete('page');
    list.setSearchParams(next);
  };
  const initialValues: FormValues = {
    ...urlFilter,
    range:
      urlFilter.fromDay || urlFilter.toDay
        ? [urlFilter.fromDay ? dayjs(urlFilter.fromDay) : null, urlFilter.toDay ? dayjs(urlFilter.toDay) : null]
        : undefined,
  };

  const columns: ColumnsType<Task> = [
    { title: t.columns.title, dataIndex: 'title', fixed: mobile ? undefined : 'left', onCell: () => ({ style: { minWidth: 200 } }) },
    { title: t.columns.unit, dataIndex: 'unitName', onCell: nowrap, onHeaderCell: nowrap },
    { title: t.columns.assigner, dataIndex: 'assignerUnitName', onCell: nowrap, onHeaderCell: nowrap },
    {
      title: t.columns.deadline,
      dataIndex: 'deadline',
      onCell: nowrap,
      onHeaderCell: nowrap,
      render: (_, r) => (
        <Space size={4}>
          {formatDateTimeShort(r.deadline)}
          {r.overdue ? <Tag color="red">{t.overdue}</Tag> : null}
        </Space>
      ),
    },
    { title: t.columns.state, dataIndex: 'state', onCell: nowrap, onHeaderCell: nowrap, render: (_, r) => <TaskStateTag task={r} /> },
    {
      title: t.columns.actions,
      key: 'actions',
      width: 200,
      fixed: mobile ? undefined : 'right',
      render: (_, r) => (
        <Space size={0} wrap>
          <Button
            type="link"
            size="small"
            onClick={(e) => {
              e.stopPropagation();
              setOpenId(r.id);
            }}
            data-testid="task-view"
          >
            {t.view}
          </Button>
          <TaskActions task={r} size="small" />
        </Space>
      ),
    },
  ];

  return (
    <PageContainer
      title={t.title}
      extra={
        <Segmented
          value={calendar ? 'calendar' : 'list'}
          onChange={(v) => setView(String(v))}
          options={[
            { value: 'list', label: t.views.list },
            { value: 'calendar', label: <span data-testid="tasks-view-calendar">{t.views.calendar}</span> },
          ]}
        />
      }
    >
      <SearchCard<FormValues>
        initialValues={initialValues}
        onSearch={apply}
        submitTestId="tasks-search"
        exportHref={`/api/tasks/export${buildQuery({ ...filter })}`}
        fields={[
          {
            name: 'q',
            label: t.search.q,
            children: <Input allowClear placeholder={t.search.qPlaceholder} maxLength={100} data-testid="tasks-q" />,
          },
          {
            name: 'state',
            label: t.search.state,
            col: { xs: 12, sm: 12, lg: 4 },
            children: (
              <Select
                allowClear
                placeholder={t.search.statePlaceholder}
                options={taskStates.map((s) => ({ value: s, label: taskStateLabels[s] }))}
              />
            ),
          },
          {
            name: 'overdue',
            label: t.search.overdue,
            col: { xs: 12, sm: 12, lg: 4 },
            children: (
              <Select
                allowClear
                placeholder={t.search.overduePlaceholder}
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
            col: { xs: 12, sm: 12, lg: 4 },
            children: <Select allowClear placeholder={t.search.minePlaceholder} options={[{ value: 'true', label: t.search.mineTrue }]} />,
          },
          {
            name: 'unitId',
            label: t.search.unit,
            children: (
              <TreeSelect
                allowClear
                showSearch
                treeNodeFilterProp="title"
                treeDefaultExpandAll={false}
                placeholder={t.search.unitPlaceholder}
                treeData={unitTree}
                data-testid="tasks-unit"
              />
            ),
          },
          {
            name: 'planId',
            label: t.search.plan,
            children: (
              <Select
                allowClear
                showSearch
                optionFilterProp="label"
                placeholder={t.search.planPlaceholder}
                options={[...(plans ?? []), ...(lastYearPlans ?? [])].map((p) => ({ value: p.id, label: `${p.year}年 ${p.title}` }))}
              />
            ),
          },
          {
            name: 'range',
            label: t.search.deadline,
            col: { xs: 24, lg: 8 },
            children: (
              <DatePicker.RangePicker allowEmpty={[true, true]} style={{ width: '100%' }} placeholder={[t.search.from, t.search.to]} />
            ),
          },
        ]}
        actionsCol={{ xs: 24, lg: 6 }}
      />
      {calendar ? (
        <TaskCalendar filter={filter} onOpen={setOpenId} />
      ) : (
        <PagedTable<Task>
          query={tasksQuery}
          params={list}
          rowKey="id"
          columns={columns}
          emptyText={t.empty}
          totalText={t.total}
          onRow={(r) => ({ onClick: () => setOpenId(r.id), style: { cursor: 'pointer' } })}
        />
      )}
      <TaskDrawer taskId={openId} onClose={() => setOpenId(null)} />
    </PageContainer>
  );
}
