import { type CreateInspectionBody, type InspectionDetail, inspectionKindLabels, inspectionKinds } from '@dutyledger/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Drawer,
  Empty,
  Form,
  Input,
  Progress,
  Select,
  Space,
  Spin,
  Table,
  Tag,
  TreeSelect,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { api } from '../../lib/api';
import { dayEndIso, formatDate, formatDateTimeShort } from '../../lib/format';
import { applyServerErrors } from '../../lib/forms';
import { useDrawerWidth } from '../../lib/hooks';
import { errorText, toastSuccess } from '../../lib/notify';
import { unitTreeSelectData } from '../../lib/units';
import { useUnitPeople, useUnits } from '../org/api';
import { rectifyKey, useInspection } from './api';
import { ItemActions, ItemStateTag } from './ItemDrawer';
import { rectifyStrings } from './strings';

const t = rectifyStrings;

interface InspectionForm {
  kind: CreateInspectionBody['kind'];
  title: string;
  inspectingUnitId: string;
  inspectingBody?: string;
  inspectedUnitId: string;
  period: [Dayjs, Dayjs | null];
  feedbackOn?: Dayjs | null;
  description?: string;
}

/** 登记检查: the inspecting unit, the inspected unit, when. */
export function InspectionFormDrawer({
  open,
  onClose,
  onCreated,
}: {
  open: boolean;
  onClose: () => void;
  onCreated: (id: string) => void;
}) {
  const width = useDrawerWidth(520);
  const [form] = Form.useForm<InspectionForm>();
  const qc = useQueryClient();
  const { data: units } = useUnits();
  const tree = useMemo(() => unitTreeSelectData(units ?? []), [units]);
  const create = useMutation({
    mutationFn: (v: InspectionForm) =>
      api.post<InspectionDetail>('/api/inspections', {
        kind: v.kind,
        title: v.title.trim(),
        inspectingUnitId: v.inspectingUnitId,
        inspectingBody: v.inspectingBody?.trim() ?? '',
        inspectedUnitId: v.inspectedUnitId,
        startedOn: v.period[0].format('YYYY-MM-DD'),
        endedOn: v.period[1] ? v.period[1].format('YYYY-MM-DD') : null,
        feedbackOn: v.feedbackOn ? v.feedbackOn.format('YYYY-MM-DD') : null,
        description: v.description ?? '',
      }),
    onSuccess: async (d) => {
      toastSuccess(t.inspection.created);
      await qc.invalidateQueries({ queryKey: rectifyKey });
      form.resetFields();
      onCreated(d.id);
    },
    onError: (e) => applyServerErrors(form, e),
  });
  return (
    <Drawer
      title={t.newInspection}
      width={width}
      open={open}
      onClose={onClose}
      destroyOnHidden
      extra={
        <Button type="primary" loading={create.isPending} onClick={() => form.submit()} data-testid="inspection-save">
          {t.actions.ok}
        </Button>
      }
    >
      <Form<InspectionForm> form={form} layout="vertical" onFinish={(v) => create.mutate(v)} initialValues={{ kind: 'patrol' }}>
        <Form.Item name="kind" label={t.inspection.kind} rules={[{ required: true }]}>
          <Select options={inspectionKinds.map((k) => ({ value: k, label: inspectionKindLabels[k] }))} />
        </Form.Item>
        <Form.Item
          name="title"
          label={t.inspection.title}
          rules={[{ required: true, whitespace: true, message: t.inspection.titleRequired }]}
        >
          <Input maxLength={200} data-testid="inspection-title" />
        </Form.Item>
        <Form.Item
          name="inspectingUnitId"
          label={t.inspection.inspectingUnit}
          rules={[{ required: true, message: t.inspection.inspectingUnitRequired }]}
        >
          <TreeSelect showSearch treeNodeFilterProp="title" treeData={tree} data-testid="inspection-inspecting" />
        </Form.Item>
        <Form.Item name="inspectingBody" label={t.inspection.inspectingBody}>
          <Input maxLength={200} placeholder={t.inspection.inspectingBodyPlaceholder} />
        </Form.Item>
        <Form.Item
          name="inspectedUnitId"
          label={t.inspection.inspectedUnit}
          rules={[{ required: true, message: t.inspection.inspectedUnitRequired }]}
        >
          <TreeSelect showSearch treeNodeFilterProp="title" treeData={tree} data-testid="inspection-inspected" />
        </Form.Item>
        <Form.Item name="period" label={t.inspection.period} rules={[{ required: true, message: t.inspection.periodRequired }]}>
          <DatePicker.RangePicker allowEmpty={[false, true]} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="feedbackOn" label={t.inspection.feedbackOn}>
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="description" label={t.inspection.description}>
          <Input.TextArea rows={3} maxLength={5000} />
        </Form.Item>
      </Form>
    </Drawer>
  );
}

