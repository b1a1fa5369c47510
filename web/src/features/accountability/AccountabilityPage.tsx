import { PaperClipOutlined, PlusOutlined } from '@ant-design/icons';
import {
  type AccountabilityRecord,
  accountabilityCauseLabels,
  accountabilityCauseTypes,
  accountabilityMeasureLabels,
  accountabilityMeasures,
} from '@dutyledger/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Button,
  DatePicker,
  Descriptions,
  Drawer,
  Form,
  Input,
  List,
  Popconfirm,
  Radio,
  Select,
  Space,
  Spin,
  Tag,
  TreeSelect,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { api } from '../../lib/api';
import { formatDate, formatDateTimeShort } from '../../lib/format';
import { applyServerErrors } from '../../lib/forms';
import { useDrawerWidth } from '../../lib/hooks';
import { PagedTable, SearchCard, useListParams } from '../../lib/list';
import { errorText, toastSuccess } from '../../lib/notify';
import { useCan } from '../../lib/session';
import { PageContainer } from '../../lib/ui';
import { unitTreeSelectData } from '../../lib/units';
import { useUnitPeople, useUnits } from '../org/api';
import { accountabilityKey, useAccountability, useAccountabilityList } from './api';
import { accountabilityStrings } from './strings';

const t = accountabilityStrings;
const UUID = /^[0-9a-f-]{36}$/i;

function readFilter(sp: URLSearchParams) {
  const measure = sp.get('measure');
  const unitId = sp.get('unitId') ?? '';
  return {
    q: sp.get('q') || undefined,
    measure: measure && (accountabilityMeasures as readonly string[]).includes(measure) ? measure : undefined,
    mine: sp.get('mine') === 'true' ? 'true' : undefined,
    unitId: UUID.test(unitId) ? unitId : undefined,
  };
}

interface CreateForm {
  subjectType: 'person' | 'unit';
  subjectUnitId: string;
  subjectPersonId?: string;
  cause: { type: (typeof accountabilityCauseTypes)[number]; label: string };
  measure: string;
  decidingUnitId: string;
  decidedOn: Dayjs;
  description?: string;
}

function CreateDrawer({ open, onClose }: { open: boolean; onClose: () => void }) {
  const width = useDrawerWidth(520);
  const [form] = Form.useForm<CreateForm>();
  const qc = useQueryClient();
  const { data: units } = useUnits();
  const tree = useMemo(() => unitTreeSelectData(units ?? []), [units]);
  const subjectType = Form.useWatch('subjectType', form);
  const subjectUnitId = Form.useWatch('subjectUnitId', form);
  const { data: people } = useUnitPeople(subjectUnitId, subjectType === 'person');
  const create = useMutation({
    mutationFn: (v: CreateForm) =>
      api.post('/api/accountability', {
        subjectType: v.subjectType,
        subjectPersonId: v.subjectType === 'person' ? v.subjectPersonId : null,
        subjectUnitId: v.subjectUnitId,
        cause: { type: v.cause.type, id: null, label: v.cause.label.trim() },
        measure: v.measure,
        decidingUnitId: v.decidingUnitId,
        decidedOn: v.decidedOn.format('YYYY-MM-DD'),
        description: v.description ?? '',
      }),
    onSuccess: async () => {
      toastSuccess(t.form.created);
      await qc.invalidateQueries({ queryKey: accountabilityKey });
      form.resetFields();
      onClose();
    },
    onError: (e) => applyServerErrors(form, e),
  });
  return (
    <Drawer
      title={t.add}
      width={width}
      open={open}
      onClose={onClose}
      destroyOnHidden
      extra={
        <Button type="primary" loading={create.isPending} onClick={() => form.submit()} data-testid="accountability-save">
          {t.form.ok}
        </Button>
      }
    >
      <Form<CreateForm>
        form={form}
        layout="vertical"
        onFinish={(v) => create.mutate(v)}
        initialValues={{ subjectType: 'person', cause: { type: 'task' } }}
      >
        <Form.Item name="subjectType" label={t.form.subjectType}>
          <Radio.Group
            options={[
              { value: 'person', label: t.form.person },
              { value: 'unit', label: t.form.unit },
            ]}
          />
        </Form.Item>
        <Form.Item name="subjectUnitId" label={t.form.subjectUnit} rules={[{ required: true, message: t.form.subjectUnitRequired }]}>
          <TreeSelect showSearch treeNodeFilterProp="title" treeData={tree} />
        </Form.Item>
        {subjectType === 'person' ? (
          <Form.Item
            name="subjectPersonId"
            label={t.form.subjectPerson}
            rules={[{ required: true, message: t.form.subjectPersonRequired }]}
          >
            <Select
              showSearch
              optionFilterProp="label"
              options={(people?.items ?? []).map((p) => ({ value: p.id, label: p.displayName }))}
            />
          </Form.Item>
        ) : null}
        <Form.Item name={['cause', 'type']} label={t.form.causeType}>
          <Select options={accountabilityCauseTypes.map((c) => ({ value: c, label: accountabilityCauseLabels[c] }))} />
        </Form.Item>
        <Form.Item
          name={['cause', 'label']}
          label={t.form.causeLabel}
          rules={[{ required: true, whitespace: true, message: t.form.causeLabelRequired }]}
        >
          <Input maxLength={500} data-testid="accountability-cause" />
        </Form.Item>
        <Form.Item name="measure" label={t.form.measure} rules={[{ required: true, message: t.form.measureRequired }]}>
          <Select options={accountabilityMeasures.map((m) => ({ value: m, label: accountabilityMeasureLabels[m] }))} />
        </Form.Item>
        <Form.Item name="decidingUnitId" label={t.form.decidingUnit} rules={[{ required: true, message: t.form.decidingUnitRequired }]}>
          <TreeSelect showSearch treeNodeFilterProp="title" treeData={tree} />
        </Form.Item>
        <Form.Item name="decidedOn" label={t.form.decidedOn} rules={[{ required: true, message: t.form.decidedOnRequired }]}>
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="description" label={t.form.description}>
          <Input.TextArea rows={3} maxLength={5000} />
        </Form.Item>
      </Form>
    </Drawer>
  );
}

function DetailDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const width = useDrawerWidth(560);
  const { data: r, isLoading, isError, error } = useAccountability(id);
  const [form] = Form.useForm<{ response: string }>();
  const qc = useQueryClient();
  const respond = useMutation({
    mutationFn: (v: { response: string }) => api.post(`/api/accountability/${id}/response`, { response: v.response.trim() }),
    onSuccess: async () => {
      toastSuccess(t.detail.responded);
      await qc.invalidateQueries({ queryKey: accountabilityKey });
    },
    onError: (e) => applyServerErrors(form, e),
  });
  return (
    <Drawer title={t.detail.title} width={width} open={!!id} onClose={onClose} destroyOnHidden>
      {isLoading ? <Spin /> : null}
      {isError ? <Alert type="error" showIcon message={errorText(error)} /> : null}
      {r ? (
        <Space direction="vertical" style={{ width: '100%' }} size="middle" data-testid="accountability-drawer">
          <Descriptions column={1} size="small" bordered>
            <Descriptions.Item label={t.columns.subject}>{r.subjectPersonName ?? r.subjectUnitName}</Descriptions.Item>
            <Descriptions.Item label={t.columns.unit}>{r.subjectUnitName}</Descriptions.Item>
            <Descriptions.Item label={t.columns.measure}>
              <Tag color="volcano">{r.measureLabel}</Tag>
            </Descriptions.Item>
            <Descriptions.Item label={t.columns.cause}>
              {accountabilityCauseLabels[r.cause.type]}：{r.cause.label}
            </Descriptions.Item>
            <Descriptions.Item label={t.columns.deciding}>{r.decidingUnitName}</Descriptions.Item>
            {r.decidedByName ? <Descriptions.Item label={t.detail.decidedBy}>{r.decidedByName}</Descriptions.Item> : null}
            <Descriptions.Item label={t.columns.decidedOn}>{formatDate(r.decidedOn)}</Descriptions.Item>
            {r.description ? <Descriptions.Item label={t.detail.description}>{r.description}</Descriptions.Item> : null}
            {r.response ? (
              <>
                <Descriptions.Item label={t.detail.response}>{r.response}</Descriptions.Item>
                <Descriptions.Item label={t.detail.respondedAt}>
                  {formatDateTimeShort(r.respondedAt)} {r.respondedByName ?? ''}
                </Descriptions.Item>
              </>
            ) : null}
          </Descriptions>
          {r.attachments.length ? (
            <List
              size="small"
              header={t.detail.attachments}
              dataSource={r.attachments}
              renderItem={(a) => (
                <List.Item>
                  <a href={`/api/attachments/${a.id}/download`}>
                    <PaperClipOutlined /> {a.name}
                  </a>
                </List.Item>
              )}
            />
          ) : null}
          {r.canRespond ? (
            <Form form={form} layout="vertical" onFinish={(v) => respond.mutate(v)}>
              <Form.Item
                name="response"
                label={t.detail.respond}
                rules={[{ required: true, whitespace: true, message: t.detail.respondRequired }]}
              >
                <Input.TextArea rows={4} maxLength={5000} data-testid="accountability-response" />
              </Form.Item>
              <Popconfirm title={t.detail.respondConfirm} onConfirm={() => form.submit()}>
                <Button type="primary" loading={respond.isPending} data-testid="accountability-respond">
                  {t.detail.respond}
                </Button>
              </Popconfirm>
            </Form>
          ) : null}
        </Space>
      ) : null}
    </Drawer>
  );
}

