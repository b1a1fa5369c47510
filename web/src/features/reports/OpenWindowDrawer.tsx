import { type ReportKind, reportKindLabels, reportKinds, unitTypes } from '@dutyledger/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, Checkbox, DatePicker, Drawer, Form, Input, InputNumber, Radio, Select, Space, TreeSelect } from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect, useMemo } from 'react';
import { api } from '../../lib/api';
import { dayEndIso, dayjs, TZ } from '../../lib/format';
import { applyServerErrors } from '../../lib/forms';
import { useDrawerWidth } from '../../lib/hooks';
import { toastSuccess } from '../../lib/notify';
import { unitTreeSelectData } from '../../lib/units';
import { useUnits } from '../org/api';
import { reportsKey, useTemplates } from './api';
import { reportsStrings } from './strings';

const t = reportsStrings.open;
type PeriodKind = 'month' | 'quarter' | 'halfYear' | 'year';
const periodCount: Record<PeriodKind, number> = { month: 12, quarter: 4, halfYear: 2, year: 1 };

interface Values {
  unitId: string;
  kind: ReportKind;
  title: string;
  periodKind: PeriodKind;
  periodYear: number;
  periodIndex: number;
  templateId: string;
  targetKind: 'descendants' | 'units';
  rootUnitId?: string;
  unitType?: (typeof unitTypes)[number];
  directChildrenOnly?: boolean;
  unitIds?: string[];
  closesAt?: Dayjs;
  note?: string;
}

const familyOf: Record<ReportKind, string> = {
  halfYear: 'halfYear',
  selfInspection: 'selfInspection',
  special: 'special',
  other: 'special',
};

function indexLabel(kind: PeriodKind, i: number): string {
  if (kind === 'halfYear') return t.halves[i - 1]!;
  if (kind === 'quarter') return `第${i}季度`;
  if (kind === 'month') return `${i}月`;
  return '全年';
}

