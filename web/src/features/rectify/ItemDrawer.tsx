import { PaperClipOutlined, UploadOutlined } from '@ant-design/icons';
import type { RectifyItem, RectifyItemAction, RectifyItemState } from '@dutyledger/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Descriptions, Drawer, Form, Input, List, Modal, Popconfirm, Space, Spin, Tag, Upload, type UploadFile } from 'antd';
import { useState } from 'react';
import { api } from '../../lib/api';
import { formatDate, formatDateTimeShort } from '../../lib/format';
import { useDrawerWidth } from '../../lib/hooks';
import { errorText, showError, toastSuccess } from '../../lib/notify';
import { uploadAttachment } from '../duty/api';
import { rectifyKey, useRectifyItem } from './api';
import { rectifyStrings } from './strings';

const t = rectifyStrings;
const stateColors: Record<RectifyItemState, string> = { open: 'processing', submitted: 'gold', signedOff: 'green' };

export function ItemStateTag({ item }: { item: Pick<RectifyItem, 'state' | 'stateLabel' | 'overdue'> }) {
  return (
    <Space size={4}>
      <Tag color={stateColors[item.state]}>{item.stateLabel}</Tag>
      {item.overdue ? <Tag color="red">{t.item.overdue}</Tag> : null}
    </Space>
  );
}

type ModalKind = 'submit' | 'return' | 'reopen' | null;

function ActionModal({ item, kind, onClose }: { item: RectifyItem; kind: ModalKind; onClose: () => void }) {
  const [form] = Form.useForm<{ text: string }>();
  const [files, setFiles] = useState<UploadFile<{ id: string }>[]>([]);
  const qc = useQueryClient();
  const run = useMutation({
    mutationFn: ({ text }: { text: string }) => {
      const body =
        kind === 'submit'
          ? { progress: text.trim(), attachmentIds: files.flatMap((f) => (f.status === 'done' && f.response?.id ? [f.response.id] : [])) }
          : kind === 'return'
            ? { reason: text.trim() }
            : { result: 'reopened', note: text.trim() };
      const path = kind === 'submit' ? 'submit' : kind === 'return' ? 'return' : 'recheck';
      return api.post<RectifyItem>(`/api/rectify-items/${item.id}/${path}`, body);
    },
    onSuccess: async () => {
      toastSuccess(t.actions.done);
      await qc.invalidateQueries({ queryKey: rectifyKey });
      onClose();
    },
    onError: (e) => showError(e),
  });
  if (!kind) return null;
  const label = kind === 'submit' ? t.actions.submit : kind === 'return' ? t.actions.return : t.actions.reopen;
  const required = kind === 'submit' ? t.actions.progressRequired : kind === 'return' ? t.actions.reasonRequired : t.actions.reopenRequired;
  return (
    <Modal
      title={label}
      open
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t.actions.ok}
      cancelText={t.actions.cancel}
      confirmLoading={run.isPending}
      okButtonProps={{ disabled: files.some((f) => f.status === 'uploading'), 'data-testid': 'rectify-modal-ok' }}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" onFinish={(v) => run.mutate(v)}>
        <Form.Item name="text" label={label} rules={[{ required: true, whitespace: true, message: required }]}>
          <Input.TextArea rows={4} maxLength={kind === 'submit' ? 5000 : 2000} data-testid="rectify-modal-text" />
        </Form.Item>
        {kind === 'submit' ? (
          <Form.Item label={t.item.attachments}>
            <Upload<{ id: string }>
              fileList={files}
              onChange={({ fileList }) => setFiles(fileList)}
              customRequest={({ file, onSuccess, onError }) => {
                uploadAttachment(item.unitId, file as File)
                  .then((a) => onSuccess?.(a))
                  .catch((e: unknown) => {
                    showError(e, t.actions.uploadFailed);
                    onError?.(e instanceof Error ? e : new Error(errorText(e)));
                  });
              }}
            >
              <Button icon={<UploadOutlined />}>{t.actions.upload}</Button>
            </Upload>
          </Form.Item>
        ) : null}
      </Form>
    </Modal>
  );
}

