import { MinusCircleOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import type { MeetingDetail } from '@dutyledger/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, Col, DatePicker, Drawer, Form, Input, Popconfirm, Row, Select, Space, TreeSelect, Upload, type UploadFile } from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { api } from '../../lib/api';
import { dayjs, TZ } from '../../lib/format';
import { applyServerErrors } from '../../lib/forms';
import { useDrawerWidth } from '../../lib/hooks';
import { errorText, showError, toastSuccess } from '../../lib/notify';
import { useCurrentMe } from '../../lib/session';
import { unitTreeSelectData } from '../../lib/units';
import { uploadAttachment } from '../duty/api';
import { useUnits } from '../org/api';
import { meetingsKey, useMeetingKinds, useUnitPeopleAll } from './api';
import { meetingStrings } from './strings';

const t = meetingStrings.form;

interface Values {
  unitId: string;
  kindId: string;
  heldAt: Dayjs;
  topic: string;
  tags?: string[];
  hostPersonId?: string | null;
  attendeeIds?: string[];
  absentees?: { personId: string; reason: string }[];
  minutes?: string;
  resolutions?: { text: string; taskId?: string }[];
}

/** A Shanghai wall-clock time as a local dayjs for the picker, and back. */
const toPicker = (iso: string) => dayjs(dayjs(iso).tz(TZ).format('YYYY-MM-DD HH:mm'));
const fromPicker = (d: Dayjs) => dayjs.tz(d.format('YYYY-MM-DD HH:mm'), TZ).toISOString();

/** 登记会议 / 修改会议记录: POST /api/meetings or PATCH /api/meetings/:id. */
export function MeetingFormDrawer({
  open,
  meeting,
  onClose,
  onSaved,
}: {
  open: boolean;
  /** the record to edit; none to create */
  meeting?: MeetingDetail | null;
  onClose: () => void;
  onSaved?: (m: MeetingDetail) => void;
}) {
  const [form] = Form.useForm<Values>();
  const width = useDrawerWidth(720);
  const qc = useQueryClient();
  const me = useCurrentMe();
  const { data: units } = useUnits(false);
  const { data: kinds } = useMeetingKinds();
  const unitTree = useMemo(() => unitTreeSelectData(units ?? [], (u) => !u.active), [units]);
  const [files, setFiles] = useState<UploadFile<{ id: string }>[]>([]);
  const unitId = Form.useWatch('unitId', form) ?? meeting?.unitId;
  const { data: peoplePage } = useUnitPeopleAll(unitId);
  const currentPost = me.posts.find((p) => p.id === me.currentPostId);

  // people of the unit, plus those already on the record (they may come from a subordinate unit)
  const peopleOptions = useMemo(() => {
    const map = new Map<string, string>();
    for (const p of peoplePage?.items ?? []) map.set(p.id, p.displayName);
    if (meeting) {
      for (const a of meeting.attendees) map.set(a.personId, a.displayName);
      for (const a of meeting.absentees) map.set(a.personId, a.displayName);
      if (meeting.hostPersonId) map.set(meeting.hostPersonId, meeting.hostName ?? '');
    }
    return [...map].map(([value, label]) => ({ value, label }));
  }, [peoplePage, meeting]);

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    setFiles([]);
    if (meeting) {
      form.setFieldsValue({
        unitId: meeting.unitId,
        kindId: meeting.kindId,
        heldAt: toPicker(meeting.heldAt),
        topic: meeting.topic,
        tags: meeting.tags,
        hostPersonId: meeting.hostPersonId,
        attendeeIds: meeting.attendees.map((a) => a.personId),
        absentees: meeting.absentees.map((a) => ({ personId: a.personId, reason: a.reason })),
        minutes: meeting.minutes,
        resolutions: meeting.resolutions,
      });
    } else {
      form.setFieldsValue({ unitId: currentPost?.scopeRootId, resolutions: [] });
    }
  }, [open, meeting, form, currentPost?.scopeRootId]);

  const save = useMutation({
    mutationFn: (v: Values) => {
      const attachmentIds = files.flatMap((f) => (f.status === 'done' && f.response?.id ? [f.response.id] : []));
      const body = {
        kindId: v.kindId,
        heldAt: fromPicker(v.heldAt),
        topic: v.topic.trim(),
        tags: v.tags ?? [],
        hostPersonId: v.hostPersonId ?? null,
        attendeeIds: v.attendeeIds ?? [],
        absentees: (v.absentees ?? []).map((a) => ({ personId: a.personId, reason: a.reason.trim() })),
        minutes: v.minutes ?? '',
        resolutions: (v.resolutions ?? []).map((r) => ({ text: r.text.trim() })),
        attachmentIds,
      };
      return meeting
        ? api.patch<MeetingDetail>(`/api/meetings/${meeting.id}`, body)
        : api.post<MeetingDetail>('/api/meetings', { ...body, unitId: v.unitId });
    },
    onSuccess: async (m) => {
      toastSuccess(meeting ? t.updated : t.created);
      await qc.invalidateQueries({ queryKey: meetingsKey });
      onSaved?.(m);
      onClose();
    },
    onError: (e) => applyServerErrors(form, e),
  });
  const uploading = files.some((f) => f.status === 'uploading');
  const activeKinds = (kinds ?? []).filter((k) => k.active || k.id === meeting?.kindId);

  return (
    <Drawer
      title={meeting ? t.editTitle : t.createTitle}
      open={open}
      onClose={onClose}
      width={width}
      destroyOnHidden
      extra={
        <Space>
          <Button onClick={onClose}>{t.cancel}</Button>
          <Button type="primary" loading={save.isPending} disabled={uploading} onClick={() => form.submit()} data-testid="meeting-save">
            {t.save}
          </Button>
        </Space>
      }
    >
      <Form<Values> form={form} layout="vertical" onFinish={(v) => save.mutate(v)} data-testid="meeting-form">
        <Form.Item name="unitId" label={t.unit} rules={[{ required: true, message: t.unitRequired }]}>
          <TreeSelect
            treeData={unitTree}
            disabled={!!meeting}
            showSearch
            treeNodeFilterProp="title"
            treeDefaultExpandAll
            data-testid="meeting-unit"
          />
        </Form.Item>
        <Row gutter={12}>
          <Col xs={24} sm={12}>
            <Form.Item name="kindId" label={t.kind} rules={[{ required: true, message: t.kindRequired }]}>
              <Select options={activeKinds.map((k) => ({ value: k.id, label: k.name }))} placeholder={t.kind} data-testid="meeting-kind" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item
              name="heldAt"
              label={t.heldAt}
              rules={[
                { required: true, message: t.heldAtRequired },
                {
                  validator: (_, v?: Dayjs) =>
                    v && dayjs.tz(v.format('YYYY-MM-DD HH:mm'), TZ).valueOf() > Date.now()
                      ? Promise.reject(new Error(t.heldAtFuture))
                      : Promise.resolve(),
                },
              ]}
            >
              <DatePicker
                showTime={{ format: 'HH:mm' }}
                format="YYYY-MM-DD HH:mm"
                style={{ width: '100%' }}
                data-testid="meeting-held-at"
              />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item
          name="topic"
          label={t.topic}
          rules={[
            { required: true, whitespace: true, message: t.topicRequired },
            { max: 500, message: t.topicMax },
          ]}
        >
          <Input placeholder={t.topicPlaceholder} maxLength={500} data-testid="meeting-topic" />
        </Form.Item>
        <Form.Item
          name="tags"
          label={t.tags}
          rules={[
            {
              validator: (_, v?: string[]) =>
                !v || (v.length <= 10 && v.every((x) => x.trim().length > 0 && x.trim().length <= 20))
                  ? Promise.resolve()
                  : Promise.reject(new Error(t.tagsMax)),
            },
          ]}
        >
          <Select
            mode="tags"
            placeholder={t.tagsPlaceholder}
            options={meetingStrings.tagSuggestions.map((x) => ({ value: x, label: x }))}
            data-testid="meeting-tags"
          />
        </Form.Item>
        <Form.Item name="hostPersonId" label={t.host}>
          <Select
            allowClear
            showSearch
            optionFilterProp="label"
            placeholder={t.hostPlaceholder}
            options={peopleOptions}
            data-testid="meeting-host"
          />
        </Form.Item>
        <Form.Item name="attendeeIds" label={t.attendees}>
          <Select
            mode="multiple"
            allowClear
            showSearch
            optionFilterProp="label"
            placeholder={t.attendeesPlaceholder}
            options={peopleOptions}
            data-testid="meeting-attendees"
          />
        </Form.Item>
        <Form.Item label={t.absentees}>
          <Form.List name="absentees">
            {(fields, { add, remove }) => (
              <>
                {fields.map((f) => (
                  <Space key={f.key} align="baseline" wrap style={{ display: 'flex', marginBottom: 4 }}>
                    <Form.Item
                      name={[f.name, 'personId']}
                      rules={[{ required: true, message: t.absenteeRequired }]}
                      style={{ minWidth: 160, marginBottom: 4 }}
                    >
                      <Select showSearch optionFilterProp="label" placeholder={t.absentee} options={peopleOptions} />
                    </Form.Item>
                    <Form.Item
                      name={[f.name, 'reason']}
                      rules={[
                        { required: true, whitespace: true, message: t.reasonRequired },
                        { max: 500, message: t.reasonRequired },
                      ]}
                      style={{ minWidth: 200, marginBottom: 4 }}
                    >
                      <Input placeholder={t.reasonPlaceholder} maxLength={500} />
                    </Form.Item>
                    <MinusCircleOutlined aria-label={t.remove} onClick={() => remove(f.name)} />
                  </Space>
                ))}
                <Button type="dashed" size="small" icon={<PlusOutlined />} onClick={() => add({ reason: '' })}>
                  {t.addAbsentee}
                </Button>
              </>
            )}
          </Form.List>
        </Form.Item>
        <Form.Item name="minutes" label={t.minutes} rules={[{ max: 50000, message: t.minutesMax }]}>
          <Input.TextArea rows={5} placeholder={t.minutesPlaceholder} maxLength={50000} data-testid="meeting-minutes" />
        </Form.Item>
        <Form.Item label={t.resolutions}>
          <Form.List name="resolutions">
            {(fields, { add, remove }) => (
              <>
                {fields.map((f, i) => {
                  const locked = !!form.getFieldValue(['resolutions', f.name, 'taskId']);
                  return (
                    <Space key={f.key} align="baseline" style={{ display: 'flex', marginBottom: 4 }}>
                      <span>{i + 1}.</span>
                      <Form.Item
                        name={[f.name, 'text']}
                        rules={[
                          { required: true, whitespace: true, message: t.resolutionRequired },
                          { max: 2000, message: t.resolutionMax },
                        ]}
                        extra={locked ? t.resolutionLocked : undefined}
                        style={{ flex: 1, minWidth: 260, marginBottom: 4 }}
                      >
                        <Input.TextArea
                          autoSize={{ minRows: 1, maxRows: 4 }}
                          disabled={locked}
                          placeholder={t.resolution}
                          maxLength={2000}
                          data-testid="meeting-resolution"
                        />
                      </Form.Item>
                      {locked ? null : (
                        <Popconfirm title={t.removeConfirm} onConfirm={() => remove(f.name)}>
                          <MinusCircleOutlined aria-label={t.remove} />
                        </Popconfirm>
                      )}
                    </Space>
                  );
                })}
                <Button
                  type="dashed"
                  size="small"
                  icon={<PlusOutlined />}
                  onClick={() => add({ text: '' })}
                  data-testid="meeting-add-resolution"
                >
                  {t.addResolution}
                </Button>
              </>
            )}
          </Form.List>
        </Form.Item>
        <Form.Item label={t.materials}>
          <Upload<{ id: string }>
            fileList={files}
            onChange={({ fileList }) => setFiles(fileList)}
            customRequest={({ file, onSuccess, onError }) => {
              const target = form.getFieldValue('unitId') ?? meeting?.unitId;
              uploadAttachment(target, file as File)
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
    </Drawer>
  );
}