function FindingForm({ inspectionId }: { inspectionId: string }) {
  const [form] = Form.useForm<{ category?: string; description: string }>();
  const qc = useQueryClient();
  const add = useMutation({
    mutationFn: (v: { category?: string; description: string }) =>
      api.post(`/api/inspections/${inspectionId}/findings`, { category: v.category?.trim() ?? '', description: v.description.trim() }),
    onSuccess: async () => {
      toastSuccess(t.inspection.findingAdded);
      form.resetFields();
      await qc.invalidateQueries({ queryKey: rectifyKey });
    },
    onError: (e) => applyServerErrors(form, e),
  });
  return (
    <Card size="small" title={t.inspection.addFinding}>
      <Form form={form} layout="vertical" onFinish={(v) => add.mutate(v)}>
        <Form.Item name="category" label={t.inspection.category}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item
          name="description"
          label={t.inspection.findingText}
          rules={[{ required: true, whitespace: true, message: t.inspection.findingRequired }]}
        >
          <Input.TextArea rows={2} maxLength={5000} data-testid="finding-text" />
        </Form.Item>
        <Button htmlType="submit" loading={add.isPending} data-testid="finding-add">
          {t.inspection.addFinding}
        </Button>
      </Form>
    </Card>
  );
}

interface ItemForm {
  unitId: string;
  ownerPersonId?: string;
  measure: string;
  deadline: Dayjs;
  requiredEvidence?: string;
}

function ItemFormCard({ findingId, inspectedUnitId, onDone }: { findingId: string; inspectedUnitId: string; onDone: () => void }) {
  const [form] = Form.useForm<ItemForm>();
  const qc = useQueryClient();
  const { data: units } = useUnits();
  const unitId = Form.useWatch('unitId', form);
  const { data: people } = useUnitPeople(unitId, !!unitId);
  // the owner unit: the inspected unit or its subtree
  const tree = useMemo(() => {
    const list = units ?? [];
    const inside = new Set<string>([inspectedUnitId]);
    let grew = true;
    while (grew) {
      grew = false;
      for (const u of list)
        if (u.parentId && inside.has(u.parentId) && !inside.has(u.id)) {
          inside.add(u.id);
          grew = true;
        }
    }
    return unitTreeSelectData(list, (u) => !inside.has(u.id));
  }, [units, inspectedUnitId]);
  const add = useMutation({
    mutationFn: (v: ItemForm) =>
      api.post(`/api/rectify-findings/${findingId}/items`, {
        unitId: v.unitId,
        ownerPersonId: v.ownerPersonId ?? null,
        measure: v.measure.trim(),
        deadline: dayEndIso(v.deadline),
        requiredEvidence: v.requiredEvidence ?? '',
      }),
    onSuccess: async () => {
      toastSuccess(t.inspection.itemAdded);
      await qc.invalidateQueries({ queryKey: rectifyKey });
      onDone();
    },
    onError: (e) => applyServerErrors(form, e),
  });
  return (
    <Card size="small" title={t.inspection.addItem} style={{ marginTop: 8 }}>
      <Form form={form} layout="vertical" onFinish={(v) => add.mutate(v)} initialValues={{ unitId: inspectedUnitId }}>
        <Form.Item name="measure" label={t.item.measure} rules={[{ required: true, whitespace: true, message: t.item.measureRequired }]}>
          <Input.TextArea rows={2} maxLength={5000} data-testid="item-measure" />
        </Form.Item>
        <Form.Item name="unitId" label={t.item.unit} rules={[{ required: true, message: t.item.unitRequired }]}>
          <TreeSelect showSearch treeNodeFilterProp="title" treeData={tree} treeDefaultExpandAll />
        </Form.Item>
        <Form.Item name="ownerPersonId" label={t.item.owner}>
          <Select
            allowClear
            placeholder={t.item.ownerPlaceholder}
            options={(people?.items ?? []).map((p) => ({ value: p.id, label: p.displayName }))}
          />
        </Form.Item>
        <Form.Item name="deadline" label={t.item.deadline} rules={[{ required: true, message: t.item.deadlineRequired }]}>
          <DatePicker style={{ width: '100%' }} data-testid="item-deadline" />
        </Form.Item>
        <Form.Item name="requiredEvidence" label={t.item.requiredEvidence}>
          <Input maxLength={2000} />
        </Form.Item>
        <Space>
          <Button type="primary" htmlType="submit" loading={add.isPending} data-testid="item-add">
            {t.actions.ok}
          </Button>
          <Button onClick={onDone}>{t.actions.cancel}</Button>
        </Space>
      </Form>
    </Card>
  );
}

