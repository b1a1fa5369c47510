import { PlusOutlined } from '@ant-design/icons';
import { type ComplianceRule, rulePeriods, ruleSources, unitTypes } from '@dutyledger/contracts';
import { Alert, Button, Card, Drawer, Empty, Form, Input, InputNumber, Radio, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useEffect, useState } from 'react';
import { applyServerErrors } from '../../lib/forms';
import { useDrawerWidth, useIsMobile } from '../../lib/hooks';
import { errorText, toastSuccess } from '../../lib/notify';
import { useCan, useCurrentMe } from '../../lib/session';
import { PageContainer } from '../../lib/ui';
import { useUnits } from '../org/api';
import { useMeetingKinds, useRules, useSaveRule } from './api';
import { ruleCountText } from './shared';
import { complianceStrings } from './strings';

const t = complianceStrings.rules;
const f = t.form;

interface RuleValues {
  name: string;
  basis?: string;
  unitTypes: string[];
  source: 'meeting' | 'studyPlan';
  kindIds?: string[];
  tags?: string[];
  minCount: number;
  period: (typeof rulePeriods)[number];
  dueDay?: number | null;
  active: boolean;
  sort?: number;
}

function RuleDrawer({ rule, open, onClose }: { rule: ComplianceRule | null; open: boolean; onClose: () => void }) {
  const width = useDrawerWidth(560);
  const [form] = Form.useForm<RuleValues>();
  const kinds = useMeetingKinds();
  const save = useSaveRule();
  const source = Form.useWatch('source', form);
  useEffect(() => {
    if (!open) return;
    form.resetFields();
    form.setFieldsValue(
      rule
        ? { ...rule, basis: rule.basis, dueDay: rule.dueDay }
        : { source: 'meeting', minCount: 1, period: 'halfYear', active: true, unitTypes: [], kindIds: [], tags: [], sort: 0 },
    );
  }, [open, rule, form]);
  const submit = (v: RuleValues) => {
    const body = {
      name: v.name.trim(),
      basis: (v.basis ?? '').trim(),
      unitTypes: v.unitTypes as never,
      source: v.source,
      kindIds: v.source === 'meeting' ? (v.kindIds ?? []) : [],
      tags: v.source === 'meeting' ? (v.tags ?? []).map((s) => s.trim()).filter(Boolean) : [],
      minCount: v.minCount,
      period: v.period,
      dueDay: v.dueDay ?? null,
      active: v.active,
      sort: v.sort ?? 0,
    };
    save.mutate(
      { id: rule?.id, body },
      {
        onSuccess: () => {
          toastSuccess(t.saved);
          onClose();
        },
        onError: (e) => applyServerErrors(form, e),
      },
    );
  };
  return (
    <Drawer
      title={rule ? t.editTitle : t.createTitle}
      open={open}
      onClose={onClose}
      width={width}
      forceRender
      extra={
        <Space>
          <Button onClick={onClose}>{f.cancel}</Button>
          <Button type="primary" loading={save.isPending} onClick={() => form.submit()} data-testid="rule-save">
            {f.submit}
          </Button>
        </Space>
      }
    >
      <Form<RuleValues> form={form} layout="vertical" onFinish={submit}>
        <Form.Item name="name" label={f.name} rules={[{ required: true, whitespace: true, message: f.nameRequired }]}>
          <Input maxLength={200} data-testid="rule-name" />
        </Form.Item>
        <Form.Item name="basis" label={f.basis}>
          <Input.TextArea rows={3} maxLength={2000} />
        </Form.Item>
        <Form.Item name="unitTypes" label={f.unitTypes} rules={[{ required: true, message: f.unitTypesRequired }]}>
          <Select mode="multiple" options={unitTypes.map((u) => ({ value: u, label: u }))} />
        </Form.Item>
        <Form.Item name="source" label={f.source}>
          <Radio.Group options={ruleSources.map((s) => ({ value: s, label: complianceStrings.sources[s] }))} />
        </Form.Item>
        {source === 'meeting' ? (
          <>
            <Form.Item name="kindIds" label={f.kindIds} rules={[{ required: true, message: f.kindIdsRequired }]}>
              <Select mode="multiple" loading={kinds.isLoading} options={(kinds.data ?? []).map((k) => ({ value: k.id, label: k.name }))} />
            </Form.Item>
            <Form.Item name="tags" label={f.tags}>
              <Select mode="tags" placeholder={f.tagsPlaceholder} open={false} suffixIcon={null} />
            </Form.Item>
          </>
        ) : null}
        <Space wrap>
          <Form.Item name="minCount" label={f.minCount} rules={[{ required: true, message: f.minCountRequired }]}>
            <InputNumber min={1} max={100} precision={0} />
          </Form.Item>
          <Form.Item name="period" label={f.period} rules={[{ required: true, message: f.periodRequired }]}>
            <Select style={{ width: 120 }} options={rulePeriods.map((p) => ({ value: p, label: complianceStrings.periods[p] }))} />
          </Form.Item>
          <Form.Item name="sort" label={f.sort}>
            <InputNumber min={0} max={100000} precision={0} />
          </Form.Item>
        </Space>
        <Form.Item name="dueDay" label={f.dueDay}>
          <InputNumber min={1} max={366} precision={0} style={{ width: 160 }} />
        </Form.Item>
        <Form.Item name="active" label={f.active} valuePropName="checked">
          <Switch />
        </Form.Item>
      </Form>
    </Drawer>
  );
}

