import { PlusOutlined } from '@ant-design/icons';
import {
  type AssessmentCycle,
  type AssessmentCycleDetail,
  assessmentCycleStateLabels,
  assessmentCycleStates,
  unitTypes,
} from '@dutyledger/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Drawer, Form, Input, InputNumber, Select, Tag, TreeSelect } from 'antd';
import { useMemo, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { api } from '../../lib/api';
import { applyServerErrors } from '../../lib/forms';
import { useDrawerWidth } from '../../lib/hooks';
import { PagedTable, SearchCard, useListParams } from '../../lib/list';
import { toastSuccess } from '../../lib/notify';
import { useCan, useCurrentMe } from '../../lib/session';
import { PageContainer } from '../../lib/ui';
import { unitTreeSelectData } from '../../lib/units';
import { useUnits } from '../org/api';
import { assessmentKey, listCycles, useFrameworks } from './api';
import { assessmentStrings } from './strings';

const t = assessmentStrings;

function readFilter(sp: URLSearchParams) {
  const state = sp.get('state');
  return {
    q: sp.get('q') || undefined,
    state: state && (assessmentCycleStates as readonly string[]).includes(state) ? state : undefined,
  };
}

interface FormValues {
  name: string;
  frameworkId: string;
  unitId: string;
  year: number;
  unitType?: string;
}

function CreateDrawer({ open, onClose }: { open: boolean; onClose: () => void }) {
  const width = useDrawerWidth(480);
  const me = useCurrentMe();
  const [form] = Form.useForm<FormValues>();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const { data: units } = useUnits();
  const tree = useMemo(() => unitTreeSelectData(units ?? []), [units]);
  const { data: frameworks } = useFrameworks();
  const save = useMutation({
    mutationFn: (v: FormValues) => api.post<AssessmentCycleDetail>('/api/assessment/cycles', { ...v, unitType: v.unitType || undefined }),
    onSuccess: async (c) => {
      toastSuccess(t.form.saved);
      await qc.invalidateQueries({ queryKey: assessmentKey });
      onClose();
      navigate(`/assessment/${c.id}`);
    },
    onError: (e) => applyServerErrors(form, e),
  });
  const year = new Date().getFullYear();
  return (
    <Drawer
      title={t.add}
      width={width}
      open={open}
      onClose={onClose}
      destroyOnHidden
      extra={
        <Button type="primary" loading={save.isPending} onClick={() => form.submit()} data-testid="assessment-create-save">
          {t.form.ok}
        </Button>
      }
    >
      <Form<FormValues>
        form={form}
        layout="vertical"
        initialValues={{
          name: `${year}年度意识形态工作责任制考核`,
          year,
          frameworkId: frameworks?.[0]?.id,
          unitId: me.posts.find((p) => p.id === me.currentPostId)?.scopeRootId,
        }}
        onFinish={(v) => save.mutate(v)}
      >
        <Form.Item name="name" label={t.form.name} rules={[{ required: true, whitespace: true, message: t.form.nameRequired }]}>
          <Input maxLength={100} data-testid="assessment-name" />
        </Form.Item>
        <Form.Item name="frameworkId" label={t.form.framework} rules={[{ required: true, message: t.form.frameworkRequired }]}>
          <Select options={(frameworks ?? []).map((f) => ({ value: f.id, label: `${f.name}（第${f.version}版，${f.totalPoints}分）` }))} />
        </Form.Item>
        <Form.Item name="unitId" label={t.form.unit} rules={[{ required: true, message: t.form.unitRequired }]}>
          <TreeSelect showSearch treeNodeFilterProp="title" treeData={tree} />
        </Form.Item>
        <Form.Item name="year" label={t.form.year} rules={[{ required: true, message: t.form.yearRequired }]}>
          <InputNumber min={2000} max={2100} precision={0} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="unitType" label={t.form.unitType}>
          <Select allowClear options={unitTypes.map((u) => ({ value: u, label: u }))} />
        </Form.Item>
      </Form>
    </Drawer>
  );
}

export default function AssessmentPage() {
  const list = useListParams(readFilter);
  const { filter, page, pageSize } = list;
  const canManage = useCan('assessment.manage');
  const navigate = useNavigate();
  const [creating, setCreating] = useState(false);
  const query = useQuery({
    queryKey: [...assessmentKey, 'list', { ...filter, page, pageSize }],
    queryFn: () => listCycles({ ...filter, page, pageSize }),
    placeholderData: (prev) => prev,
  });
  return (
    <PageContainer
      title={t.title}
      extra={
        canManage ? (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="assessment-new">
            {t.add}
          </Button>
        ) : null
      }
    >
      <SearchCard<ReturnType<typeof readFilter>>
        initialValues={filter}
        onSearch={(v) => list.applyFilter(v)}
        fields={[
          { name: 'q', label: t.search.q, children: <Input allowClear maxLength={100} placeholder={t.search.qPlaceholder} /> },
          {
            name: 'state',
            label: t.search.state,
            children: (
              <Select allowClear options={assessmentCycleStates.map((s) => ({ value: s, label: assessmentCycleStateLabels[s] }))} />
            ),
          },
        ]}
      />
      <PagedTable<AssessmentCycle>
        query={query}
        params={list}
        rowKey="id"
        emptyText={t.empty}
        totalText={t.total}
        onRow={(r) =>
          ({
            onClick: () => navigate(`/assessment/${r.id}`),
            style: { cursor: 'pointer' },
            'data-testid': `assessment-row-${r.id}`,
          }) as never
        }
        columns={[
          { title: t.columns.name, dataIndex: 'name', onCell: () => ({ style: { minWidth: 180 } }) },
          { title: t.columns.year, dataIndex: 'year' },
          { title: t.columns.unit, dataIndex: 'unitName' },
          { title: t.columns.framework, dataIndex: 'frameworkName', responsive: ['md'] },
          { title: t.columns.targets, dataIndex: 'targetCount', responsive: ['md'] },
          {
            title: t.columns.state,
            dataIndex: 'state',
            render: (s: AssessmentCycle['state']) => (
              <Tag color={s === 'published' ? 'green' : 'blue'}>{assessmentCycleStateLabels[s]}</Tag>
            ),
          },
        ]}
      />
      <CreateDrawer open={creating} onClose={() => setCreating(false)} />
    </PageContainer>
  );
}
