import type { Task } from '@dutyledger/contracts';
import { Alert, Badge, Calendar, Card, Spin, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { dayEndIso, dayjs, dayStartIso, TZ } from '../../lib/format';
import { MAX_PAGE_SIZE } from '../../lib/list';
import { type TaskFilter, useTasks } from './api';
import { dutyStrings } from './strings';

const t = dutyStrings.tasks;
const SHOWN_PER_DAY = 3;

const badgeOf = (task: Task) =>
  task.overdue ? 'error' : task.state === 'done' ? 'success' : task.state === 'submitted' ? 'processing' : 'warning';

/** The tasks of the filter by deadline, a month at a time (the month's range replaces the filter's deadline range). */
export function TaskCalendar({ filter, onOpen }: { filter: TaskFilter; onOpen: (id: string) => void }) {
  const [month, setMonth] = useState<Dayjs>(() => dayjs().tz(TZ));
  const range = {
    deadlineFrom: dayStartIso(month.startOf('month')),
    deadlineTo: dayEndIso(month.endOf('month')),
  };
  const q = useTasks({ ...filter, ...range }, 1, MAX_PAGE_SIZE);
  const byDay = useMemo(() => {
    const map = new Map<string, Task[]>();
    for (const task of q.data?.items ?? []) {
      const day = dayjs(task.deadline).tz(TZ).format('YYYY-MM-DD');
      map.set(day, [...(map.get(day) ?? []), task]);
    }
    return map;
  }, [q.data]);

  const cell = (date: Dayjs) => {
    const list = byDay.get(date.format('YYYY-MM-DD')) ?? [];
    if (!list.length) return null;
    return (
      <ul className="dl-calendar-cell" data-testid={`calendar-day-${date.format('YYYY-MM-DD')}`}>
        {list.slice(0, SHOWN_PER_DAY).map((task) => (
          <li key={task.id}>
            <Badge
              status={badgeOf(task)}
              text={
                <Typography.Link
                  onClick={(e) => {
                    e.stopPropagation();
                    onOpen(task.id);
                  }}
                >
                  {task.unitName}：{task.title}
                </Typography.Link>
              }
            />
          </li>
        ))}
        {list.length > SHOWN_PER_DAY ? <li>{t.calendar.more(list.length - SHOWN_PER_DAY)}</li> : null}
      </ul>
    );
  };

  return (
    <Card size="small" data-testid="task-calendar">
      {q.data && q.data.total > q.data.items.length ? (
        <Alert type="info" showIcon style={{ marginBottom: 8 }} message={t.calendar.truncated(q.data.items.length)} />
      ) : null}
      <Spin spinning={q.isFetching}>
        <Calendar
          value={month}
          onPanelChange={(d) => setMonth(d)}
          onSelect={(d, info) => info.source !== 'date' && setMonth(d)}
          cellRender={(d, info) => (info.type === 'date' ? cell(d) : null)}
        />
      </Spin>
    </Card>
  );
}
