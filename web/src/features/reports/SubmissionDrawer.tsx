import { PaperClipOutlined, UploadOutlined } from '@ant-design/icons';
import type { SubmissionDetail, SubmissionRow, SubmissionState } from '@dutyledger/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Descriptions,
  Drawer,
  Form,
  Input,
  List,
  Modal,
  Popconfirm,
  Space,
  Spin,
  Tag,
  Typography,
  Upload,
  type UploadFile,
} from 'antd';
import { useEffect, useState } from 'react';
import { api } from '../../lib/api';
import { formatDateTimeShort } from '../../lib/format';
import { applyServerErrors } from '../../lib/forms';
import { useDrawerWidth } from '../../lib/hooks';
import { showError, toastSuccess } from '../../lib/notify';
import { uploadAttachment } from '../duty/api';
import { reportsKey, useSubmission } from './api';
import { reportsStrings } from './strings';

const t = reportsStrings.submission;

export const submissionStateColors: Record<SubmissionState, string> = {
  notSubmitted: 'default',
  draft: 'processing',
  submitted: 'gold',
  returned: 'red',
  accepted: 'green',
};

export function SubmissionStateTag({ row }: { row: Pick<SubmissionRow, 'state' | 'stateLabel' | 'late' | 'lateDays'> }) {
  return (
    <Space size={4}>
      <Tag color={submissionStateColors[row.state]} data-testid="submission-state">
        {row.stateLabel}
      </Tag>
      {row.late ? <Tag color="red">{t.late(row.lateDays)}</Tag> : null}
    </Space>
  );
}

