import { PlusOutlined } from '@ant-design/icons';
import type { Plan } from '@dutyledger/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Empty, Form, Input, Modal, Select, Table, TreeSelect } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { api } from '../../lib/api';
import { dayjs, formatDateTimeShort, TZ } from '../../lib/format';
import { applyServerErrors } from '../../lib/forms';
import { useIsMobile } from '../../lib/hooks';
import { errorText, toastSuccess } from '../../lib/notify';
import { useCan, useCurrentMe } from '../../lib/session';
import { PageContainer } from '../../lib/ui';
import { unitTreeSelectData } from '../../lib/units';
import { useUnits } from '../org/api';
import { plansKey, usePlans } from './api';
import { PlanDrawer } from './PlanDrawer';
import { dutyStrings } from './strings';

const t = dutyStrings.plans;

const currentYear = () => dayjs().tz(TZ).year();

interface CreateValues {
  unitId: string;
  year: number;
  title: string;
}

function CreatePlanModal({
  open,
  year,
  onClose,
  onCreated,
}: {
  open: boolean;
  year: number;
  onClose: () => void;
  onCreated: (p: Plan) => void;
}) {
  const [form] = Form.useForm<CreateValues>();
  const me = useCurrentMe();
  const qc = useQueryClient();
  const { data: units } = useUnits(false);
  const unitTree = useMemo(() => unitTreeSelectData(units ?? [], (u) => !u.active), [units]);
  const defaultUnitId = me.posts.find((p) => p.id === me.currentPostId)?.unitId;
  useEffect(() => {
    if (open) {
      form.resetFields();
      form.setFieldsValue({ unitId: defaultUnitId, year });
    }
  }, [open, form, defaultUnitId, year]);
  const create = useMutation({
    mutationFn: (v: CreateValues) => api.post<Plan>('/api/plans', { unitId: v.unitId, year: v.year, title: v.title.trim() }),
    onSuccess: async (p) => {
      toastSuccess(t.created);
      await qc.invalidateQueries({ queryKey: plansKey });
      onClose();
      onCreated(p);
    },
    onError: (e) => applyServerErrors(form, e),
  });
  const y = currentYear();
  return (
    <Modal
      title={t.createTitle}
      open={open}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t.submit}
      cancelText={t.cancel}
      confirmLoading={create.isPending}
      okButtonProps={{ 'data-testid': 'plan-create-ok' }}
      forceRender
    >
      <Form<CreateValues> form={form} layout="vertical" onFinish={(v) => create.mutate(v)}>
        <Form.Item name="unitId" label={t.unit} rules={[{ required: true, message: t.unitRequired }]}>
          <TreeSelect
            showSearch
            treeNodeFilterProp="title"
            treeData={unitTree}
            treeDefaultExpandAll
            listHeight={320}
            data-testid="plan-unit"
          />
        </Form.Item>
        <Form.Item name="year" label={t.year} rules={[{ required: true }]}>
          <Select options={[y - 1, y, y + 1].map((v) => ({ value: v, label: `${v}${t.yearSuffix}` }))} />
        </Form.Item>
        <Form.Item
          name="title"
          label={t.planTitle}
          rules={[
            { required: true, whitespace: true, message: t.planTitleRequired },
            { max: 200, message: t.planTitleMax },
          ]}
        >
          <Input placeholder={t.planTitlePlaceholder} maxLength={200} data-testid="plan-title" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export default function PlansPage() {
  const mobile = useIsMobile();
  const [sp, setSp] = useSearchParams();
  const y = currentYear();
  const year = Number(sp.get('year')) || y;
  const plansQuery = usePlans(year);
  const canManage = useCan('plan.manage');
  const [creating, setCreating] = useState(false);
  const [openId, setOpenId] = useState<string | null>(null);

  const years = Array.from(new Set([y + 1, y, y - 1, y - 2, y - 3, year])).sort((a, b) => b - a);

  const columns: ColumnsType<Plan> = [
    { title: t.columns.title, dataIndex: 'title', fixed: mobile ? undefined : 'left' },
    { title: t.columns.unit, dataIndex: 'unitName', width: 180 },
    { title: t.columns.year, dataIndex: 'year', width: 90 },
    { title: t.columns.createdAt, dataIndex: 'createdAt', width: 160, render: (v: string) => formatDateTimeShort(v) },
    {
      title: t.columns.actions,
      key: 'actions',
      width: 90,
      render: (_, p) => (
        <Button
          type="link"
          size="small"
          onClick={(e) => {
            e.stopPropagation();
            setOpenId(p.id);
          }}
          data-testid="plan-view"
        >
          {t.view}
        </Button>
      ),
    },
  ];

  return (
    <PageContainer
      title={t.title}
      extra={
        <>
          <Select
            value={year}
            style={{ width: 110 }}
            onChange={(v) => setSp(new URLSearchParams({ year: String(v) }))}
            options={years.map((v) => ({ value: v, label: `${v}${t.yearSuffix}` }))}
            aria-label={t.year}
            data-testid="plan-year"
          />
          {canManage ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="plan-create">
              {t.create}
            </Button>
          ) : null}
        </>
      }
    >
      <Card size="small">
        {plansQuery.isError ? <Alert type="error" showIcon message={errorText(plansQuery.error)} style={{ marginBottom: 12 }} /> : null}
        <Table<Plan>
          rowKey="id"
          size={mobile ? 'small' : 'middle'}
          columns={columns}
          dataSource={plansQuery.data ?? []}
          loading={plansQuery.isFetching}
          scroll={{ x: true }}
          pagination={false}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t.empty} /> }}
          onRow={(p) => ({ onClick: () => setOpenId(p.id), style: { cursor: 'pointer' } })}
        />
      </Card>
      <CreatePlanModal open={creating} year={year} onClose={() => setCreating(false)} onCreated={(p) => setOpenId(p.id)} />
      <PlanDrawer planId={openId} onClose={() => setOpenId(null)} />
    </PageContainer>
  );
}
