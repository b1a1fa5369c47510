import {
  entryKindLabels,
  type OpinionEventDetail,
  type OpinionState,
  type ResponseKind,
  responseKindLabels,
  responseKinds,
} from '@dutyledger/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Button,
  DatePicker,
  Descriptions,
  Drawer,
  Form,
  Input,
  Modal,
  Popconfirm,
  Select,
  Space,
  Spin,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { api } from '../../lib/api';
import { dayjs, formatDateTimeShort } from '../../lib/format';
import { applyServerErrors } from '../../lib/forms';
import { useDrawerWidth } from '../../lib/hooks';
import { errorText, showError, toastSuccess } from '../../lib/notify';
import { eventsKey, useEvent } from './api';
import { EventFormDrawer } from './EventForm';
import { AttachmentList, LevelTag, useUploads } from './shared';
import { opinionStrings } from './strings';

const t = opinionStrings.events;
const c = opinionStrings.common;

export const stateColors: Record<OpinionState, string> = {
  found: 'default',
  assessing: 'processing',
  handling: 'gold',
  responded: 'cyan',
  closed: 'green',
};

type Dialog = 'close' | 'escalate' | 'entry' | 'comment' | 'response' | 'edit' | null;

function useEventMutation(id: string, done: string, after?: () => void) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ path, body }: { path: string; body?: unknown }) =>
      api.post<OpinionEventDetail>(`/api/opinion-events/${id}/${path}`, body ?? {}),
    onSuccess: async () => {
      toastSuccess(done);
      await qc.invalidateQueries({ queryKey: eventsKey });
      after?.();
    },
  });
}

