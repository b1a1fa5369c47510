import { PaperClipOutlined } from '@ant-design/icons';
import type { PublicationDetail, PublicationState } from '@dutyledger/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Checkbox,
  DatePicker,
  Descriptions,
  Drawer,
  Empty,
  Form,
  Input,
  Modal,
  Popconfirm,
  Space,
  Spin,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import { useState } from 'react';
import { api } from '../../lib/api';
import { type dayjs, formatDateTime } from '../../lib/format';
import { applyServerErrors } from '../../lib/forms';
import { useDrawerWidth } from '../../lib/hooks';
import { errorText, showError, toastSuccess } from '../../lib/notify';
import { useCurrentMe } from '../../lib/session';
import { publicationsKey, useChannelDict, usePublication } from './api';
import { PublicationForm } from './PublicationForm';
import { channelStrings } from './strings';

const t = channelStrings.publications;

export const publicationStateColors: Record<PublicationState, string> = {
  draft: 'default',
  review1: 'processing',
  review2: 'processing',
  review3: 'processing',
  toPublish: 'gold',
  published: 'green',
  returned: 'red',
  withdrawn: 'magenta',
};
export function PublicationStateTag({ state, label }: { state: PublicationState; label: string }) {
  return (
    <Tag color={publicationStateColors[state]} data-testid="publication-state">
      {label}
    </Tag>
  );
}

type ModalKind = null | 'approve' | 'return' | 'publish' | 'withdraw';

