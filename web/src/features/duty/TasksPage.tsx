import type { Task } from '@dutyledger/contracts';
import { type TaskState, taskStateLabels, taskStates } from '@dutyledger/contracts';
import { Button, Input, Select, Space, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { formatDateTimeShort } from '../../lib/format';
import { useIsMobile } from '../../lib/hooks';
import { PagedTable, SearchCard, useListParams } from '../../lib/list';
import { PageContainer } from '../../lib/ui';
import { type TaskFilter, useTasks } from './api';
import { dutyStrings } from './strings';
import { TaskActions, TaskDrawer, TaskStateTag } from './TaskDrawer';

const t = dutyStrings.tasks;

function readFilter(sp: URLSearchParams): TaskFilter {
  const state = sp.get('state');
  const overdue = sp.get('overdue');
  return {
    q: sp.get('q') || undefined,
    state: state && (taskStates as readonly string[]).includes(state) ? (state as TaskState) : undefined,
    overdue: overdue === 'true' || overdue === 'false' ? overdue : undefined,
    mine: sp.get('mine') === 'true' ? 'true' : undefined,
  };
}

const nowrap = () => ({ style: { whiteSpace: 'nowrap' as const } });

export default function TasksPage() {
  const mobile = useIsMobile();
  const list = useListParams(readFilter);
  const { filter, page, pageSize } = list;
  const tasksQuery = useTasks(filter, page, pageSize);
  const [openId, setOpenId] = useState<string | null>(null);

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
    <PageContainer title={t.title}>
      <SearchCard<TaskFilter>
        initialValues={filter}
        onSearch={list.applyFilter}
        submitTestId="tasks-search"
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
        ]}
        actionsCol={{ xs: 24, lg: 6 }}
      />
      <PagedTable<Task>
        query={tasksQuery}
        params={list}
        rowKey="id"
        columns={columns}
        emptyText={t.empty}
        totalText={t.total}
        onRow={(r) => ({ onClick: () => setOpenId(r.id), style: { cursor: 'pointer' } })}
      />
      <TaskDrawer taskId={openId} onClose={() => setOpenId(null)} />
    </PageContainer>
  );
}
