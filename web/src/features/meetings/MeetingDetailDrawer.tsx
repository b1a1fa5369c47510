import { PaperClipOutlined } from '@ant-design/icons';
import type { MeetingDetail, ResolutionTaskResult } from '@dutyledger/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, DatePicker, Descriptions, Drawer, Form, Input, List, Modal, Space, Spin, Tag, TreeSelect, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { api } from '../../lib/api';
import { dayEndIso, formatDateTimeShort } from '../../lib/format';
import { applyServerErrors } from '../../lib/forms';
import { useDrawerWidth } from '../../lib/hooks';
import { errorText, toastSuccess } from '../../lib/notify';
import { useCan } from '../../lib/session';
import { unitTreeSelectData } from '../../lib/units';
import { tasksKey, useTask } from '../duty/api';
import { TaskStateTag } from '../duty/TaskDrawer';
import { useUnits } from '../org/api';
import { meetingsKey, useMeeting } from './api';
import { MeetingFormDrawer } from './MeetingFormDrawer';
import { meetingStrings } from './strings';

const t = meetingStrings.detail;

/** 补录 tag (its title explains the 30-day rule); the drawer shows both dates beside it. */
export function BackfilledTag({ meeting }: { meeting: { backfilled: boolean } }) {
  return meeting.backfilled ? (
    <Tag color="orange" title={meetingStrings.backfilledHint} data-testid="meeting-backfilled">
      {meetingStrings.backfilled}
    </Tag>
  ) : null;
}

function ResolutionTask({ taskId }: { taskId: string }) {
  const q = useTask(taskId);
  if (q.isError) return <Typography.Text type="secondary">{t.taskUnreadable}</Typography.Text>;
  if (!q.data) return <Spin size="small" />;
  return (
    <Space size={4} wrap data-testid="resolution-task">
      <Typography.Text type="secondary">{t.task}：</Typography.Text>
      <Link to={`/tasks?open=${taskId}`}>{q.data.title}</Link>
      <TaskStateTag task={q.data} />
      {q.data.overdue ? <Tag color="red">{t.overdue}</Tag> : null}
      <Typography.Text type="secondary">
        {q.data.unitName} · {formatDateTimeShort(q.data.deadline)}
      </Typography.Text>
    </Space>
  );
}

interface TaskValues {
  assigneeUnitId: string;
  deadline: Dayjs;
  title?: string;
}

