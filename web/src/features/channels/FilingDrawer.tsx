import { PaperClipOutlined } from '@ant-design/icons';
import type { EventFilingAction, EventFilingDetail, EventFilingState } from '@dutyledger/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Descriptions, Drawer, Form, Input, Modal, Popconfirm, Space, Spin, Tag } from 'antd';
import { useState } from 'react';
import { api } from '../../lib/api';
import { formatDateTime } from '../../lib/format';
import { applyServerErrors } from '../../lib/forms';
import { useDrawerWidth } from '../../lib/hooks';
import { errorText, showError, toastSuccess } from '../../lib/notify';
import { useCan } from '../../lib/session';
import { filingsKey, useFiling } from './api';
import { FilingForm } from './FilingForm';
import { channelStrings } from './strings';

const t = channelStrings.filings;
export const filingStateColors: Record<EventFilingState, string> = {
  draft: 'default',
  pending: 'processing',
  pendingParent: 'processing',
  approved: 'green',
  rejected: 'red',
  done: 'cyan',
};
export function FilingStateTag({ state, label, late }: { state: EventFilingState; label: string; late?: boolean }) {
  return (
    <Space size={4}>
      <Tag color={filingStateColors[state]}>{label}</Tag>
      {late ? <Tag color="red">{t.late}</Tag> : null}
    </Space>
  );
}
const urlOf: Record<EventFilingAction, string> = {
  submit: 'submit',
  approve: 'approve',
  approveParent: 'approve-parent',
  reject: 'reject',
  summarize: 'summary',
};

