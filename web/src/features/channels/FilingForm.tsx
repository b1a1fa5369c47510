import { MinusCircleOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import type { EventFilingDetail } from '@dutyledger/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, DatePicker, Drawer, Form, Input, InputNumber, Select, Space, TreeSelect, Upload, type UploadFile } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { api } from '../../lib/api';
import { dayjs } from '../../lib/format';
import { applyServerErrors } from '../../lib/forms';
import { useDrawerWidth } from '../../lib/hooks';
import { errorText, showError, toastSuccess } from '../../lib/notify';
import { useCurrentMe } from '../../lib/session';
import { unitTreeSelectData } from '../../lib/units';
import { uploadAttachment } from '../duty/api';
import { useUnits } from '../org/api';
import { filingsKey, useChannelDict } from './api';
import { channelStrings } from './strings';

const t = channelStrings.filings.form;
interface Values {
  unitId: string;
  kindId: string;
  topic: string;
  speakers?: { name: string; affiliation?: string }[];
  venue: string;
  startsAt: dayjs.Dayjs;
  endsAt?: dayjs.Dayjs | null;
  expectedAudience?: number | null;
}

export function FilingForm({ open, item, onClose }: { open: boolean; item: EventFilingDetail | null; onClose: () => void }) {
  const [form] = Form.useForm<Values>();
  const width = useDrawerWidth(600);
  const me = useCurrentMe();
  const qc = useQueryClient();
  const { data: units } = useUnits(false);
  const unitTree = useMemo(() => unitTreeSelectData(units ?? [], (u) => !u.active), [units]);
  const { data: kinds } = useChannelDict('eventKind');
  const [files, setFiles] = useState<UploadFile<{ id: string }>[]>([]);
  const unitId = Form.useWatch('unitId', form);
  const kindId = Form.useWatch('kindId', form);
  const kind = kinds?.find((k) => k.id === kindId);
  const defaultUnitId = me.posts.find((p) => p.id === me.currentPostId)?.unitId;

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    setFiles([]);
    if (item)
      form.setFieldsValue({
        ...item,
        startsAt: dayjs(item.startsAt),
        endsAt: item.endsAt ? dayjs(item.endsAt) : null,
      });
    else form.setFieldsValue({ unitId: defaultUnitId, speakers: [] });
  }, [open, item, form, defaultUnitId]);

  const save = useMutation({
    mutationFn: (v: Values) => {
      const body = {
        kindId: v.kindId,
        topic: v.topic.trim(),
        speakers: (v.speakers ?? []).map((s) => ({ name: s.name.trim(), affiliation: (s.affiliation ?? '').trim() })),
        venue: v.venue.trim(),
        startsAt: v.startsAt.toISOString(),
        endsAt: v.endsAt ? v.endsAt.toISOString() : null,
        expectedAudience: v.expectedAudience ?? 0,
        attachmentIds: files.flatMap((f) => (f.status === 'done' && f.response?.id ? [f.response.id] : [])),
      };
      return item ? api.patch(`/api/event-filings/${item.id}`, body) : api.post('/api/event-filings', { ...body, unitId: v.unitId });
    },
    onSuccess: async () => {
      toastSuccess(item ? channelStrings.filings.done.saved! : channelStrings.filings.done.created!);
      await qc.invalidateQueries({ queryKey: filingsKey });
      onClose();
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
          <Button type="primary" loading={save.isPending} onClick={() => form.submit()} data-testid="filing-save">
            {channelStrings.common.save}
          </Button>
        </Space>
      }
    >
      <Form form={form} layout="vertical" onFinish={(v) => save.mutate(v)}>
        <Form.Item name="unitId" label={t.unit} rules={[{ required: true, message: t.unitRequired }]}>
          <TreeSelect treeData={unitTree} showSearch treeNodeFilterProp="title" treeDefaultExpandAll disabled={!!item} />
        </Form.Item>
        <Form.Item
          name="kindId"
          label={t.kind}
          rules={[{ required: true, message: t.kindRequired }]}
          extra={kind ? channelStrings.filings.leadHint(kind.leadDays) : undefined}
        >
          <Select options={(kinds ?? []).filter((k) => k.active).map((k) => ({ value: k.id, label: k.name }))} data-testid="filing-kind" />
        </Form.Item>
        <Form.Item name="topic" label={t.topic} rules={[{ required: true, whitespace: true, message: t.topicRequired }]}>
          <Input maxLength={300} data-testid="filing-topic" />
        </Form.Item>
        <Form.Item label={t.speakers}>
          <Form.List name="speakers">
            {(fields, { add, remove }) => (
              <>
                {fields.map((f) => (
                  <Space key={f.key} align="baseline" wrap>
                    <Form.Item name={[f.name, 'name']} rules={[{ required: true, whitespace: true, message: t.speakerNameRequired }]}>
                      <Input placeholder={t.speakerName} maxLength={50} />
                    </Form.Item>
                    <Form.Item name={[f.name, 'affiliation']}>
                      <Input placeholder={t.speakerAffiliation} maxLength={200} />
                    </Form.Item>
                    <MinusCircleOutlined onClick={() => remove(f.name)} />
                  </Space>
                ))}
                <Button type="dashed" onClick={() => add({ name: '', affiliation: '' })} icon={<PlusOutlined />}>
                  {t.addSpeaker}
                </Button>
              </>
            )}
          </Form.List>
        </Form.Item>
        <Form.Item name="venue" label={t.venue} rules={[{ required: true, whitespace: true, message: t.venueRequired }]}>
          <Input maxLength={300} data-testid="filing-venue" />
        </Form.Item>
        <Form.Item name="startsAt" label={t.startsAt} rules={[{ required: true, message: t.startsAtRequired }]}>
          <DatePicker showTime style={{ width: '100%' }} data-testid="filing-starts" />
        </Form.Item>
        <Form.Item name="endsAt" label={t.endsAt}>
          <DatePicker showTime style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="expectedAudience" label={t.audience}>
          <InputNumber min={0} max={1000000} style={{ width: '100%' }} />
        </Form.Item>
        {unitId || item ? (
          <Form.Item label={t.outline}>
            <Upload<{ id: string }>
              fileList={files}
              onChange={({ fileList }) => setFiles(fileList)}
              customRequest={({ file, onSuccess, onError }) => {
                uploadAttachment(item?.unitId ?? unitId, file as File)
                  .then((a) => onSuccess?.(a))
                  .catch((e: unknown) => {
                    showError(e);
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