/** 退回 (with reason) and 采纳, for the opening unit's side. */
export function ReviewActions({ row, size }: { row: Pick<SubmissionRow, 'id' | 'actions'>; size?: 'small' }) {
  const qc = useQueryClient();
  const [returning, setReturning] = useState(false);
  const [form] = Form.useForm<{ reason: string }>();
  const act = useMutation({
    mutationFn: (v: { action: 'return' | 'accept'; reason?: string }) =>
      api.post<SubmissionDetail>(`/api/report-submissions/${row.id}/${v.action}`, v.action === 'return' ? { reason: v.reason } : {}),
    onSuccess: async (_, v) => {
      toastSuccess(v.action === 'return' ? t.returned : t.accepted);
      setReturning(false);
      await qc.invalidateQueries({ queryKey: reportsKey });
    },
    onError: (e) => applyServerErrors(form, e),
  });
  if (!row.id) return null;
  return (
    <>
      {row.actions.includes('return') ? (
        <Button size={size} type="link" danger onClick={() => setReturning(true)} data-testid="submission-return">
          {t.return}
        </Button>
      ) : null}
      {row.actions.includes('accept') ? (
        <Popconfirm
          title={t.acceptConfirm}
          okText={t.ok}
          cancelText={t.cancel}
          onConfirm={() => act.mutateAsync({ action: 'accept' }).catch(() => undefined)}
        >
          <Button size={size} type="link" data-testid="submission-accept">
            {t.accept}
          </Button>
        </Popconfirm>
      ) : null}
      <Modal
        title={t.returnTitle}
        open={returning}
        onCancel={() => setReturning(false)}
        onOk={() => form.submit()}
        okText={t.ok}
        cancelText={t.cancel}
        confirmLoading={act.isPending}
        okButtonProps={{ 'data-testid': 'submission-return-ok' } as Record<string, string>}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" onFinish={(v) => act.mutate({ action: 'return', reason: v.reason.trim() })}>
          <Form.Item
            name="reason"
            label={t.returnReasonLabel}
            rules={[
              { required: true, whitespace: true, message: t.returnReasonRequired },
              { max: 2000, message: t.returnReasonRequired },
            ]}
          >
            <Input.TextArea rows={4} maxLength={2000} data-testid="submission-return-reason" />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

type SectionFiles = Record<string, UploadFile<{ id: string }>[]>;

/** A submission: read it, or (草稿/退回, filer side) edit each section, attach files, save and 报送. */
export function SubmissionDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const width = useDrawerWidth(760);
  const qc = useQueryClient();
  const { data, isLoading } = useSubmission(id);
  const [form] = Form.useForm<Record<string, string>>();
  const [files, setFiles] = useState<SectionFiles>({});
  const editable = !!data?.actions.includes('edit');
  useEffect(() => {
    if (data) form.setFieldsValue(Object.fromEntries(data.sections.map((s) => [s.key, s.text])));
    setFiles({});
  }, [data, form]);

  const body = () => {
    const values = form.getFieldsValue();
    return {
      version: data?.version,
      sections: (data?.sections ?? []).map((s) => ({
        key: s.key,
        text: values[s.key] ?? s.text,
        attachmentIds: (files[s.key] ?? []).flatMap((f) => (f.status === 'done' && f.response?.id ? [f.response.id] : [])),
      })),
    };
  };
  const save = useMutation({
    mutationFn: () => api.put<SubmissionDetail>(`/api/report-submissions/${id}`, body()),
    onSuccess: async () => {
      toastSuccess(t.saved);
      await qc.invalidateQueries({ queryKey: reportsKey });
    },
    onError: (e) => applyServerErrors(form, e),
  });
  const submit = useMutation({
    mutationFn: async () => {
      if (editable) await api.put<SubmissionDetail>(`/api/report-submissions/${id}`, body());
      return api.post<SubmissionDetail>(`/api/report-submissions/${id}/submit`);
    },
    onSuccess: async () => {
      toastSuccess(t.submitted);
      await qc.invalidateQueries({ queryKey: reportsKey });
    },
    onError: (e) => showError(e),
  });
  const uploading = Object.values(files).some((l) => l.some((f) => f.status === 'uploading'));

  return (
    <Drawer
      title={data ? t.title(data.unitName, data.windowTitle) : ''}
      open={!!id}
      onClose={onClose}
      width={width}
      destroyOnHidden
      footer={
        data ? (
          <Space wrap style={{ width: '100%', justifyContent: 'flex-end' }}>
            <Button href={`/api/report-submissions/${data.id}/docx`}>{t.docx}</Button>
            <ReviewActions row={data} />
            {editable ? (
              <Button onClick={() => save.mutate()} loading={save.isPending} disabled={uploading} data-testid="submission-save">
                {t.save}
              </Button>
            ) : null}
            {data.actions.includes('submit') ? (
              <Popconfirm
                title={t.submitConfirm}
                okText={t.ok}
                cancelText={t.cancel}
                onConfirm={() => submit.mutateAsync().catch(() => undefined)}
              >
                <Button type="primary" loading={submit.isPending} disabled={uploading} data-testid="submission-submit">
                  {t.submit}
                </Button>
              </Popconfirm>
            ) : null}
          </Space>
        ) : null
      }
    >
      {isLoading || !data ? (
        <Spin />
      ) : (
        <div data-testid="submission-detail">
          <Descriptions size="small" column={1} style={{ marginBottom: 12 }}>
            <Descriptions.Item label={t.period}>{data.period.label}</Descriptions.Item>
            <Descriptions.Item label={t.closesAt}>{formatDateTimeShort(data.closesAt)}</Descriptions.Item>
            <Descriptions.Item label={t.submittedAt}>{formatDateTimeShort(data.submittedAt)}</Descriptions.Item>
            <Descriptions.Item label={reportsStrings.mine.columns.state}>
              <SubmissionStateTag row={data} />
            </Descriptions.Item>
          </Descriptions>
          {data.state === 'returned' && data.returnReason ? (
            <Alert
              type="warning"
              showIcon
              message={`${t.returnReason}：${data.returnReason}`}
              style={{ marginBottom: 12 }}
              data-testid="submission-return-alert"
            />
          ) : null}
          <Form form={form} layout="vertical">
            {data.sections.map((s) => (
              <div key={s.key} style={{ marginBottom: 16 }} data-testid={`section-${s.key}`}>
                <Typography.Title level={5} style={{ marginBottom: 4 }}>
                  {s.title} {s.requiredAttachment ? <Tag color="orange">{t.requiredAttachment}</Tag> : null}
                </Typography.Title>
                {s.guidance ? (
                  <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
                    {s.guidance}
                  </Typography.Paragraph>
                ) : null}
                {editable ? (
                  <Form.Item name={s.key} rules={[{ max: 20000, message: t.textMax }]} style={{ marginBottom: 8 }}>
                    <Input.TextArea autoSize={{ minRows: 3, maxRows: 16 }} maxLength={20000} data-testid={`section-text-${s.key}`} />
                  </Form.Item>
                ) : (
                  <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{s.text || t.empty}</Typography.Paragraph>
                )}
                {s.links.length ? (
                  <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginBottom: 4 }}>
                    {t.links}：
                    {s.links.map((l) => (
                      <Tag key={`${l.type}:${l.id}`} style={{ marginBottom: 4 }}>
                        {t.linkTypes[l.type] ?? l.type} · {l.label}
                      </Tag>
                    ))}
                  </Typography.Paragraph>
                ) : null}
                {s.attachments.length ? (
                  <List
                    size="small"
                    dataSource={s.attachments}
                    renderItem={(a) => (
                      <List.Item>
                        <a href={`/api/attachments/${a.id}/download`}>
                          <PaperClipOutlined /> {a.name}
                        </a>
                      </List.Item>
                    )}
                  />
                ) : null}
                {editable ? (
                  <Upload<{ id: string }>
                    fileList={files[s.key] ?? []}
                    onChange={({ fileList }) => setFiles((f) => ({ ...f, [s.key]: fileList }))}
                    customRequest={({ file, onSuccess, onError }) => {
                      uploadAttachment(data.unitId, file as File)
                        .then((att) => onSuccess?.(att))
                        .catch((e) => {
                          showError(e);
                          onError?.(e);
                        });
                    }}
                  >
                    <Button size="small" icon={<UploadOutlined />}>
                      {t.upload}
                    </Button>
                  </Upload>
                ) : null}
              </div>
            ))}
          </Form>
        </div>
      )}
    </Drawer>
  );
}