/** A one-text-field modal (conclusion, reason, entry); the server's field messages go on the field. */
function TextModal({
  title,
  label,
  name,
  placeholder,
  hint,
  max,
  onSubmit,
  onClose,
  extra,
  testId,
}: {
  title: string;
  label: string;
  name: string;
  placeholder?: string;
  hint?: string;
  max: number;
  onSubmit: (values: Record<string, string>) => Promise<unknown>;
  onClose: () => void;
  extra?: React.ReactNode;
  testId: string;
}) {
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  return (
    <Modal
      title={title}
      open
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={c.ok}
      cancelText={c.cancel}
      confirmLoading={busy}
      okButtonProps={{ 'data-testid': `${testId}-ok` } as Record<string, string>}
      destroyOnHidden
    >
      {hint ? <Alert type="info" showIcon message={hint} style={{ marginBottom: 12 }} /> : null}
      <Form
        form={form}
        layout="vertical"
        onFinish={async (v) => {
          setBusy(true);
          try {
            await onSubmit(v);
            onClose();
          } catch (e) {
            applyServerErrors(form, e);
          } finally {
            setBusy(false);
          }
        }}
      >
        {extra}
        <Form.Item
          name={name}
          label={label}
          rules={[
            { required: true, whitespace: true, message: c.required(label) },
            { max, message: c.max(label, max) },
          ]}
        >
          <Input.TextArea rows={4} placeholder={placeholder} maxLength={max} data-testid={testId} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function ResponseModal({ event, onClose }: { event: OpinionEventDetail; onClose: () => void }) {
  const [form] = Form.useForm<{ kind: ResponseKind; content: string; url?: string; happenedAt: Dayjs }>();
  const qc = useQueryClient();
  const uploads = useUploads(event.unitId);
  const save = useMutation({
    mutationFn: (v: { kind: ResponseKind; content: string; url?: string; happenedAt: Dayjs }) =>
      api.post<OpinionEventDetail>(`/api/opinion-events/${event.id}/responses`, {
        kind: v.kind,
        content: v.content.trim(),
        url: (v.url ?? '').trim(),
        happenedAt: v.happenedAt.toISOString(),
        attachmentIds: uploads.ids,
      }),
    onSuccess: async () => {
      toastSuccess(t.actions.done);
      await qc.invalidateQueries({ queryKey: eventsKey });
      onClose();
    },
    onError: (e) => applyServerErrors(form, e),
  });
  return (
    <Modal
      title={t.response.title}
      open
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={c.ok}
      cancelText={c.cancel}
      confirmLoading={save.isPending}
      okButtonProps={{ disabled: uploads.uploading, ...({ 'data-testid': 'response-ok' } as Record<string, string>) }}
      destroyOnHidden
    >
      <Alert type="info" showIcon message={t.response.hint} style={{ marginBottom: 12 }} />
      <Form form={form} layout="vertical" initialValues={{ kind: 'statement', happenedAt: dayjs() }} onFinish={(v) => save.mutate(v)}>
        <Form.Item name="kind" label={t.response.kind} rules={[{ required: true, message: c.required(t.response.kind) }]}>
          <Select options={responseKinds.map((k) => ({ value: k, label: responseKindLabels[k] }))} data-testid="response-kind" />
        </Form.Item>
        <Form.Item
          name="content"
          label={t.response.content}
          rules={[
            { required: true, whitespace: true, message: c.required(t.response.content) },
            { max: 5000, message: c.max(t.response.content, 5000) },
          ]}
        >
          <Input.TextArea rows={3} maxLength={5000} data-testid="response-content" />
        </Form.Item>
        <Form.Item name="url" label={t.response.url} rules={[{ pattern: /^(https?:\/\/.*)?$/i, message: t.form.urlInvalid }]}>
          <Input maxLength={1000} />
        </Form.Item>
        <Form.Item name="happenedAt" label={t.response.happenedAt} rules={[{ required: true, message: c.required(t.response.happenedAt) }]}>
          <DatePicker showTime style={{ width: '100%' }} disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
        </Form.Item>
        <Form.Item label={c.attachments}>{uploads.field}</Form.Item>
      </Form>
    </Modal>
  );
}

function EventActions({ event, onDialog }: { event: OpinionEventDetail; onDialog: (d: Dialog) => void }) {
  const act = useEventMutation(event.id, t.actions.done);
  const run = (path: string) => act.mutateAsync({ path }).catch((e) => showError(e));
  const s = event.state;
  if (!event.can.act && !event.can.comment) return null;
  return (
    <Space wrap>
      {event.can.act && s === 'found' ? (
        <Popconfirm title={t.actions.confirmAssess} onConfirm={() => run('assess')}>
          <Button type="primary" data-testid="event-assess">
            {t.actions.assess}
          </Button>
        </Popconfirm>
      ) : null}
      {event.can.act && s === 'assessing' ? (
        <Popconfirm title={t.actions.confirmHandle} onConfirm={() => run('handle')}>
          <Button type="primary" data-testid="event-handle">
            {t.actions.handle}
          </Button>
        </Popconfirm>
      ) : null}
      {event.can.act && (s === 'handling' || s === 'responded') ? (
        <Button onClick={() => onDialog('response')} data-testid="event-add-response">
          {t.actions.addResponse}
        </Button>
      ) : null}
      {event.can.act && s === 'handling' ? (
        <Popconfirm title={t.actions.confirmRespond} onConfirm={() => run('respond')}>
          <Button type="primary" disabled={event.responses.length === 0} data-testid="event-respond">
            {t.actions.respond}
          </Button>
        </Popconfirm>
      ) : null}
      {event.can.act && (s === 'assessing' || s === 'responded') ? (
        <Button type={s === 'responded' ? 'primary' : 'default'} onClick={() => onDialog('close')} data-testid="event-close">
          {t.actions.close}
        </Button>
      ) : null}
      {event.can.act && s !== 'closed' ? (
        <Button onClick={() => onDialog('entry')} data-testid="event-add-entry">
          {t.actions.addEntry}
        </Button>
      ) : null}
      {event.can.act && s !== 'closed' && !event.escalatedToUnitId ? (
        <Button danger onClick={() => onDialog('escalate')} data-testid="event-escalate">
          {t.actions.escalate}
        </Button>
      ) : null}
      {event.can.act && s !== 'closed' ? (
        <Button onClick={() => onDialog('edit')} data-testid="event-edit">
          {t.detail.edit}
        </Button>
      ) : null}
      {event.can.comment ? (
        <Button onClick={() => onDialog('comment')} data-testid="event-comment">
          {t.actions.addComment}
        </Button>
      ) : null}
    </Space>
  );
}

/** GET /api/opinion-events/:id in a drawer: facts, timeline, responses, and what the caller may do. */
export function EventDrawer({ eventId, onClose }: { eventId: string | null; onClose: () => void }) {
  const width = useDrawerWidth(720);
  const q = useEvent(eventId ?? undefined);
  const e = q.data;
  const [dialog, setDialog] = useState<Dialog>(null);
  const closeDialog = () => setDialog(null);
  const mutate = useEventMutation(eventId ?? '', t.actions.done);
  const post = (path: string, body: unknown) => mutate.mutateAsync({ path, body });
  return (
    <Drawer
      title={t.detail.title}
      open={!!eventId}
      onClose={onClose}
      width={width}
      destroyOnHidden
      footer={e ? <EventActions event={e} onDialog={setDialog} /> : null}
    >
      {q.isError ? <Alert type="error" showIcon message={c.loadFailed} description={errorText(q.error)} /> : null}
      {q.isLoading ? <Spin /> : null}
      {e ? (
        <Space direction="vertical" size={16} style={{ width: '100%' }} data-testid="event-detail">
          <Typography.Title level={5} style={{ margin: 0 }}>
            {e.title}
          </Typography.Title>
          <Descriptions column={1} size="small" bordered>
            <Descriptions.Item label={t.detail.state}>
              <Tag color={stateColors[e.state]} data-testid="event-state">
                {e.stateLabel}
              </Tag>
            </Descriptions.Item>
            <Descriptions.Item label={t.detail.level}>
              <LevelTag level={e.level} label={e.levelLabel} />
            </Descriptions.Item>
            <Descriptions.Item label={t.detail.unit}>{e.unitName}</Descriptions.Item>
            <Descriptions.Item label={t.detail.firstSeen}>
              {formatDateTimeShort(e.firstSeenAt)}（{t.ageDays(e.ageDays)}）
            </Descriptions.Item>
            {e.summary ? (
              <Descriptions.Item label={t.detail.summary}>
                <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{e.summary}</Typography.Paragraph>
              </Descriptions.Item>
            ) : null}
            <Descriptions.Item label={t.detail.sources}>
              <Space direction="vertical" size={2}>
                {e.sources.map((s, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: sources have no id and never reorder here
                  <span key={i}>
                    <Tag>{s.platformName}</Tag>
                    {s.url ? (
                      <a href={s.url} target="_blank" rel="noreferrer noopener">
                        {s.url}
                      </a>
                    ) : null}
                  </span>
                ))}
              </Space>
            </Descriptions.Item>
            {e.relatedUnits.length ? (
              <Descriptions.Item label={t.detail.related}>{e.relatedUnits.map((u) => u.name).join('、')}</Descriptions.Item>
            ) : null}
            <Descriptions.Item label={t.detail.plan}>
              {e.responsePlanId ? <Link to={`/opinion/plans/${e.responsePlanId}`}>{e.responsePlanTitle}</Link> : '—'}
            </Descriptions.Item>
            <Descriptions.Item label={t.detail.escalation}>
              <span data-testid="event-escalation">
                {e.escalatedToUnitName
                  ? `${t.escalatedTo(e.escalatedToUnitName)}（${formatDateTimeShort(e.escalatedAt)}）`
                  : t.detail.notEscalated}
              </span>
            </Descriptions.Item>
            {e.conclusion ? <Descriptions.Item label={t.detail.conclusion}>{e.conclusion}</Descriptions.Item> : null}
          </Descriptions>
          <div>
            <Typography.Text strong>{t.detail.responses}</Typography.Text>
            {e.responses.length === 0 ? (
              <Typography.Paragraph type="secondary">{t.detail.noResponses}</Typography.Paragraph>
            ) : (
              <Timeline
                style={{ marginTop: 12 }}
                items={e.responses.map((r) => ({
                  color: 'green',
                  children: (
                    <div data-testid="event-response">
                      <Tag color="green">{r.kindLabel}</Tag>
                      {formatDateTimeShort(r.happenedAt)}
                      <div style={{ whiteSpace: 'pre-wrap' }}>{r.content}</div>
                      {r.url ? (
                        <a href={r.url} target="_blank" rel="noreferrer noopener">
                          {r.url}
                        </a>
                      ) : null}
                    </div>
                  ),
                }))}
              />
            )}
          </div>
          <div>
            <Typography.Text strong>{t.detail.timeline}</Typography.Text>
            <Timeline
              style={{ marginTop: 12 }}
              items={e.entries.map((x) => ({
                color: x.kind === 'comment' ? 'red' : x.kind === 'escalation' ? 'orange' : x.kind === 'state' ? 'blue' : 'gray',
                children: (
                  <div data-testid={`event-entry-${x.kind}`}>
                    <Typography.Text type="secondary">
                      {formatDateTimeShort(x.createdAt)} · {x.unitName}
                      {x.createdByName ? ` · ${x.createdByName}` : ''}
                    </Typography.Text>
                    <div>
                      <Tag>{x.kindLabel}</Tag>
                      <span style={{ whiteSpace: 'pre-wrap' }}>{x.body}</span>
                    </div>
                  </div>
                ),
              }))}
            />
          </div>
          <div>
            <Typography.Text strong>{c.attachments}</Typography.Text>
            <AttachmentList items={e.attachments} />
          </div>
        </Space>
      ) : null}
      {e && dialog === 'close' ? (
        <TextModal
          title={t.close.title}
          label={t.close.conclusion}
          name="conclusion"
          placeholder={t.close.placeholder}
          max={5000}
          testId="event-conclusion"
          onClose={closeDialog}
          onSubmit={(v) => post('close', { conclusion: v.conclusion?.trim() })}
        />
      ) : null}
      {e && dialog === 'escalate' ? (
        <TextModal
          title={t.escalate.title}
          label={t.escalate.reason}
          name="reason"
          hint={t.escalate.hint}
          max={2000}
          testId="event-escalate-reason"
          onClose={closeDialog}
          onSubmit={(v) => post('escalate', { reason: v.reason?.trim() })}
        />
      ) : null}
      {e && (dialog === 'entry' || dialog === 'comment') ? (
        <TextModal
          title={dialog === 'comment' ? t.entry.commentTitle : t.entry.title}
          label={t.entry.body}
          name="body"
          placeholder={dialog === 'entry' ? t.entry.bodyPlaceholder : undefined}
          max={5000}
          testId="event-entry-body"
          onClose={closeDialog}
          extra={
            dialog === 'entry' ? (
              <Form.Item name="kind" label={t.entry.kind} initialValue="note">
                <Select
                  options={[
                    { value: 'note', label: entryKindLabels.note },
                    { value: 'action', label: entryKindLabels.action },
                  ]}
                />
              </Form.Item>
            ) : null
          }
          onSubmit={(v) => post('entries', { kind: dialog === 'comment' ? 'comment' : (v.kind ?? 'note'), body: v.body?.trim() })}
        />
      ) : null}
      {e && dialog === 'response' ? <ResponseModal event={e} onClose={closeDialog} /> : null}
      {e ? <EventFormDrawer open={dialog === 'edit'} event={e} onClose={closeDialog} /> : null}
    </Drawer>
  );
}