function ReviewModal({ item, kind, onClose }: { item: PublicationDetail; kind: 'approve' | 'return'; onClose: () => void }) {
  const [form] = Form.useForm<{ checked: string[]; comment?: string }>();
  const { data: checks } = useChannelDict('reviewCheck');
  const active = (checks ?? []).filter((c) => c.active);
  const qc = useQueryClient();
  const level = item.state === 'review1' ? 1 : item.state === 'review2' ? 2 : 3;
  const act = useMutation({
    mutationFn: (v: { checked?: string[]; comment?: string }) =>
      api.post(`/api/publications/${item.id}/${kind}`, {
        comment: (v.comment ?? '').trim(),
        checklist: active.map((c) => ({ itemId: c.id, ok: (v.checked ?? []).includes(c.id) })),
        level,
      }),
    onSuccess: async () => {
      toastSuccess(t.done[kind]!);
      await qc.invalidateQueries({ queryKey: publicationsKey });
      onClose();
    },
    onError: (e) => applyServerErrors(form, e),
  });
  return (
    <Modal
      open
      title={kind === 'approve' ? t.review.approveTitle : t.review.returnTitle}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={channelStrings.common.ok}
      cancelText={channelStrings.common.cancel}
      confirmLoading={act.isPending}
      okButtonProps={{ danger: kind === 'return', 'data-testid': 'review-ok' }}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" onFinish={(v) => act.mutate(v)} initialValues={{ checked: kind === 'approve' ? [] : [] }}>
        <Form.Item
          name="checked"
          label={t.review.checklist}
          rules={
            kind === 'approve'
              ? [
                  {
                    validator: (_, v: string[] = []) =>
                      v.length === active.length ? Promise.resolve() : Promise.reject(new Error(t.review.checklistAll)),
                  },
                ]
              : []
          }
        >
          <Checkbox.Group options={active.map((c) => ({ value: c.id, label: c.name }))} data-testid="review-checklist" />
        </Form.Item>
        <Form.Item
          name="comment"
          label={kind === 'approve' ? t.review.comment : t.review.reason}
          rules={kind === 'return' ? [{ required: true, whitespace: true, message: t.review.reasonRequired }] : []}
        >
          <Input.TextArea rows={4} maxLength={2000} data-testid="review-comment" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function PublishModal({ item, onClose }: { item: PublicationDetail; onClose: () => void }) {
  const [form] = Form.useForm<{ url: string; at?: dayjs.Dayjs }>();
  const qc = useQueryClient();
  const act = useMutation({
    mutationFn: (v: { url: string; at?: dayjs.Dayjs }) =>
      api.post(`/api/publications/${item.id}/publish`, { url: v.url.trim(), publishedAt: v.at ? v.at.toISOString() : undefined }),
    onSuccess: async () => {
      toastSuccess(t.done.publish!);
      await qc.invalidateQueries({ queryKey: publicationsKey });
      onClose();
    },
    onError: (e) => applyServerErrors(form, e),
  });
  return (
    <Modal
      open
      title={t.publish.title}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={channelStrings.common.ok}
      cancelText={channelStrings.common.cancel}
      confirmLoading={act.isPending}
      okButtonProps={{ 'data-testid': 'publish-ok' }}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" onFinish={(v) => act.mutate(v)}>
        <Form.Item
          name="url"
          label={t.publish.url}
          rules={[
            { required: true, whitespace: true, message: t.publish.urlRequired },
            // the server refuses other schemes too (javascript:, data:): the link is shown to every reader
            { pattern: /^\s*https?:\/\/[^\s/]/i, message: t.publish.urlScheme },
          ]}
        >
          <Input maxLength={1000} placeholder="https://" data-testid="publish-url" />
        </Form.Item>
        <Form.Item name="at" label={t.publish.at}>
          <DatePicker showTime style={{ width: '100%' }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function WithdrawModal({ item, onClose }: { item: PublicationDetail; onClose: () => void }) {
  const [form] = Form.useForm<{ reason: string }>();
  const qc = useQueryClient();
  const act = useMutation({
    mutationFn: (v: { reason: string }) => api.post(`/api/publications/${item.id}/withdraw`, { reason: v.reason.trim() }),
    onSuccess: async () => {
      toastSuccess(t.done.withdraw!);
      await qc.invalidateQueries({ queryKey: publicationsKey });
      onClose();
    },
    onError: (e) => applyServerErrors(form, e),
  });
  return (
    <Modal
      open
      title={t.withdraw.title}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={channelStrings.common.ok}
      cancelText={channelStrings.common.cancel}
      confirmLoading={act.isPending}
      okButtonProps={{ danger: true, 'data-testid': 'withdraw-ok' }}
      destroyOnHidden
    >
      <Alert type="warning" showIcon message={t.withdraw.warning} style={{ marginBottom: 12 }} />
      <Form form={form} layout="vertical" onFinish={(v) => act.mutate(v)}>
        <Form.Item
          name="reason"
          label={t.withdraw.reason}
          rules={[{ required: true, whitespace: true, message: t.withdraw.reasonRequired }]}
        >
          <Input.TextArea rows={3} maxLength={2000} data-testid="withdraw-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** Rich text that the server has sanitized (sanitize-html allow-list) before storing it. */
function SanitizedHtml({ html }: { html: string }) {
  return (
    <div
      className="dl-rich-text"
      style={{ border: '1px solid #f0f0f0', padding: 12, margin: '8px 0 16px', overflowWrap: 'anywhere' }}
      // biome-ignore lint/security/noDangerouslySetInnerHtml: the server sanitized it (sanitize-html allow-list) before storing it
      dangerouslySetInnerHTML={{ __html: html }}
      data-testid="publication-body-view"
    />
  );
}

/** Detail of an item: body, history, and the actions the caller may take in its state. */
export function PublicationDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const width = useDrawerWidth(720);
  const me = useCurrentMe();
  const qc = useQueryClient();
  const { data: item, isLoading, error } = usePublication(id);
  const [modal, setModal] = useState<ModalKind>(null);
  const [editing, setEditing] = useState(false);
  const submit = useMutation({
    mutationFn: () => api.post(`/api/publications/${id}/submit`),
    onSuccess: async () => {
      toastSuccess(t.done.submit!);
      await qc.invalidateQueries({ queryKey: publicationsKey });
    },
    onError: (e) => showError(e),
  });
  const d = t.detail;
  const isAuthor = item?.authorId === me.id;
  const editable = isAuthor && (item?.state === 'draft' || item?.state === 'returned');
  const actions = item ? (
    <Space wrap>
      {editable ? (
        <>
          <Button onClick={() => setEditing(true)} data-testid="publication-edit">
            {t.actions.edit}
          </Button>
          <Popconfirm
            title={t.actions.submitConfirm}
            onConfirm={() => submit.mutate()}
            okText={channelStrings.common.ok}
            cancelText={channelStrings.common.cancel}
            okButtonProps={{ 'data-testid': 'publication-submit-confirm' } as never}
          >
            <Button type="primary" loading={submit.isPending} data-testid="publication-submit">
              {t.actions.submit}
            </Button>
          </Popconfirm>
        </>
      ) : null}
      {item.canReview ? (
        <>
          <Button type="primary" onClick={() => setModal('approve')} data-testid="publication-approve">
            {t.actions.approve}
          </Button>
          <Button danger onClick={() => setModal('return')} data-testid="publication-return">
            {t.actions.return}
          </Button>
        </>
      ) : null}
      {item.state === 'toPublish' ? (
        <Button type="primary" onClick={() => setModal('publish')} data-testid="publication-publish">
          {t.actions.publish}
        </Button>
      ) : null}
      {item.state === 'published' ? (
        <Button danger onClick={() => setModal('withdraw')} data-testid="publication-withdraw">
          {t.actions.withdraw}
        </Button>
      ) : null}
    </Space>
  ) : null;
  return (
    <Drawer title={d.title} open={!!id} onClose={onClose} width={width} destroyOnHidden extra={actions}>
      {isLoading ? <Spin /> : null}
      {error ? <Alert type="error" showIcon message={errorText(error)} /> : null}
      {item ? (
        <>
          <Typography.Title level={5} data-testid="publication-title-view">
            {item.title}
          </Typography.Title>
          <Descriptions size="small" column={1} bordered style={{ marginBottom: 16 }}>
            <Descriptions.Item label={d.channel}>
              {item.channelName}（{item.unitName}）
            </Descriptions.Item>
            <Descriptions.Item label={d.author}>{item.authorName}</Descriptions.Item>
            <Descriptions.Item label={d.state}>
              <PublicationStateTag state={item.state} label={item.stateLabel} />
            </Descriptions.Item>
            <Descriptions.Item label={d.levels}>{channelStrings.channels.levels(item.levels)}</Descriptions.Item>
            <Descriptions.Item label={d.planned}>{formatDateTime(item.plannedAt)}</Descriptions.Item>
            {item.publishedUrl ? (
              <Descriptions.Item label={d.published}>
                <a href={item.publishedUrl} target="_blank" rel="noopener noreferrer" data-testid="publication-url">
                  {item.publishedUrl}
                </a>
              </Descriptions.Item>
            ) : null}
            {item.publishedAt ? <Descriptions.Item label={d.publishedAt}>{formatDateTime(item.publishedAt)}</Descriptions.Item> : null}
            {item.state === 'returned' && item.returnReason ? (
              <Descriptions.Item label={d.returnReason}>{item.returnReason}</Descriptions.Item>
            ) : null}
            {item.withdrawReason ? <Descriptions.Item label={d.withdrawReason}>{item.withdrawReason}</Descriptions.Item> : null}
          </Descriptions>
          <Typography.Text strong>{d.body}</Typography.Text>
          <SanitizedHtml html={item.body} />
          {item.attachments.length ? (
            <div style={{ marginBottom: 16 }}>
              <Typography.Text strong>{d.attachments}</Typography.Text>
              {item.attachments.map((a) => (
                <div key={a.id}>
                  <a href={`/api/attachments/${a.id}/download`}>
                    <PaperClipOutlined /> {a.name}
                  </a>
                </div>
              ))}
            </div>
          ) : null}
          <Typography.Text strong>{d.history}</Typography.Text>
          {item.steps.length === 0 ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={d.noHistory} />
          ) : (
            <Timeline
              style={{ marginTop: 12 }}
              data-testid="publication-history"
              items={item.steps.map((s) => ({
                color: s.action === 'return' || s.action === 'withdraw' ? 'red' : s.action === 'publish' ? 'green' : 'blue',
                children: (
                  <div>
                    <div>
                      <strong>{t.stepLabels[s.action] ?? s.action}</strong>
                      {s.level ? `（${['初审', '复审', '终审'][s.level - 1]}）` : ''} · {s.actorName} · {formatDateTime(s.createdAt)}
                    </div>
                    {s.comment ? <div>{s.comment}</div> : null}
                    {s.checklist.length ? (
                      <div>
                        {d.checklist}：
                        {s.checklist.map((c) => (
                          <Tag key={c.itemId} color={c.ok ? 'green' : 'red'}>
                            {c.name}
                          </Tag>
                        ))}
                      </div>
                    ) : null}
                  </div>
                ),
              }))}
            />
          )}
          {modal === 'approve' || modal === 'return' ? <ReviewModal item={item} kind={modal} onClose={() => setModal(null)} /> : null}
          {modal === 'publish' ? <PublishModal item={item} onClose={() => setModal(null)} /> : null}
          {modal === 'withdraw' ? <WithdrawModal item={item} onClose={() => setModal(null)} /> : null}
          <PublicationForm open={editing} item={item} onClose={() => setEditing(false)} />
        </>
      ) : null}
    </Drawer>
  );
}
