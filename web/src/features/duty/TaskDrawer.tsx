import { PaperClipOutlined, UploadOutlined } from '@ant-design/icons';
import type { Task, TaskAction, TaskState } from '@dutyledger/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Descriptions,
  Drawer,
  Form,
  Input,
  List,
  Modal,
  Popconfirm,
  Select,
  Space,
  Spin,
  Tag,
  Typography,
  Upload,
  type UploadFile,
} from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { api } from '../../lib/api';
import { formatDateTimeShort } from '../../lib/format';
import { useDrawerWidth } from '../../lib/hooks';
import { errorText, showError, toastSuccess } from '../../lib/notify';
import { useUnitPeople } from '../org/api';
import { tasksKey, uploadAttachment, useTask } from './api';
import { dutyStrings } from './strings';

const t = dutyStrings.task;

export const taskStateColors: Record<TaskState, string> = {
  todo: 'default',
  inProgress: 'processing',
  submitted: 'gold',
  done: 'green',
  returned: 'red',
};

/** The state tag, plus 已逾期 when the deadline has passed. */
export function TaskStateTag({ task }: { task: Pick<Task, 'state' | 'stateLabel'> }) {
  return <Tag color={taskStateColors[task.state]}>{task.stateLabel}</Tag>;
}

type ActionBody = { action: TaskAction | 'urge'; body?: unknown };

function SubmitModal({ task, open, onClose }: { task: Task; open: boolean; onClose: () => void }) {
  const [form] = Form.useForm<{ progress: string }>();
  const [files, setFiles] = useState<UploadFile<{ id: string }>[]>([]);
  const qc = useQueryClient();
  const submit = useMutation({
    mutationFn: (v: { progress: string }) =>
      api.post<Task>(`/api/tasks/${task.id}/submit`, {
        progress: v.progress.trim(),
        attachmentIds: files.flatMap((f) => (f.status === 'done' && f.response?.id ? [f.response.id] : [])),
      }),
    onSuccess: async () => {
      toastSuccess(t.done.submit);
      await qc.invalidateQueries({ queryKey: tasksKey });
      onClose();
    },
    onError: (e) => showError(e),
  });
  const uploading = files.some((f) => f.status === 'uploading');
  return (
    <Modal
      title={t.submitTitle}
      open={open}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t.ok}
      cancelText={t.cancel}
      confirmLoading={submit.isPending}
      okButtonProps={{ disabled: uploading, 'data-testid': 'task-modal-ok' }}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" onFinish={(v) => submit.mutate(v)}>
        <Form.Item
          name="progress"
          label={t.progressLabel}
          rules={[
            { required: true, whitespace: true, message: t.progressRequired },
            { max: 5000, message: t.progressMax },
          ]}
        >
          <Input.TextArea rows={5} placeholder={t.progressPlaceholder} maxLength={5000} data-testid="task-progress" />
        </Form.Item>
        <Form.Item label={t.files}>
          <Upload<{ id: string }>
            fileList={files}
            onChange={({ fileList }) => setFiles(fileList)}
            customRequest={({ file, onSuccess, onError }) => {
              uploadAttachment(task.unitId, file as File)
                .then((a) => onSuccess?.(a))
                .catch((e: unknown) => {
                  showError(e, t.uploadFailed);
                  onError?.(e instanceof Error ? e : new Error(errorText(e)));
                });
            }}
          >
            <Button icon={<UploadOutlined />}>{t.upload}</Button>
          </Upload>
        </Form.Item>
      </Form>
    </Modal>
  );
}