export default function RulesPage() {
  const mobile = useIsMobile();
  const me = useCurrentMe();
  const canManagePerm = useCan('rule.manage');
  const { data: units } = useUnits(false);
  const post = me.posts.find((p) => p.id === me.currentPostId);
  // rules are global: only an admin acting in a top unit (no parent) edits them (the server checks it too)
  const isTop = !!units?.find((u) => u.id === post?.scopeRootId && !u.parentId);
  const canManage = canManagePerm && isTop;
  const rules = useRules();
  const [editing, setEditing] = useState<ComplianceRule | null>(null);
  const [creating, setCreating] = useState(false);
  const columns: ColumnsType<ComplianceRule> = [
    {
      title: t.columns.name,
      dataIndex: 'name',
      onCell: () => ({ style: { minWidth: 220 } }),
      render: (_, r) => (
        <Space direction="vertical" size={0}>
          <Typography.Text strong>{r.name}</Typography.Text>
          {r.basis ? <Typography.Text type="secondary">{r.basis}</Typography.Text> : null}
        </Space>
      ),
    },
    { title: t.columns.scope, key: 'scope', render: (_, r) => r.unitTypes.join('、') },
    { title: t.columns.counts, key: 'counts', render: (_, r) => ruleCountText(r) },
    { title: t.columns.period, key: 'period', render: (_, r) => complianceStrings.periods[r.period] },
    { title: t.columns.dueDay, key: 'dueDay', render: (_, r) => t.dueDayText(r.dueDay) },
    {
      title: t.columns.active,
      key: 'active',
      render: (_, r) => (r.active ? <Tag color="green">{t.active}</Tag> : <Tag>{t.inactive}</Tag>),
    },
    ...(canManage
      ? [
          {
            title: t.columns.actions,
            key: 'actions',
            fixed: mobile ? undefined : ('right' as const),
            render: (_: unknown, r: ComplianceRule) => (
              <Button type="link" size="small" onClick={() => setEditing(r)} data-testid="rule-edit">
                {t.edit}
              </Button>
            ),
          },
        ]
      : []),
  ];
  return (
    <PageContainer
      title={t.title}
      extra={
        canManage ? (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="rule-add">
            {t.add}
          </Button>
        ) : null
      }
    >
      {!canManage ? <Alert type="info" showIcon message={t.readOnly} style={{ marginBottom: 12 }} /> : null}
      {rules.isError ? <Alert type="error" showIcon message={errorText(rules.error)} style={{ marginBottom: 12 }} /> : null}
      <Card size="small">
        <Table<ComplianceRule>
          rowKey="id"
          size={mobile ? 'small' : 'middle'}
          columns={columns}
          dataSource={rules.data ?? []}
          loading={rules.isFetching}
          pagination={false}
          scroll={{ x: true }}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t.empty} /> }}
          data-testid="rules-table"
        />
      </Card>
      <RuleDrawer
        rule={editing}
        open={creating || !!editing}
        onClose={() => {
          setCreating(false);
          setEditing(null);
        }}
      />
    </PageContainer>
  );
}