/** 发起报送: POST /api/report-windows → the window with its resolved targets. */
export function OpenWindowDrawer({ open, onClose, onOpened }: { open: boolean; onClose: () => void; onOpened?: (id: string) => void }) {
  const [form] = Form.useForm<Values>();
  const width = useDrawerWidth(560);
  const qc = useQueryClient();
  const { data: units } = useUnits(false);
  const { data: templates } = useTemplates();
  const unitTree = useMemo(() => unitTreeSelectData(units ?? [], (u) => !u.active), [units]);
  const targetKind = Form.useWatch('targetKind', form);
  const periodKind = Form.useWatch('periodKind', form) ?? 'halfYear';
  const kind = Form.useWatch('kind', form);
  const now = dayjs().tz(TZ);
  useEffect(() => {
    if (open) form.resetFields();
  }, [open, form]);
  useEffect(() => {
    const family = kind ? familyOf[kind as ReportKind] : undefined;
    const tpl = templates?.find((x) => x.family === family);
    if (open && tpl) form.setFieldValue('templateId', tpl.id);
  }, [open, kind, templates, form]);

  const create = useMutation({
    mutationFn: (v: Values) =>
      api.post<{ id: string; targetCount: number }>('/api/report-windows', {
        unitId: v.unitId,
        kind: v.kind,
        title: v.title.trim(),
        periodKind: v.periodKind,
        periodYear: v.periodYear,
        periodIndex: v.periodIndex,
        templateId: v.templateId,
        target:
          v.targetKind === 'units'
            ? { kind: 'units', unitIds: v.unitIds ?? [] }
            : {
                kind: 'descendants',
                rootUnitId: v.rootUnitId,
                unitType: v.unitType || undefined,
                directChildrenOnly: v.directChildrenOnly || undefined,
              },
        closesAt: v.closesAt ? dayEndIso(v.closesAt) : undefined,
        note: v.note?.trim() || undefined,
      }),
    onSuccess: async (w) => {
      toastSuccess(t.created(w.targetCount));
      await qc.invalidateQueries({ queryKey: reportsKey });
      onOpened?.(w.id);
      onClose();
    },
    onError: (e) => applyServerErrors(form, e),
  });

  return (
    <Drawer
      title={t.title}
      open={open}
      onClose={onClose}
      width={width}
      forceRender
      footer={
        <Space style={{ width: '100%', justifyContent: 'flex-end' }}>
          <Button onClick={onClose}>{t.cancel}</Button>
          <Button type="primary" loading={create.isPending} onClick={() => form.submit()} data-testid="window-submit">
            {t.submit}
          </Button>
        </Space>
      }
    >
      <Form<Values>
        form={form}
        layout="vertical"
        initialValues={{
          kind: 'halfYear',
          periodKind: 'halfYear',
          periodYear: now.year(),
          periodIndex: now.month() < 6 ? 1 : 2,
          targetKind: 'descendants',
        }}
        onFinish={(v) => create.mutate(v)}
      >
        <Form.Item name="unitId" label={t.unit} rules={[{ required: true, message: t.unitRequired }]}>
          <TreeSelect
            showSearch
            treeNodeFilterProp="title"
            treeData={unitTree}
            treeDefaultExpandAll
            listHeight={320}
            data-testid="window-unit"
          />
        </Form.Item>
        <Form.Item name="kind" label={t.kind} rules={[{ required: true, message: t.kindRequired }]}>
          <Select options={reportKinds.map((k) => ({ value: k, label: reportKindLabels[k] }))} data-testid="window-kind" />
        </Form.Item>
        <Form.Item
          name="title"
          label={t.reportTitle}
          rules={[
            { required: true, whitespace: true, message: t.reportTitleRequired },
            { max: 200, message: t.reportTitleMax },
          ]}
        >
          <Input maxLength={200} data-testid="window-title" />
        </Form.Item>
        <Space wrap>
          <Form.Item name="periodKind" label={t.periodKind}>
            <Select
              style={{ width: 100 }}
              options={(['halfYear', 'year', 'quarter', 'month'] as PeriodKind[]).map((k) => ({ value: k, label: t.periodKinds[k] }))}
              onChange={() => form.setFieldValue('periodIndex', 1)}
            />
          </Form.Item>
          <Form.Item name="periodYear" label={t.periodYear}>
            <InputNumber min={2000} max={2100} style={{ width: 100 }} />
          </Form.Item>
          <Form.Item name="periodIndex" label={t.periodIndex}>
            <Select
              style={{ width: 110 }}
              options={Array.from({ length: periodCount[periodKind as PeriodKind] }, (_, i) => ({
                value: i + 1,
                label: indexLabel(periodKind as PeriodKind, i + 1),
              }))}
            />
          </Form.Item>
        </Space>
        <Form.Item name="templateId" label={t.template} rules={[{ required: true, message: t.templateRequired }]}>
          <Select
            options={(templates ?? []).map((x) => ({ value: x.id, label: `${x.name}（第${x.version}版）` }))}
            data-testid="window-template"
          />
        </Form.Item>
        <Form.Item name="targetKind" label={t.target}>
          <Radio.Group
            optionType="button"
            options={[
              { value: 'descendants', label: t.kindDescendants },
              { value: 'units', label: t.kindUnits },
            ]}
          />
        </Form.Item>
        {targetKind === 'units' ? (
          <Form.Item name="unitIds" label={t.units} rules={[{ required: true, message: t.unitsRequired }]}>
            <TreeSelect
              multiple
              allowClear
              showSearch
              treeNodeFilterProp="title"
              treeData={unitTree}
              treeDefaultExpandAll
              listHeight={320}
            />
          </Form.Item>
        ) : (
          <>
            <Form.Item name="rootUnitId" label={t.root} rules={[{ required: true, message: t.rootRequired }]}>
              <TreeSelect
                showSearch
                treeNodeFilterProp="title"
                treeData={unitTree}
                treeDefaultExpandAll
                listHeight={320}
                data-testid="window-root"
              />
            </Form.Item>
            <Form.Item name="unitType" label={t.unitType}>
              <Select
                allowClear
                placeholder={t.unitTypePlaceholder}
                options={unitTypes.map((u) => ({ value: u, label: u }))}
                data-testid="window-unit-type"
              />
            </Form.Item>
            <Form.Item name="directChildrenOnly" valuePropName="checked">
              <Checkbox>{t.directChildrenOnly}</Checkbox>
            </Form.Item>
          </>
        )}
        <Form.Item
          name="closesAt"
          label={t.closesAt}
          extra={kind === 'selfInspection' ? t.closesAtHint : undefined}
          rules={kind === 'selfInspection' ? [] : [{ required: true, message: t.closesAtRequired }]}
        >
          <DatePicker style={{ width: '100%' }} data-testid="window-closes" />
        </Form.Item>
        <Form.Item name="note" label={t.note} rules={[{ max: 2000, message: t.noteMax }]}>
          <Input.TextArea rows={3} maxLength={2000} />
        </Form.Item>
      </Form>
    </Drawer>
  );
}