function ReturnModal({ task, open, onClose }: { task: Task; open: boolean; onClose: () => void }) {
  const [form] = Form.useForm<{ reason: string }>();
  const qc = useQueryClient();
  const ret = useMutation({
    mutationFn: (v: { reason: string }) => api.post<Task>(`/api/tasks/${task.id}/return`, { reason: v.reason.trim() }),
    onSuccess: async () => {
      toastSuccess(t.done.return);
      await qc.invalidateQueries({ queryKey: tasksKey });
      onClose();
    },
    onError: (e) => showError(e),
  });
  return (
    <Modal
      title={t.returnTitle}
      open={open}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t.ok}
      cancelText={t.cancel}
      confirmLoading={ret.isPending}
      okButtonProps={{ danger: true, 'data-testid': 'task-modal-ok' }}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" onFinish={(v) => ret.mutate(v)}>
        <Form.Item
          name="reason"
          label={t.reasonLabel}
          rules={[
            { required: true, whitespace: true, message: t.reasonRequired },
            { max: 2000, message: t.reasonMax },
          ]}
        >
          <Input.TextArea rows={4} placeholder={t.reasonPlaceholder} maxLength={2000} data-testid="task-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** The action buttons of a task in its state; used in the drawer and in the table's 操作 column. */
export function TaskActions({ task, size }: { task: Task; size?: 'small' | 'middle' }) {
  const qc = useQueryClient();
  const { modal } = App.useApp();
  const [submitting, setSubmitting] = useState(false);
  const [returning, setReturning] = useState(false);
  const act = useMutation({
    mutationFn: ({ action, body }: ActionBody) => api.post<unknown>(`/api/tasks/${task.id}/${action}`, body),
    onSuccess: async (res, { action }) => {
      if (action === 'urge') toastSuccess(t.done.urge((res as { notified?: number }).notified ?? 0));
      else if (action === 'start') toastSuccess(t.done.start);
      else if (action === 'confirm') toastSuccess(t.done.confirm);
      await qc.invalidateQueries({ queryKey: tasksKey });
    },
    onError: (e) => showError(e),
  });
  const link = size === 'small';
  const btn = { size, type: link ? ('link' as const) : undefined };
  const primary = link ? ('link' as const) : ('primary' as const);
  const stop = (e: React.MouseEvent) => e.stopPropagation();
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: only keeps row clicks from opening the drawer
    // biome-ignore lint/a11y/useKeyWithClickEvents: see above
    <span onClick={stop}>
      <Space size={link ? 0 : 8} wrap>
        {task.actions.map((a) => {
          if (a === 'setAssignee') return null; // a field of the drawer, not a button
          if (a === 'start')
            return (
              <Button
                key={a}
                {...btn}
                type={primary}
                loading={act.isPending}
                onClick={() => act.mutate({ action: 'start' })}
                data-testid="task-start"
              >
                {t.actions.start}
              </Button>
            );
          if (a === 'submit')
            return (
              <Button key={a} {...btn} type={primary} onClick={() => setSubmitting(true)} data-testid="task-submit">
                {t.actions.submit}
              </Button>
            );
          if (a === 'confirm')
            return (
              <Popconfirm
                key={a}
                title={t.actions.confirmTitle}
                onConfirm={() => act.mutateAsync({ action: 'confirm' }).catch(() => undefined)}
              >
                <Button {...btn} type={primary} loading={act.isPending} data-testid="task-confirm">
                  {t.actions.confirm}
                </Button>
              </Popconfirm>
            );
          if (a === 'return')
            return (
              <Button key={a} {...btn} danger onClick={() => setReturning(true)} data-testid="task-return">
                {t.actions.return}
              </Button>
            );
          return (
            <Button
              key={a}
              {...btn}
              onClick={() =>
                modal.confirm({
                  title: t.actions.urgeTitle,
                  content: `${task.unitName}：${t.actions.urgeHint}`,
                  onOk: () => act.mutateAsync({ action: 'urge' }).catch(() => undefined),
                })
              }
              data-testid="task-urge"
            >
              {t.actions.urge}
            </Button>
          );
        })}
      </Space>
      {/* mounted only while open: the table renders one TaskActions per row */}
      {submitting ? <SubmitModal task={task} open onClose={() => setSubmitting(false)} /> : null}
      {returning ? <ReturnModal task={task} open onClose={() => setReturning(false)} /> : null}
    </span>
  );
}

/** 承办人: shown to everyone, chosen from the assignee unit's people by those who may (action `setAssignee`). */
function AssigneeField({ task }: { task: Task }) {
  const qc = useQueryClient();
  const editable = task.actions.includes('setAssignee');
  const people = useUnitPeople(task.unitId, editable);
  const set = useMutation({
    mutationFn: (personId: string | null) => api.put<Task>(`/api/tasks/${task.id}/assignee`, { personId }),
    onSuccess: async () => {
      toastSuccess(t.done.assignee);
      await qc.invalidateQueries({ queryKey: tasksKey });
    },
    onError: (e) => showError(e),
  });
  if (!editable) return <>{task.assigneePersonName ?? t.assigneeUnit}</>;
  const options = (people.data?.items ?? []).map((p) => ({ value: p.id, label: p.displayName }));
  if (task.assigneePersonId && !options.some((o) => o.value === task.assigneePersonId))
    options.push({ value: task.assigneePersonId, label: task.assigneePersonName ?? '' });
  return (
    <Select
      allowClear
      showSearch
      optionFilterProp="label"
      style={{ minWidth: 200 }}
      placeholder={t.assigneeUnit}
      value={task.assigneePersonId ?? undefined}
      loading={people.isLoading || set.isPending}
      options={options}
      onChange={(v: string | undefined) => set.mutate(v ?? null)}
      data-testid="task-assignee"
    />
  );
}

