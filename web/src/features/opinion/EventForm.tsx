import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { type OpinionEventDetail, type OpinionLevel, opinionLevelLabels, opinionLevels } from '@dutyledger/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, DatePicker, Drawer, Form, Input, Select, Space, TreeSelect } from 'antd';
import type { Dayjs } from 'dayjs';
import { api } from '../../lib/api';
import { dayjs } from '../../lib/format';
import { applyServerErrors } from '../../lib/forms';
import { useDrawerWidth } from '../../lib/hooks';
import { toastSuccess } from '../../lib/notify';
import { unitTreeSelectData } from '../../lib/units';
import { useUnits } from '../org/api';
import { eventsKey, useCurrentUnit, usePlatforms, useResponsePlans } from './api';
import { useUploads } from './shared';
import { opinionStrings } from './strings';

const t = opinionStrings.events.form;
const c = opinionStrings.common;

interface Values {
  title: string;
  summary?: string;
  sources: { platformId: string; url?: string }[];
  firstSeenAt: Dayjs;
  level: OpinionLevel;
  relatedUnitIds?: string[];
  responsePlanId?: string | null;
}

/** Create (no `event`) or edit an opinion event. Never asks who posted anything. */
export function EventFormDrawer({
  open,
  event,
  onClose,
  onSaved,
}: {
  open: boolean;
  event?: OpinionEventDetail;
  onClose: () => void;
  onSaved?: (e: OpinionEventDetail) => void;
}) {
  const width = useDrawerWidth(600);
  const [form] = Form.useForm<Values>();
  const qc = useQueryClient();
  const unit = useCurrentUnit();
  const platforms = usePlatforms();
  const units = useUnits();
  const plans = useResponsePlans({}, 1, 200);
  const uploads = useUploads(event?.unitId ?? unit?.id);
  const save = useMutation({
    mutationFn: (v: Values) => {
      const body = {
        title: v.title.trim(),
        summary: (v.summary ?? '').trim(),
        sources: v.sources.map((s) => ({ platformId: s.platformId, url: (s.url ?? '').trim() })),
        level: v.level,
        relatedUnitIds: v.relatedUnitIds ?? [],
        responsePlanId: v.responsePlanId ?? null,
        attachmentIds: uploads.ids,
      };
      return event
        ? api.patch<OpinionEventDetail>(`/api/opinion-events/${event.id}`, body)
        : api.post<OpinionEventDetail>('/api/opinion-events', { ...body, unitId: unit?.id, firstSeenAt: v.firstSeenAt.toISOString() });
    },
    onSuccess: async (saved) => {
      toastSuccess(event ? t.updated : t.created);
      await qc.invalidateQueries({ queryKey: eventsKey });
      uploads.reset();
      form.resetFields();
      onSaved?.(saved);
      onClose();
    },
    onError: (e) => applyServerErrors(form, e),
  });
  const initial: Partial<Values> = event
    ? {
        title: event.title,
        summary: event.summary,
        sources: event.sources.map((s) => ({ platformId: s.platformId, url: s.url })),
        firstSeenAt: dayjs(event.firstSeenAt),
        level: event.level,
        relatedUnitIds: event.relatedUnitIds,
        responsePlanId: event.responsePlanId,
      }
    : { sources: [{ platformId: undefined as unknown as string, url: '' }], firstSeenAt: dayjs(), level: 'general' };
  return (
    <Drawer
      title={event ? t.titleEdit : t.titleCreate}
      open={open}
      onClose={onClose}
      width={width}
      destroyOnHidden
      footer={
        <Space>
          <Button onClick={onClose}>{c.cancel}</Button>
          <Button
            type="primary"
            loading={save.isPending}
            disabled={uploads.uploading}
            onClick={() => form.submit()}
            data-testid="event-save"
          >
            {c.save}
          </Button>
        </Space>
      }
    >
      <Alert type="info" showIcon message={opinionStrings.events.boundary} style={{ marginBottom: 16 }} />
      <Form<Values> form={form} layout="vertical" initialValues={initial} onFinish={(v) => save.mutate(v)}>
        <Form.Item label={t.unit}>
          <Input value={event?.unitName ?? unit?.name ?? c.noUnit} disabled />
        </Form.Item>
        <Form.Item
          name="title"
          label={t.title}
          rules={[
            { required: true, whitespace: true, message: c.required(t.title) },
            { max: 200, message: c.max(t.title, 200) },
          ]}
        >
          <Input placeholder={t.titlePlaceholder} maxLength={200} data-testid="event-title" />
        </Form.Item>
        <Form.Item name="summary" label={t.summary} rules={[{ max: 5000, message: c.max(t.summary, 5000) }]}>
          <Input.TextArea rows={3} placeholder={t.summaryPlaceholder} maxLength={5000} data-testid="event-summary" />
        </Form.Item>
        <Form.List
          name="sources"
          rules={[{ validator: async (_, v) => (v?.length ? undefined : Promise.reject(new Error(t.sourcesRequired))) }]}
        >
          {(fields, { add, remove }, { errors }) => (
            <Form.Item label={t.sources} required>
              {fields.map((f, i) => (
                <Space key={f.key} align="baseline" wrap style={{ display: 'flex', marginBottom: 4 }}>
                  <Form.Item name={[f.name, 'platformId']} rules={[{ required: true, message: t.platformRequired }]} noStyle>
                    <Select
                      style={{ width: 130 }}
                      placeholder={t.platform}
                      options={(platforms.data ?? []).filter((p) => p.active).map((p) => ({ value: p.id, label: p.name }))}
                      data-testid={`event-platform-${i}`}
                    />
                  </Form.Item>
                  <Form.Item name={[f.name, 'url']} rules={[{ pattern: /^(https?:\/\/.*)?$/i, message: t.urlInvalid }]} noStyle>
                    <Input style={{ width: 260 }} placeholder={t.url} maxLength={1000} />
                  </Form.Item>
                  {fields.length > 1 ? <MinusCircleOutlined onClick={() => remove(f.name)} /> : null}
                </Space>
              ))}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ platformId: undefined, url: '' })} size="small">
                {t.addSource}
              </Button>
              <Form.ErrorList errors={errors} />
            </Form.Item>
          )}
        </Form.List>
        {event ? null : (
          <Form.Item name="firstSeenAt" label={t.firstSeenAt} rules={[{ required: true, message: t.firstSeenRequired }]}>
            <DatePicker showTime style={{ width: '100%' }} disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
          </Form.Item>
        )}
        <Form.Item name="level" label={t.level} rules={[{ required: true, message: t.levelRequired }]}>
          <Select options={opinionLevels.map((l) => ({ value: l, label: opinionLevelLabels[l] }))} data-testid="event-level" />
        </Form.Item>
        <Form.Item name="relatedUnitIds" label={t.relatedUnits}>
          <TreeSelect multiple allowClear treeDefaultExpandAll treeData={unitTreeSelectData(units.data ?? [])} />
        </Form.Item>
        <Form.Item name="responsePlanId" label={t.plan}>
          <Select
            allowClear
            placeholder={t.planPlaceholder}
            options={(plans.data?.items ?? []).map((p) => ({ value: p.id, label: `${p.title}（${p.unitName}）` }))}
          />
        </Form.Item>
        <Form.Item label={c.attachments}>{uploads.field}</Form.Item>
      </Form>
    </Drawer>
  );
}
