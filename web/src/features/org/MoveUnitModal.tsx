import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Form, Input, Modal, TreeSelect } from 'antd';
import { useEffect, useMemo } from 'react';
import { api } from '../../lib/api';
import { applyServerErrors } from '../../lib/forms';
import { errorText, toastSuccess } from '../../lib/notify';
import type { Unit } from '../../lib/types';
import { subtreeIds, unitTreeSelectData } from '../../lib/units';
import { unitsKey } from './api';
import { orgStrings as t } from './strings';

/** POST /api/units/:id/move {parentId}; the unit itself, its subtree and its current parent are not offered. */
export function MoveUnitModal({ unit, units, onClose }: { unit: Unit | null; units: Unit[]; onClose: () => void }) {
  const [form] = Form.useForm<{ parentId: string }>();
  const close = onClose;
  const qc = useQueryClient();
  const treeData = useMemo(() => {
    if (!unit) return [];
    const own = subtreeIds(units, unit.id);
    return unitTreeSelectData(units, (u) => own.has(u.id) || u.id === unit.parentId);
  }, [unit, units]);

  const move = useMutation({
    mutationFn: (parentId: string) => api.post<Unit>(`/api/units/${unit?.id}/move`, { parentId }),
    onSuccess: async () => {
      toastSuccess(t.move.moved);
      await qc.invalidateQueries({ queryKey: unitsKey });
      close();
    },
    onError: (e) => applyServerErrors(form, e),
  });

  const { reset } = move;
  useEffect(() => {
    if (!unit) return;
    reset();
    form.resetFields();
  }, [unit, reset, form]);

  return (
    <Modal
      title={t.move.title}
      open={!!unit}
      onCancel={close}
      onOk={() => form.submit()}
      okText={t.move.submit}
      confirmLoading={move.isPending}
      forceRender
    >
      <Alert type="info" showIcon message={t.move.hint} style={{ marginBottom: 16 }} />
      {move.isError ? <Alert type="error" showIcon message={errorText(move.error)} style={{ marginBottom: 16 }} /> : null}
      <Form form={form} layout="vertical" onFinish={(v) => move.mutate(v.parentId)}>
        <Form.Item label={t.move.current}>
          <Input value={unit?.name} disabled />
        </Form.Item>
        <Form.Item name="parentId" label={t.move.newParent} rules={[{ required: true, message: t.move.newParentRequired }]}>
          <TreeSelect
            data-testid="unit-move-parent"
            treeData={treeData}
            showSearch
            treeNodeFilterProp="title"
            treeDefaultExpandAll
            placeholder={t.move.newParentRequired}
            listHeight={360}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