/** Where a task came from; a meeting resolution links back to its meeting (source id `<meetingId>:<index>`). */
function TaskSource({ source }: { source: NonNullable<Task['source']> }) {
  const meetingId = source.type === 'meeting.resolution' ? /^([0-9a-f-]{36}):\d+$/i.exec(source.id)?.[1] : undefined;
  return meetingId ? (
    <Link to={`/meetings?open=${meetingId}`} data-testid="task-source-link">
      {source.label}
    </Link>
  ) : (
    <span>{source.label}</span>
  );
}

/** GET /api/tasks/:id in a drawer: the task, its progress, return reason, attachments and the actions. */
export function TaskDrawer({ taskId, onClose }: { taskId: string | null; onClose: () => void }) {
  const width = useDrawerWidth(640);
  const q = useTask(taskId ?? undefined);
  const task = q.data;
  return (
    <Drawer
      title={t.detailTitle}
      open={!!taskId}
      onClose={onClose}
      width={width}
      destroyOnHidden
      footer={task ? <TaskActions task={task} /> : null}
    >
      {q.isError ? <Alert type="error" showIcon message={t.loadFailed} description={errorText(q.error)} /> : null}
      {q.isLoading ? <Spin /> : null}
      {task ? (
        <Space direction="vertical" size={16} style={{ width: '100%' }} data-testid="task-detail">
          <Descriptions column={1} size="small" bordered>
            <Descriptions.Item label={t.title}>{task.title}</Descriptions.Item>
            <Descriptions.Item label={t.state}>
              <TaskStateTag task={task} />
              {task.overdue ? <Tag color="red">{dutyStrings.tasks.overdue}</Tag> : null}
            </Descriptions.Item>
            <Descriptions.Item label={t.unit}>{task.unitName}</Descriptions.Item>
            <Descriptions.Item label={t.assignee}>
              <AssigneeField task={task} />
            </Descriptions.Item>
            <Descriptions.Item label={t.assigner}>{task.assignerUnitName}</Descriptions.Item>
            <Descriptions.Item label={t.deadline}>{formatDateTimeShort(task.deadline)}</Descriptions.Item>
            <Descriptions.Item label={t.createdAt}>{formatDateTimeShort(task.createdAt)}</Descriptions.Item>
            {task.source ? (
              <Descriptions.Item label={t.source}>
                <TaskSource source={task.source} />
              </Descriptions.Item>
            ) : null}
            {task.description ? (
              <Descriptions.Item label={t.description}>
                <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{task.description}</Typography.Paragraph>
              </Descriptions.Item>
            ) : null}
            {task.requiredEvidence ? <Descriptions.Item label={t.requiredEvidence}>{task.requiredEvidence}</Descriptions.Item> : null}
            {task.progress ? (
              <Descriptions.Item label={t.progress}>
                <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }} data-testid="task-progress-text">
                  {task.progress}
                </Typography.Paragraph>
              </Descriptions.Item>
            ) : null}
            {task.submittedAt ? <Descriptions.Item label={t.submittedAt}>{formatDateTimeShort(task.submittedAt)}</Descriptions.Item> : null}
            {task.doneAt ? <Descriptions.Item label={t.doneAt}>{formatDateTimeShort(task.doneAt)}</Descriptions.Item> : null}
          </Descriptions>
          {task.returnReason && task.state === 'returned' ? (
            <Alert type="warning" showIcon message={t.returnReason} description={task.returnReason} />
          ) : null}
          <div>
            <Typography.Text strong>{t.attachments}</Typography.Text>
            <List
              size="small"
              dataSource={task.attachments}
              locale={{ emptyText: t.noAttachments }}
              renderItem={(a) => (
                <List.Item>
                  <a href={`/api/attachments/${a.id}/download`} target="_blank" rel="noreferrer">
                    <PaperClipOutlined /> {a.name}
                  </a>
                </List.Item>
              )}
            />
          </div>
        </Space>
      ) : null}
    </Drawer>
  );
}