/** The buttons of exactly the actions the server says the caller may take now. */
export function ItemActions({ item, size }: { item: RectifyItem; size?: 'small' }) {
  const [modal, setModal] = useState<ModalKind>(null);
  const qc = useQueryClient();
  const direct = useMutation({
    mutationFn: (action: RectifyItemAction) =>
      action === 'signOff'
        ? api.post<RectifyItem>(`/api/rectify-items/${item.id}/sign-off`, {})
        : api.post<RectifyItem>(`/api/rectify-items/${item.id}/recheck`, { result: 'passed' }),
    onSuccess: async () => {
      toastSuccess(t.actions.done);
      await qc.invalidateQueries({ queryKey: rectifyKey });
    },
    onError: (e) => showError(e),
  });
  const stop = (e: React.MouseEvent) => e.stopPropagation();
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: only keeps row clicks from opening the drawer
    // biome-ignore lint/a11y/useKeyWithClickEvents: see above
    <span onClick={stop}>
      <Space size={0} wrap>
        {item.actions.includes('submit') ? (
          <Button type="link" size={size} onClick={() => setModal('submit')} data-testid="rectify-submit">
            {t.actions.submit}
          </Button>
        ) : null}
        {item.actions.includes('signOff') ? (
          <Popconfirm
            title={t.actions.signOffConfirm}
            onConfirm={() => direct.mutate('signOff')}
            okText={t.actions.ok}
            cancelText={t.actions.cancel}
          >
            <Button type="link" size={size} data-testid="rectify-signoff">
              {t.actions.signOff}
            </Button>
          </Popconfirm>
        ) : null}
        {item.actions.includes('return') ? (
          <Button type="link" size={size} danger onClick={() => setModal('return')} data-testid="rectify-return">
            {t.actions.return}
          </Button>
        ) : null}
        {item.actions.includes('recheckPass') ? (
          <Popconfirm
            title={t.actions.recheckPassConfirm}
            onConfirm={() => direct.mutate('recheckPass')}
            okText={t.actions.ok}
            cancelText={t.actions.cancel}
          >
            <Button type="link" size={size} data-testid="rectify-recheck-pass">
              {t.actions.recheckPass}
            </Button>
          </Popconfirm>
        ) : null}
        {item.actions.includes('reopen') ? (
          <Button type="link" size={size} danger onClick={() => setModal('reopen')} data-testid="rectify-reopen">
            {t.actions.reopen}
          </Button>
        ) : null}
      </Space>
      <ActionModal item={item} kind={modal} onClose={() => setModal(null)} />
    </span>
  );
}

export function ItemDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const width = useDrawerWidth(560);
  const { data: item, isLoading, isError, error } = useRectifyItem(id);
  return (
    <Drawer title={t.item.measure} width={width} open={!!id} onClose={onClose} destroyOnHidden>
      {isLoading ? <Spin /> : null}
      {isError ? <Alert type="error" showIcon message={errorText(error)} /> : null}
      {item ? (
        <Space direction="vertical" style={{ width: '100%' }} size="middle" data-testid="rectify-item-drawer">
          <Descriptions column={1} size="small" bordered>
            <Descriptions.Item label={t.item.inspection}>{item.inspectionTitle}</Descriptions.Item>
            <Descriptions.Item label={t.item.finding}>{item.findingText}</Descriptions.Item>
            <Descriptions.Item label={t.item.measure}>{item.measure}</Descriptions.Item>
            <Descriptions.Item label={t.item.unit}>{item.unitName}</Descriptions.Item>
            {item.ownerPersonName ? <Descriptions.Item label={t.item.owner}>{item.ownerPersonName}</Descriptions.Item> : null}
            <Descriptions.Item label={t.item.deadline}>{formatDateTimeShort(item.deadline)}</Descriptions.Item>
            <Descriptions.Item label={t.item.state}>
              <ItemStateTag item={item} />
            </Descriptions.Item>
            {item.requiredEvidence ? <Descriptions.Item label={t.item.requiredEvidence}>{item.requiredEvidence}</Descriptions.Item> : null}
            {item.progress ? <Descriptions.Item label={t.item.progress}>{item.progress}</Descriptions.Item> : null}
            {item.returnReason && item.state === 'open' ? (
              <Descriptions.Item label={t.item.returnReason}>{item.returnReason}</Descriptions.Item>
            ) : null}
            {item.reopenReason ? <Descriptions.Item label={t.item.reopenReason}>{item.reopenReason}</Descriptions.Item> : null}
            {item.signedOffAt ? (
              <Descriptions.Item label={t.item.signedOffAt}>{formatDateTimeShort(item.signedOffAt)}</Descriptions.Item>
            ) : null}
            {item.recheckDueAt ? <Descriptions.Item label={t.item.recheckDueAt}>{formatDate(item.recheckDueAt)}</Descriptions.Item> : null}
          </Descriptions>
          <ItemActions item={item} />
          <List
            size="small"
            header={t.item.attachments}
            locale={{ emptyText: t.item.noAttachments }}
            dataSource={item.attachments}
            renderItem={(a) => (
              <List.Item>
                <a href={`/api/attachments/${a.id}/download`}>
                  <PaperClipOutlined /> {a.name}
                </a>
              </List.Item>
            )}
          />
          {item.rechecks.length ? (
            <List
              size="small"
              header={t.item.rechecks}
              dataSource={item.rechecks}
              renderItem={(r) => (
                <List.Item>
                  <Space wrap>
                    <Tag>{t.item.recheckStates[r.state]}</Tag>
                    {formatDate(r.checkedAt ?? r.dueAt)}
                    {r.checkedByName ?? ''}
                    {r.note ?? ''}
                  </Space>
                </List.Item>
              )}
            />
          ) : null}
        </Space>
      ) : null}
    </Drawer>
  );
}