export function InspectionDrawer({
  id,
  onClose,
  onOpenItem,
}: {
  id: string | null;
  onClose: () => void;
  onOpenItem: (id: string) => void;
}) {
  const width = useDrawerWidth(820);
  const { data: d, isLoading, isError, error } = useInspection(id);
  const [adding, setAdding] = useState<string | null>(null);
  return (
    <Drawer title={d?.title ?? t.tabs.inspections} width={width} open={!!id} onClose={onClose} destroyOnHidden>
      {isLoading ? <Spin /> : null}
      {isError ? <Alert type="error" showIcon message={errorText(error)} /> : null}
      {d ? (
        <Space direction="vertical" style={{ width: '100%' }} size="middle" data-testid="inspection-drawer">
          <Descriptions column={{ xs: 1, sm: 2 }} size="small" bordered>
            <Descriptions.Item label={t.inspection.kind}>{d.kindLabel}</Descriptions.Item>
            <Descriptions.Item label={t.inspection.inspectingUnit}>
              {d.inspectingUnitName}
              {d.inspectingBody ? `（${d.inspectingBody}）` : ''}
            </Descriptions.Item>
            <Descriptions.Item label={t.inspection.inspectedUnit}>{d.inspectedUnitName}</Descriptions.Item>
            <Descriptions.Item label={t.inspection.period}>
              {formatDate(d.startedOn)} ~ {d.endedOn ? formatDate(d.endedOn) : ''}
            </Descriptions.Item>
            {d.feedbackOn ? <Descriptions.Item label={t.inspection.feedbackOn}>{formatDate(d.feedbackOn)}</Descriptions.Item> : null}
            <Descriptions.Item label={t.inspection.progress}>
              <Progress percent={d.itemCount ? Math.round((d.signedOffCount / d.itemCount) * 100) : 0} size="small" />
            </Descriptions.Item>
            {d.description ? <Descriptions.Item label={t.inspection.description}>{d.description}</Descriptions.Item> : null}
          </Descriptions>
          {d.findings.length === 0 ? <Empty description={t.inspection.noFindings} /> : null}
          {d.findings.map((f) => (
            <Card
              key={f.id}
              size="small"
              title={
                <span style={{ whiteSpace: 'normal' }}>
                  {f.seq}. {f.category ? <Tag>{f.category}</Tag> : null}
                  {f.description}
                </span>
              }
              extra={
                d.canManage ? (
                  <Button size="small" type="link" onClick={() => setAdding(f.id)} data-testid="item-new">
                    {t.inspection.addItem}
                  </Button>
                ) : null
              }
            >
              <Table
                size="small"
                rowKey="id"
                pagination={false}
                scroll={{ x: true }}
                dataSource={f.items}
                locale={{ emptyText: t.item.empty }}
                onRow={(r) => ({ onClick: () => onOpenItem(r.id), style: { cursor: 'pointer' } })}
                columns={[
                  { title: t.item.measure, dataIndex: 'measure', onCell: () => ({ style: { minWidth: 180 } }) },
                  { title: t.item.unit, dataIndex: 'unitName' },
                  { title: t.item.deadline, dataIndex: 'deadline', render: (v: string) => formatDateTimeShort(v) },
                  { title: t.item.state, key: 'state', render: (_, r) => <ItemStateTag item={r} /> },
                  { title: '', key: 'actions', render: (_, r) => <ItemActions item={r} size="small" /> },
                ]}
              />
              {adding === f.id ? (
                <ItemFormCard findingId={f.id} inspectedUnitId={d.inspectedUnitId} onDone={() => setAdding(null)} />
              ) : null}
            </Card>
          ))}
          {d.canManage ? <FindingForm inspectionId={d.id} /> : null}
        </Space>
      ) : null}
    </Drawer>
  );
}
