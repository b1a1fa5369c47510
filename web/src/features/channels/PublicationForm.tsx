import { UploadOutlined } from '@ant-design/icons';
import type { PublicationDetail } from '@dutyledger/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, DatePicker, Drawer, Form, Input, Select, Space, Upload, type UploadFile } from 'antd';
import { useEffect, useState } from 'react';
import { api } from '../../lib/api';
import { dayjs } from '../../lib/format';
import { applyServerErrors } from '../../lib/forms';
import { useDrawerWidth } from '../../lib/hooks';
import { errorText, showError, toastSuccess } from '../../lib/notify';
import { uploadAttachment } from '../duty/api';
import { publicationsKey, useAllChannels } from './api';
import { channelStrings } from './strings';

const t = channelStrings.publications.form;

interface Values {
  channelId: string;
  title: string;
  body?: string;
  plannedAt?: dayjs.Dayjs | null;
}

/** Plain text (no tags) becomes one paragraph per line; HTML is sent as is (the server sanitizes it). */
export function toHtml(text: string): string {
  if (/<[a-z][\s\S]*>/i.test(text)) return text;
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return text
    .split(/\r?\n/)
    .filter((l) => l.trim())
    .map((l) => `<p>${esc(l.trim())}</p>`)
    .join('');
}
/** HTML back to editable text: paragraphs become lines (other markup is kept). */
export function toText(html: string): string {
  return html.replace(/<\/p>\s*<p>/g, '\n').replace(/^<p>|<\/p>$/g, '');
}

/** New draft (`item` null) or edit of a draft/returned item. */
export function PublicationForm({
  open,
  item,
  onClose,
  onSaved,
}: {
  open: boolean;
  item: PublicationDetail | null;
  onClose: () => void;
  onSaved?: (id: string) => void;
}) {
  const [form] = Form.useForm<Values>();
  const width = useDrawerWidth(640);
  const qc = useQueryClient();
  const { data: channels } = useAllChannels();
  const [files, setFiles] = useState<UploadFile<{ id: string }>[]>([]);
  const channelId = Form.useWatch('channelId', form);
  const unitId = item?.unitId ?? channels?.items.find((c) => c.id === channelId)?.unitId;

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    setFiles([]);
    if (item)
      form.setFieldsValue({
        channelId: item.channelId,
        title: item.title,
        body: toText(item.body),
        plannedAt: item.plannedAt ? dayjs(item.plannedAt) : null,
      });
  }, [open, item, form]);

  const save = useMutation({
    mutationFn: (v: Values) => {
      const body = {
        title: v.title.trim(),
        body: toHtml(v.body ?? ''),
        plannedAt: v.plannedAt ? v.plannedAt.toISOString() : null,
        attachmentIds: files.flatMap((f) => (f.status === 'done' && f.response?.id ? [f.response.id] : [])),
      };
      return item
        ? api.patch<PublicationDetail>(`/api/publications/${item.id}`, body)
        : api.post<PublicationDetail>('/api/publications', { ...body, channelId: v.channelId });
    },
    onSuccess: async (p) => {
      toastSuccess(item ? channelStrings.publications.done.saved : channelStrings.publications.done.created);
      await qc.invalidateQueries({ queryKey: publicationsKey });
      onClose();
      onSaved?.(p.id);
    },
    onError: (e) => applyServerErrors(form, e),
  });

  return (
    <Drawer
      title={item ? t.editTitle : t.createTitle}
      open={open}
      onClose={onClose}
      width={width}
      destroyOnHidden
      extra={
        <Space>
          <Button onClick={onClose}>{channelStrings.common.cancel}</Button>
          <Button
            type="primary"
            loading={save.isPending}
            disabled={files.some((f) => f.status === 'uploading')}
            onClick={() => form.submit()}
            data-testid="publication-save"
          >
            {channelStrings.common.save}
          </Button>
        </Space>
      }
    >
      <Form form={form} layout="vertical" onFinish={(v) => save.mutate(v)}>
        <Form.Item name="channelId" label={t.channel} rules={[{ required: true, message: t.channelRequired }]}>
          <Select
            disabled={!!item}
            showSearch
            optionFilterProp="label"
            options={(channels?.items ?? []).map((c) => ({
              value: c.id,
              label: `${c.name}（${c.unitName}，${channelStrings.channels.levels(c.reviewLevels)}审核）`,
            }))}
            data-testid="publication-channel"
          />
        </Form.Item>
        <Form.Item name="title" label={t.title} rules={[{ required: true, whitespace: true, message: t.titleRequired }]}>
          <Input maxLength={300} data-testid="publication-title" />
        </Form.Item>
        <Form.Item name="body" label={t.body} extra={t.bodyHelp}>
          <Input.TextArea rows={10} data-testid="publication-body" />
        </Form.Item>
        <Form.Item name="plannedAt" label={t.planned}>
          <DatePicker showTime style={{ width: '100%' }} />
        </Form.Item>
        {unitId ? (
          <Form.Item label={t.files}>
            <Upload<{ id: string }>
              fileList={files}
              onChange={({ fileList }) => setFiles(fileList)}
              customRequest={({ file, onSuccess, onError }) => {
                uploadAttachment(unitId, file as File)
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
        ) : null}
      </Form>
    </Drawer>
  );
}