function ToTaskModal({ meeting, index, onClose }: { meeting: MeetingDetail; index: number | null; onClose: () => void }) {
  const s = meetingStrings.toTask;
  const [form] = Form.useForm<TaskValues>();
  const qc = useQueryClient();
  const { data: units } = useUnits(false);
  const unitTree = useMemo(() => unitTreeSelectData(units ?? [], (u) => !u.active), [units]);
  useEffect(() => {
    if (index !== null) {
      form.resetFields();
      form.setFieldsValue({ assigneeUnitId: meeting.unitId });
    }
  }, [index, form, meeting.unitId]);
  const make = useMutation({
    mutationFn: (v: TaskValues) =>
      api.post<ResolutionTaskResult>(`/api/meetings/${meeting.id}/resolutions/${index}/task`, {
        assigneeUnitId: v.assigneeUnitId,
        deadline: dayEndIso(v.deadline),
        title: v.title?.trim() || undefined,
      }),
    onSuccess: async () => {
      toastSuccess(s.done);
      await Promise.all([qc.invalidateQueries({ queryKey: meetingsKey }), qc.invalidateQueries({ queryKey: tasksKey })]);
      onClose();
    },
    onError: (e) => applyServerErrors(form, e),
  });
  const text = index !== null ? meeting.resolutions[index]?.text : '';
  return (
    <Modal
      title={s.title}
      open={index !== null}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={s.submit}
      cancelText={s.cancel}
      confirmLoading={make.isPending}
      okButtonProps={{ 'data-testid': 'to-task-ok' }}
      forceRender
    >
      <Typography.Paragraph type="secondary">
        {s.resolution}：{text}
      </Typography.Paragraph>
      <Form<TaskValues> form={form} layout="vertical" onFinish={(v) => make.mutate(v)}>
        <Form.Item name="assigneeUnitId" label={s.assignee} rules={[{ required: true, message: s.assigneeRequired }]}>
          <TreeSelect treeData={unitTree} showSearch treeNodeFilterProp="title" treeDefaultExpandAll data-testid="to-task-unit" />
        </Form.Item>
        <Form.Item name="title" label={s.taskTitle} rules={[{ max: 200, message: s.taskTitleMax }]}>
          <Input placeholder={s.taskTitlePlaceholder} maxLength={200} />
        </Form.Item>
        <Form.Item name="deadline" label={s.deadline} rules={[{ required: true, message: s.deadlineRequired }]}>
          <DatePicker style={{ width: '100%' }} data-testid="to-task-deadline" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** GET /api/meetings/:id in a drawer: the record, 补录 with both dates, resolutions and their tasks, materials. */
export function MeetingDetailDrawer({ meetingId, onClose }: { meetingId: string | null; onClose: () => void }) {
  const width = useDrawerWidth(720);
  const q = useMeeting(meetingId ?? undefined);
  const canWrite = useCan('meeting.write');
  const canAssign = useCan('task.assign');
  const [editing, setEditing] = useState(false);
  const [toTask, setToTask] = useState<number | null>(null);
  const m = q.data;
  return (
    <Drawer
      title={t.title}
      open={!!meetingId}
      onClose={onClose}
      width={width}
      destroyOnHidden
      extra={
        m && canWrite ? (
          <Button onClick={() => setEditing(true)} data-testid="meeting-edit">
            {t.edit}
          </Button>
        ) : null
      }
    >
      {q.isError ? <Alert type="error" showIcon message={t.loadFailed} description={errorText(q.error)} /> : null}
      {q.isLoading ? <Spin /> : null}
      {m ? (
        <Space direction="vertical" size={16} style={{ width: '100%' }} data-testid="meeting-detail">
          <Descriptions column={1} size="small" bordered>
            <Descriptions.Item label={t.topic}>{m.topic}</Descriptions.Item>
            <Descriptions.Item label={t.kind}>{m.kindName}</Descriptions.Item>
            <Descriptions.Item label={t.unit}>{m.unitName}</Descriptions.Item>
            <Descriptions.Item label={t.heldAt}>
              {formatDateTimeShort(m.heldAt)} <BackfilledTag meeting={m} />
            </Descriptions.Item>
            <Descriptions.Item label={t.createdAt}>{formatDateTimeShort(m.createdAt)}</Descriptions.Item>
            <Descriptions.Item label={t.tags}>{m.tags.length ? m.tags.map((x) => <Tag key={x}>{x}</Tag>) : t.none}</Descriptions.Item>
            <Descriptions.Item label={t.host}>{m.hostName ?? t.none}</Descriptions.Item>
            <Descriptions.Item label={t.attendees}>
              <span data-testid="meeting-attendees-view">{m.attendees.map((a) => a.displayName).join('、') || t.none}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t.absentees}>
              {m.absentees.length ? m.absentees.map((a) => `${a.displayName}（${a.reason}）`).join('、') : t.none}
            </Descriptions.Item>
            {m.minutes ? (
              <Descriptions.Item label={t.minutes}>
                <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{m.minutes}</Typography.Paragraph>
              </Descriptions.Item>
            ) : null}
          </Descriptions>
          {m.backfilled ? (
            <Alert type="warning" showIcon message={`${meetingStrings.backfilled}：${meetingStrings.backfilledHint}`} />
          ) : null}
          <div>
            <Typography.Text strong>{t.resolutions}</Typography.Text>
            <List
              size="small"
              bordered
              dataSource={m.resolutions.map((r, index) => ({ ...r, index }))}
              locale={{ emptyText: t.noResolutions }}
              renderItem={(r) => (
                <List.Item
                  data-testid="meeting-resolution-item"
                  actions={
                    !r.taskId && canWrite && canAssign
                      ? [
                          <Button key="task" type="link" size="small" onClick={() => setToTask(r.index)} data-testid="resolution-to-task">
                            {t.toTask}
                          </Button>,
                        ]
                      : undefined
                  }
                >
                  <Space direction="vertical" size={2}>
                    <span>
                      {r.index + 1}. {r.text}
                    </span>
                    {r.taskId ? <ResolutionTask taskId={r.taskId} /> : null}
                  </Space>
                </List.Item>
              )}
            />
          </div>
          <div>
            <Typography.Text strong>{t.materials}</Typography.Text>
            <List
              size="small"
              dataSource={m.attachments}
              locale={{ emptyText: t.noMaterials }}
              renderItem={(a) => (
                <List.Item>
                  <a href={`/api/attachments/${a.id}/download`} target="_blank" rel="noreferrer">
                    <PaperClipOutlined /> {a.name}
                  </a>
                </List.Item>
              )}
            />
          </div>
          <ToTaskModal meeting={m} index={toTask} onClose={() => setToTask(null)} />
          <MeetingFormDrawer open={editing} meeting={m} onClose={() => setEditing(false)} />
        </Space>
      ) : null}
    </Drawer>
  );
}
