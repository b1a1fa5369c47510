import { PlusOutlined } from '@ant-design/icons';
import type { PlanItem } from '@dutyledger/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Descriptions, Drawer, Form, Input, List, Modal, Space, Spin, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { api } from '../../lib/api';
import { formatDateTimeShort } from '../../lib/format';
import { applyServerErrors } from '../../lib/forms';
import { useDrawerWidth } from '../../lib/hooks';
import { errorText, toastSuccess } from '../../lib/notify';
import { useCan } from '../../lib/session';
import { AssignDrawer } from './AssignDrawer';
import { plansKey, usePlan } from './api';
import { dutyStrings } from './strings';

const t = dutyStrings.plan;

function ItemModal({ planId, open, onClose }: { planId: string; open: boolean; onClose: () => void }) {
  const [form] = Form.useForm<{ section?: string; title: string }>();
  const qc = useQueryClient();
  useEffect(() => {
    if (open) form.resetFields();
  }, [open, form]);
  const add = useMutation({
    mutationFn: (v: { section?: string; title: string }) =>
      api.post<PlanItem>(`/api/plans/${planId}/items`, { section: v.section?.trim() ?? '', title: v.title.trim() }),
    onSuccess: async () => {
      toastSuccess(t.itemAdded);
      await qc.invalidateQueries({ queryKey: plansKey });
      onClose();
    },
    onError: (e) => applyServerErrors(form, e),
  });
  return (
    <Modal
      title={t.addItem}
      open={open}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={add.isPending}
      okButtonProps={{ 'data-testid': 'plan-item-ok' }}
      forceRender
    >
      <Form form={form} layout="vertical" onFinish={(v) => add.mutate(v)}>
        <Form.Item name="section" label={t.section} rules={[{ max: 100, message: t.sectionMax }]}>
          <Input placeholder={t.sectionPlaceholder} maxLength={100} />
        </Form.Item>
        <Form.Item
          name="title"
          label={t.itemTitle}
          rules={[
            { required: true, whitespace: true, message: t.itemTitleRequired },
            { max: 500, message: t.itemTitleMax },
          ]}
        >
          <Input.TextArea rows={3} placeholder={t.itemTitlePlaceholder} maxLength={500} data-testid="plan-item-title" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** GET /api/plans/:id: the plan and its items; 增加工作要点 and 分解交办 with plan.manage. */
export function PlanDrawer({ planId, onClose }: { planId: string | null; onClose: () => void }) {
  const width = useDrawerWidth(720);
  const q = usePlan(planId ?? undefined);
  const canManage = useCan('plan.manage');
  const canAssign = useCan('task.assign');
  const [adding, setAdding] = useState(false);
  const [assigning, setAssigning] = useState<PlanItem | null>(null);
  const [assigned, setAssigned] = useState<{ title: string; created: number } | null>(null);
  const plan = q.data;
  return (
    <Drawer title={t.detailTitle} open={!!planId} onClose={onClose} width={width} destroyOnHidden>
      {q.isError ? <Alert type="error" showIcon message={t.loadFailed} description={errorText(q.error)} /> : null}
      {q.isLoading ? <Spin /> : null}
      {plan ? (
        <Space direction="vertical" size={16} style={{ width: '100%' }}>
          <Descriptions column={1} size="small" bordered>
            <Descriptions.Item label={dutyStrings.plans.columns.title}>{plan.title}</Descriptions.Item>
            <Descriptions.Item label={dutyStrings.plans.columns.unit}>{plan.unitName}</Descriptions.Item>
            <Descriptions.Item label={dutyStrings.plans.columns.year}>{plan.year}</Descriptions.Item>
            <Descriptions.Item label={dutyStrings.plans.columns.createdAt}>{formatDateTimeShort(plan.createdAt)}</Descriptions.Item>
          </Descriptions>
          <Space style={{ width: '100%', justifyContent: 'space-between' }}>
            <Typography.Text strong>{t.items}</Typography.Text>
            {canManage ? (
              <Button size="small" icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="plan-item-add">
                {t.addItem}
              </Button>
            ) : null}
          </Space>
          <List<PlanItem>
            size="small"
            bordered
            dataSource={plan.items}
            locale={{ emptyText: t.itemsEmpty }}
            renderItem={(it) => (
              <List.Item
                actions={
                  canManage || canAssign
                    ? [
                        <Button key="assign" type="link" size="small" onClick={() => setAssigning(it)} data-testid="plan-item-assign">
                          {t.assign}
                        </Button>,
                      ]
                    : undefined
                }
              >
                <List.Item.Meta title={it.title} description={it.section || undefined} />
              </List.Item>
            )}
          />
          {assigned ? (
            <Alert
              type="success"
              showIcon
              closable
              onClose={() => setAssigned(null)}
              message={`${assigned.title}：${dutyStrings.assign.created(assigned.created)}`}
              data-testid="assign-result"
            />
          ) : null}
          <ItemModal planId={plan.id} open={adding} onClose={() => setAdding(false)} />
          <AssignDrawer
            item={assigning}
            onClose={() => setAssigning(null)}
            onAssigned={(it, created) => setAssigned({ title: it.title, created })}
          />
        </Space>
      ) : null}
    </Drawer>
  );
}
