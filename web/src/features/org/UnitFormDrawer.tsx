import { unitTypes } from '@dutyledger/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, Drawer, Form, Input, InputNumber, Select, Space } from 'antd';
import { useEffect } from 'react';
import { api } from '../../lib/api';
import { applyServerErrors } from '../../lib/forms';
import { useDrawerWidth } from '../../lib/hooks';
import { toastSuccess } from '../../lib/notify';
import type { Unit, UnitType } from '../../lib/types';
import { unitsKey } from './api';
import { orgStrings as t } from './strings';

interface Values {
  name: string;
  type: UnitType;
  sortOrder?: number | null;
}

export type UnitFormMode = { kind: 'create'; parent: Pick<Unit, 'id' | 'name'> } | { kind: 'edit'; unit: Unit };

/** Drawer form: POST /api/units (new child) or PATCH /api/units/:id. */
export function UnitFormDrawer({
  mode,
  onClose,
  onSaved,
}: {
  mode: UnitFormMode | null;
  onClose: () => void;
  onSaved?: (unit: Unit) => void;
}) {
  const [form] = Form.useForm<Values>();
  const close = onClose;
  // one Form instance for every opening (forceRender keeps it connected): load the values on each opening
  useEffect(() => {
    if (!mode) return;
    form.resetFields();
    if (mode.kind === 'edit') form.setFieldsValue({ name: mode.unit.name, type: mode.unit.type, sortOrder: mode.unit.sortOrder });
  }, [mode, form]);
  const width = useDrawerWidth(480);
  const qc = useQueryClient();

  const save = useMutation({
    mutationFn: async (v: Values) => {
      const sortOrder = typeof v.sortOrder === 'number' ? v.sortOrder : undefined;
      if (!mode) throw new Error('no mode');
      if (mode.kind === 'create')
        return api.post<Unit>('/api/units', { parentId: mode.parent.id, name: v.name.trim(), type: v.type, sortOrder });
      const patch: Record<string, unknown> = {};
      if (v.name.trim() !== mode.unit.name) patch.name = v.name.trim();
      if (v.type !== mode.unit.type) patch.type = v.type;
      if (sortOrder !== undefined && sortOrder !== mode.unit.sortOrder) patch.sortOrder = sortOrder;
      return api.patch<Unit>(`/api/units/${mode.unit.id}`, patch);
    },
    onSuccess: async (unit) => {
      toastSuccess(mode?.kind === 'create' ? t.form.created : t.form.updated);
      await qc.invalidateQueries({ queryKey: unitsKey });
      onSaved?.(unit);
      close();
    },
    onError: (e) => applyServerErrors(form, e),
  });

  return (
    <Drawer
      title={mode?.kind === 'edit' ? t.form.editTitle : t.form.createTitle}
      open={!!mode}
      onClose={close}
      width={width}
      forceRender
      footer={
        <Space style={{ width: '100%', justifyContent: 'flex-end' }}>
          <Button onClick={close}>{t.form.cancel}</Button>
          <Button type="primary" loading={save.isPending} onClick={() => form.submit()} data-testid="unit-submit">
            {t.form.submit}
          </Button>
        </Space>
      }
    >
      <Form<Values> form={form} layout="vertical" onFinish={(v) => save.mutate(v)}>
        {mode?.kind === 'create' ? (
          <Form.Item label={t.form.parent}>
            <Input value={mode.parent.name} disabled />
          </Form.Item>
        ) : null}
        <Form.Item
          name="name"
          label={t.form.name}
          rules={[
            { required: true, whitespace: true, message: t.form.nameRequired },
            { max: 100, message: t.form.nameTooLong },
          ]}
        >
          <Input placeholder={t.form.namePlaceholder} maxLength={100} data-testid="unit-name" />
        </Form.Item>
        <Form.Item name="type" label={t.form.type} rules={[{ required: true, message: t.form.typeRequired }]}>
          <Select data-testid="unit-type" placeholder={t.form.typeRequired} options={unitTypes.map((u) => ({ value: u, label: u }))} />
        </Form.Item>
        <Form.Item name="sortOrder" label={t.form.sortOrder} extra={t.form.sortOrderHint}>
          <InputNumber min={0} max={100000} precision={0} style={{ width: '100%' }} />
        </Form.Item>
      </Form>
    </Drawer>
  );
}
