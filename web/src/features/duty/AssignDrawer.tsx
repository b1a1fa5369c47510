import { type PlanItem, unitTypes } from '@dutyledger/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, Checkbox, DatePicker, Drawer, Form, Input, Radio, Select, Space, TreeSelect } from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect, useMemo } from 'react';
import { api } from '../../lib/api';
import { dayEndIso } from '../../lib/format';
import { applyServerErrors } from '../../lib/forms';
import { useDrawerWidth } from '../../lib/hooks';
import { toastSuccess } from '../../lib/notify';
import { unitTreeSelectData } from '../../lib/units';
import { useUnits } from '../org/api';
import { tasksKey } from './api';
import { dutyStrings } from './strings';

const t = dutyStrings.assign;

interface Values {
  kind: 'descendants' | 'units';
  rootUnitId?: string;
  unitType?: (typeof unitTypes)[number];
  directChildrenOnly?: boolean;
  unitIds?: string[];
  title?: string;
  description?: string;
  deadline: Dayjs;
  requiredEvidence?: string;
}

/** 分解交办: POST /api/plan-items/:id/assign → one task per target unit. */
export function AssignDrawer({
  item,
  onClose,
  onAssigned,
}: {
  item: PlanItem | null;
  onClose: () => void;
  onAssigned?: (item: PlanItem, created: number) => void;
}) {
  const [form] = Form.useForm<Values>();
  const width = useDrawerWidth(560);
  const qc = useQueryClient();
  const { data: units } = useUnits(false);
  const unitTree = useMemo(() => unitTreeSelectData(units ?? [], (u) => !u.active), [units]);
  const kind = Form.useWatch('kind', form);
  useEffect(() => {
    if (item) form.resetFields();
  }, [item, form]);

  const assign = useMutation({
    mutationFn: (v: Values) =>
      api.post<{ created: number }>(`/api/plan-items/${(item as PlanItem).id}/assign`, {
        target:
          v.kind === 'units'
            ? { kind: 'units', unitIds: v.unitIds ?? [] }
            : {
                kind: 'descendants',
                rootUnitId: v.rootUnitId,
                unitType: v.unitType || undefined,
                directChildrenOnly: v.directChildrenOnly || undefined,
              },
        title: v.title?.trim() || undefined,
        description: v.description?.trim() || undefined,
        deadline: dayEndIso(v.deadline),
        requiredEvidence: v.requiredEvidence?.trim() || undefined,
      }),
    onSuccess: async (r) => {
      toastSuccess(t.created(r.created));
      if (item) onAssigned?.(item, r.created);
      await qc.invalidateQueries({ queryKey: tasksKey });
      onClose();
    },
    onError: (e) => applyServerErrors(form, e),
  });

  return (
    <Drawer
      title={item ? t.title(item.title) : ''}
      open={!!item}
      onClose={onClose}
      width={width}
      forceRender
      footer={
        <Space style={{ width: '100%', justifyContent: 'flex-end' }}>
          <Button onClick={onClose}>{t.cancel}</Button>
          <Button type="primary" loading={assign.isPending} onClick={() => form.submit()} data-testid="assign-submit">
            {t.submit}
          </Button>
        </Space>
      }
    >
      <Form<Values> form={form} layout="vertical" initialValues={{ kind: 'descendants' }} onFinish={(v) => assign.mutate(v)}>
        <Form.Item name="kind" label={t.kind}>
          <Radio.Group
            optionType="button"
            options={[
              { value: 'descendants', label: t.kindDescendants },
              { value: 'units', label: t.kindUnits },
            ]}
          />
        </Form.Item>
        {kind === 'units' ? (
          <Form.Item name="unitIds" label={t.units} rules={[{ required: true, message: t.unitsRequired }]}>
            <TreeSelect
              multiple
              allowClear
              showSearch
              treeNodeFilterProp="title"
              treeData={unitTree}
              treeDefaultExpandAll
              listHeight={320}
              placeholder={t.unitsPlaceholder}
              data-testid="assign-units"
            />
          </Form.Item>
        ) : (
          <>
            <Form.Item name="rootUnitId" label={t.root} rules={[{ required: true, message: t.rootRequired }]}>
              <TreeSelect
                allowClear
                showSearch
                treeNodeFilterProp="title"
                treeData={unitTree}
                treeDefaultExpandAll
                listHeight={320}
                placeholder={t.rootPlaceholder}
                data-testid="assign-root"
              />
            </Form.Item>
            <Form.Item name="unitType" label={t.unitType}>
              <Select
                allowClear
                data-testid="assign-unit-type"
                placeholder={t.unitTypePlaceholder}
                options={unitTypes.map((u) => ({ value: u, label: u }))}
              />
            </Form.Item>
            <Form.Item name="directChildrenOnly" valuePropName="checked">
              <Checkbox>{t.directChildrenOnly}</Checkbox>
            </Form.Item>
          </>
        )}
        <Form.Item name="title" label={t.taskTitle} rules={[{ max: 500, message: t.taskTitleMax }]}>
          <Input placeholder={t.taskTitlePlaceholder} maxLength={500} />
        </Form.Item>
        <Form.Item name="description" label={t.description} rules={[{ max: 5000, message: t.descriptionMax }]}>
          <Input.TextArea rows={3} maxLength={5000} />
        </Form.Item>
        <Form.Item name="deadline" label={t.deadline} rules={[{ required: true, message: t.deadlineRequired }]}>
          <DatePicker style={{ width: '100%' }} data-testid="assign-deadline" />
        </Form.Item>
        <Form.Item name="requiredEvidence" label={t.requiredEvidence} rules={[{ max: 2000, message: t.requiredEvidenceMax }]}>
          <Input.TextArea rows={2} placeholder={t.requiredEvidencePlaceholder} maxLength={2000} />
        </Form.Item>
      </Form>
    </Drawer>
  );
}