function TextModal({
  item,
  action,
  onClose,
}: {
  item: EventFilingDetail;
  action: 'approve' | 'approveParent' | 'reject' | 'summarize';
  onClose: () => void;
}) {
  const [form] = Form.useForm<{ text?: string }>();
  const qc = useQueryClient();
  const required = action === 'reject' || action === 'summarize';
  const label = action === 'summarize' ? t.summary.label : action === 'reject' ? t.decide.rejectReason : t.decide.comment;
  const act = useMutation({
    mutationFn: (v: { text?: string }) =>
      api.post(
        `/api/event-filings/${item.id}/${urlOf[action]}`,
        action === 'summarize' ? { summary: (v.text ?? '').trim() } : { comment: (v.text ?? '').trim() },
      ),
    onSuccess: async () => {
      toastSuccess(t.done[action]!);
      await qc.invalidateQueries({ queryKey: filingsKey });
      onClose();
    },
    onError: (e) => applyServerErrors(form, e),
  });
  return (
    <Modal
      open
      title={t.actions[action]}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={channelStrings.common.ok}
      cancelText={channelStrings.common.cancel}
      confirmLoading={act.isPending}
      okButtonProps={{ danger: action === 'reject', 'data-testid': 'filing-modal-ok' }}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" onFinish={(v) => act.mutate(v)}>
        <Form.Item
          name="text"
          label={label}
          rules={
            required
              ? [{ required: true, whitespace: true, message: action === 'summarize' ? t.summary.required : t.decide.rejectRequired }]
              : []
          }
        >
          <Input.TextArea rows={4} maxLength={action === 'summarize' ? 5000 : 2000} data-testid="filing-modal-text" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export function FilingDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const width = useDrawerWidth(640);
  const qc = useQueryClient();
  const { data: item, isLoading, error } = useFiling(id);
  const canWrite = useCan('eventFiling.write');
  const canApprove = useCan('eventFiling.approve');
  const [modal, setModal] = useState<null | 'approve' | 'approveParent' | 'reject' | 'summarize'>(null);
  const [editing, setEditing] = useState(false);
  const submit = useMutation({
    mutationFn: () => api.post(`/api/event-filings/${id}/submit`),
    onSuccess: async () => {
      toastSuccess(t.done.submit!);
      await qc.invalidateQueries({ queryKey: filingsKey });
    },
    onError: (e) => showError(e),
  });
  const d = t.detail;
  const s = item?.state;
  const actions = item ? (
    <Space wrap>
      {canWrite && (s === 'draft' || s === 'rejected') ? (
        <>
          <Button onClick={() => setEditing(true)}>{t.actions.edit}</Button>
          <Popconfirm
            title={t.actions.submitConfirm}
            onConfirm={() => submit.mutate()}
            okText={channelStrings.common.ok}
            cancelText={channelStrings.common.cancel}
          >
            <Button type="primary" loading={submit.isPending} data-testid="filing-submit">
              {t.actions.submit}
            </Button>
          </Popconfirm>
        </>
      ) : null}
      {canApprove && s === 'pending' ? (
        <Button type="primary" onClick={() => setModal('approve')} data-testid="filing-approve">
          {t.actions.approve}
        </Button>
      ) : null}
      {canApprove && s === 'pendingParent' ? (
        <Button type="primary" onClick={() => setModal('approveParent')}>
          {t.actions.approveParent}
        </Button>
      ) : null}
      {canApprove && (s === 'pending' || s === 'pendingParent') ? (
        <Button danger onClick={() => setModal('reject')}>
          {t.actions.reject}
        </Button>
      ) : null}
      {canWrite && s === 'approved' && new Date(item.startsAt).getTime() <= Date.now() ? (
        <Button type="primary" onClick={() => setModal('summarize')}>
          {t.actions.summarize}
        </Button>
      ) : null}
    </Space>
  ) : null;
  const c = t.columns;
  return (
    <Drawer title={d.title} open={!!id} onClose={onClose} width={width} destroyOnHidden extra={actions}>
      {isLoading ? <Spin /> : null}
      {error ? <Alert type="error" showIcon message={errorText(error)} /> : null}
      {item ? (
        <>
          <Descriptions size="small" column={1} bordered>
            <Descriptions.Item label={c.topic}>{item.topic}</Descriptions.Item>
            <Descriptions.Item label={c.kind}>{item.kindName}</Descriptions.Item>
            <Descriptions.Item label={c.unit}>{item.unitName}</Descriptions.Item>
            <Descriptions.Item label={c.state}>
              <FilingStateTag state={item.state} label={item.stateLabel} late={item.late} />
            </Descriptions.Item>
            <Descriptions.Item label={d.speakers}>
              {item.speakers.map((sp) => (sp.affiliation ? `${sp.name}（${sp.affiliation}）` : sp.name)).join('、') ||
                channelStrings.common.none}
            </Descriptions.Item>
            <Descriptions.Item label={c.startsAt}>
              {formatDateTime(item.startsAt)}
              {item.endsAt ? ` — ${formatDateTime(item.endsAt)}` : ''}
            </Descriptions.Item>
            <Descriptions.Item label={c.venue}>{item.venue}</Descriptions.Item>
            <Descriptions.Item label={c.audience}>{item.expectedAudience}</Descriptions.Item>
            <Descriptions.Item label={d.requiresParent}>{item.requiresParent ? d.yes : d.no}</Descriptions.Item>
            <Descriptions.Item label={d.submittedAt}>
              {formatDateTime(item.submittedAt)} {`（${t.leadHint(item.leadDays)}）`}
            </Descriptions.Item>
            {item.decisionComment ? <Descriptions.Item label={d.decision}>{item.decisionComment}</Descriptions.Item> : null}
            {item.summary ? <Descriptions.Item label={d.summary}>{item.summary}</Descriptions.Item> : null}
            {item.attachments.length ? (
              <Descriptions.Item label={d.attachments}>
                {item.attachments.map((a) => (
                  <div key={a.id}>
                    <a href={`/api/attachments/${a.id}/download`}>
                      <PaperClipOutlined /> {a.name}
                    </a>
                  </div>
                ))}
              </Descriptions.Item>
            ) : null}
          </Descriptions>
          {modal ? <TextModal item={item} action={modal} onClose={() => setModal(null)} /> : null}
          <FilingForm open={editing} item={item} onClose={() => setEditing(false)} />
        </>
      ) : null}
    </Drawer>
  );
}
