/**
 * The prefill sources of the modules that exist so far: meetings held (meetings service) and tasks done or
 * overdue (duty service). Imported once by service.ts so that they register before any draft is made.
 */
import { localDate } from '../../core/periods.js';
import { unitTasksOfPeriod } from '../duty/service.js';
import { listMeetings } from '../meetings/service.js';
import { registerPrefillSource } from './prefill.js';

registerPrefillSource({
  key: 'meetings',
  label: '会议和学习记录',
  async collect(ctx, { unitId, period }) {
    const { items, total } = await listMeetings(ctx, {
      unitId,
      from: period.start.toISOString(),
      to: period.end.toISOString(),
      page: 1,
      pageSize: 200,
    });
    if (total === 0) return { text: `${period.label}本单位暂无会议和学习记录。`, links: [] };
    const lines = [...items]
      .reverse()
      .map((m, i) => `${i + 1}. ${localDate(m.heldAt)} ${m.kindName}：${m.topic}${m.backfilled ? '（补录）' : ''}`);
    return {
      text: [`${period.label}本单位共召开会议、开展学习${total}次：`, ...lines].join('\n'),
      links: items.map((m) => ({ type: 'meeting', id: m.id, label: `${localDate(m.heldAt)} ${m.kindName}：${m.topic}` })),
    };
  },
});

registerPrefillSource({
  key: 'tasks',
  label: '任务办理情况',
  async collect(ctx, { unitId, period }) {
    const { done, overdue } = await unitTasksOfPeriod(ctx, unitId, period.start, period.end);
    const lines: string[] = [];
    lines.push(done.length ? `${period.label}办结任务${done.length}项：` : `${period.label}暂无办结任务。`);
    done.forEach((t, i) => {
      lines.push(`${i + 1}. ${t.title}（${t.assignerUnitName}交办，${t.doneAt ? localDate(t.doneAt) : ''}办结）`);
    });
    if (overdue.length) {
      lines.push(`逾期任务${overdue.length}项：`);
      overdue.forEach((t, i) => {
        const how = t.state === 'done' ? `逾期办结（${t.doneAt ? localDate(t.doneAt) : ''}）` : `截至目前${t.stateLabel}`;
        lines.push(`${i + 1}. ${t.title}（截止${localDate(t.deadline)}，${how}）`);
      });
    } else lines.push('无逾期任务。');
    const links = [...done, ...overdue].map((t) => ({ type: 'task', id: t.id, label: t.title }));
    return { text: lines.join('\n'), links: links.filter((l, i) => links.findIndex((x) => x.id === l.id) === i) };
  },
});