export default function AccountabilityPage() {
  const list = useListParams(readFilter);
  const { filter, page, pageSize } = list;
  const query = useAccountabilityList(filter, page, pageSize);
  const canManage = useCan('accountability.manage');
  const [creating, setCreating] = useState(false);
  // a notification's link opens the record: /accountability?open=<id>
  const [openId, setOpenId] = useState<string | null>(() => {
    const id = list.searchParams.get('open');
    return id && UUID.test(id) ? id : null;
  });
  const { data: units } = useUnits();
  const unitTree = useMemo(() => unitTreeSelectData(units ?? []), [units]);
  return (
    <PageContainer
      title={t.title}
      extra={
        canManage ? (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="accountability-new">
            {t.add}
          </Button>
        ) : null
      }
    >
      <Alert type="info" showIcon message={t.hint} style={{ marginBottom: 12 }} />
      <SearchCard<typeof filter>
        initialValues={filter}
        onSearch={list.applyFilter}
        fields={[
          { name: 'q', label: t.search.q, children: <Input allowClear maxLength={100} placeholder={t.search.qPlaceholder} /> },
          {
            name: 'measure',
            label: t.search.measure,
            children: (
              <Select allowClear options={accountabilityMeasures.map((m) => ({ value: m, label: accountabilityMeasureLabels[m] }))} />
            ),
          },
          { name: 'mine', label: t.search.mine, children: <Select allowClear options={[{ value: 'true', label: t.search.mineTrue }]} /> },
          {
            name: 'unitId',
            label: t.search.unit,
            children: <TreeSelect allowClear showSearch treeNodeFilterProp="title" treeData={unitTree} />,
          },
        ]}
      />
      <PagedTable<AccountabilityRecord>
        query={query}
        params={list}
        rowKey="id"
        emptyText={t.empty}
        totalText={t.total}
        onRow={(r) => ({ onClick: () => setOpenId(r.id), style: { cursor: 'pointer' } })}
        columns={[
          { title: t.columns.subject, key: 'subject', render: (_, r) => r.subjectPersonName ?? r.subjectUnitName },
          { title: t.columns.unit, dataIndex: 'subjectUnitName' },
          { title: t.columns.measure, dataIndex: 'measureLabel', render: (v: string) => <Tag color="volcano">{v}</Tag> },
          { title: t.columns.cause, key: 'cause', render: (_, r) => r.cause.label, onCell: () => ({ style: { minWidth: 180 } }) },
          { title: t.columns.decidedOn, dataIndex: 'decidedOn', render: (v: string) => formatDate(v) },
          {
            title: t.columns.response,
            key: 'response',
            render: (_, r) => (r.response ? <Tag color="green">{t.responded}</Tag> : <Tag>{t.notResponded}</Tag>),
          },
        ]}
      />
      <CreateDrawer open={creating} onClose={() => setCreating(false)} />
      <DetailDrawer id={openId} onClose={() => setOpenId(null)} />
    </PageContainer>
  );
}
