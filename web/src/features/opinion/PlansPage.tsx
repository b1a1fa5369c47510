import { PlusOutlined } from '@ant-design/icons';
import { type OpinionLevel, opinionLevelLabels, opinionLevels, type ResponsePlan, type ResponsePlanDetail } from '@dutyledger/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Collapse, DatePicker, Drawer, Form, Input, Modal, Select, Space, Spin, Tag, Timeline, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { api, type Paged } from '../../lib/api';
import { dayjs, formatDate, formatDateTimeShort } from '../../lib/format';
import { applyServerErrors } from '../../lib/forms';
import { useDrawerWidth } from '../../lib/hooks';
import { PagedTable, SearchCard, useListParams } from '../../lib/list';
import { errorText, toastSuccess } from '../../lib/notify';
import { useCan } from '../../lib/session';
import type { Person } from '../../lib/types';
import { PageContainer } from '../../lib/ui';
import { plansKey, useCurrentUnit, useResponsePlan, useResponsePlans } from './api';
import { AttachmentList, LevelTag, useUploads } from './shared';
import { opinionStrings } from './strings';

const t = opinionStrings.plans;
const c = opinionStrings.common;
const nowrap = () => ({ style: { whiteSpace: 'nowrap' as const } });

interface VersionValues {
  title?: string;
  body?: string;
  levels: OpinionLevel[];
  notifyPersonIds?: string[];
  note?: string;
}

function usePeopleOfUnit(unitId: string | undefined) {
  return useQuery({
    queryKey: ['people', 'list', { unitId, page: 1, pageSize: 200 }],
    queryFn: () => api.get<Paged<Person>>('/api/people', { unitId, page: 1, pageSize: 200 }),
    enabled: !!unitId,
  });
}

/** New plan (no `plan`) or a new version of `plan`. */
function PlanForm({
  plan,
  open,
  onClose,
  onSaved,
}: {
  plan?: ResponsePlanDetail;
  open: boolean;
  onClose: () => void;
  onSaved?: (id: string) => void;
}) {
  const width = useDrawerWidth(600);
  const [form] = Form.useForm<VersionValues>();
  const qc = useQueryClient();
  const unit = useCurrentUnit();
  const unitId = plan?.unitId ?? unit?.id;
  const people = usePeopleOfUnit(unitId);
  const uploads = useUploads(unitId);
  const save = useMutation({
    mutationFn: (v: VersionValues) => {
      const body = { body: (v.body ?? '').trim(), levels: v.levels, notifyPersonIds: v.notifyPersonIds ?? [], attachmentIds: uploads.ids };
      return plan
        ? api.post<ResponsePlanDetail>(`/api/response-plans/${plan.id}/versions`, { ...body, note: (v.note ?? '').trim() })
        : api.post<ResponsePlanDetail>('/api/response-plans', { ...body, unitId, title: (v.title ?? '').trim() });
    },
    onSuccess: async (saved) => {
      toastSuccess(plan ? t.form.versioned : t.form.created);
      await qc.invalidateQueries({ queryKey: plansKey });
      uploads.reset();
      onSaved?.(saved.id);
      onClose();
    },
    onError: (e) => applyServerErrors(form, e),
  });
  const current = plan?.versions[0];
  const initial: Partial<VersionValues> = current
    ? { body: current.body, levels: current.levels, notifyPersonIds: current.notifyPeople.map((p) => p.id) }
    : { levels: ['serious', 'major', 'critical'] };
  return (
    <Drawer
      title={plan ? t.form.titleVersion : t.form.titleCreate}
      open={open}
      onClose={onClose}
      width={width}
      destroyOnHidden
      footer={
        <Space>
          <Button onClick={onClose}>{c.cancel}</Button>
          <Button
            type="primary"
            loading={save.isPending}
            disabled={uploads.uploading}
            onClick={() => form.submit()}
            data-testid="plan-save"
          >
            {c.save}
          </Button>
        </Space>
      }
    >
      <Form<VersionValues> form={form} layout="vertical" initialValues={initial} onFinish={(v) => save.mutate(v)}>
        <Form.Item label={t.form.unit}>
          <Input value={plan?.unitName ?? unit?.name ?? c.noUnit} disabled />
        </Form.Item>
        {plan ? null : (
          <Form.Item
            name="title"
            label={t.form.title}
            rules={[
              { required: true, whitespace: true, message: c.required(t.form.title) },
              { max: 200, message: c.max(t.form.title, 200) },
            ]}
          >
            <Input maxLength={200} data-testid="plan-title" />
          </Form.Item>
        )}
        <Form.Item name="levels" label={t.form.levels} rules={[{ required: true, message: t.form.levelsRequired }]}>
          <Select mode="multiple" options={opinionLevels.map((l) => ({ value: l, label: opinionLevelLabels[l] }))} />
        </Form.Item>
        <Form.Item name="notifyPersonIds" label={t.form.notify}>
          <Select
            mode="multiple"
            allowClear
            placeholder={t.form.notifyPlaceholder}
            loading={people.isLoading}
            optionFilterProp="label"
            options={(people.data?.items ?? []).map((p) => ({ value: p.id, label: p.displayName }))}
          />
        </Form.Item>
        <Form.Item name="body" label={t.form.body} rules={[{ max: 50000, message: c.max(t.form.body, 50000) }]}>
          <Input.TextArea rows={10} />
        </Form.Item>
        {plan ? (
          <Form.Item name="note" label={t.form.note} rules={[{ max: 2000, message: c.max(t.form.note, 2000) }]}>
            <Input maxLength={2000} />
          </Form.Item>
        ) : null}
        <Form.Item label={c.attachments}>{uploads.field}</Form.Item>
      </Form>
    </Drawer>
  );
}

function DrillModal({ plan, onClose }: { plan: ResponsePlanDetail; onClose: () => void }) {
  const [form] = Form.useForm<{ heldAt: Dayjs; scenario: string; summary?: string }>();
  const qc = useQueryClient();
  const uploads = useUploads(plan.unitId);
  const save = useMutation({
    mutationFn: (v: { heldAt: Dayjs; scenario: string; summary?: string }) =>
      api.post(`/api/response-plans/${plan.id}/drills`, {
        heldAt: v.heldAt.toISOString(),
        scenario: v.scenario.trim(),
        summary: (v.summary ?? '').trim(),
        attachmentIds: uploads.ids,
      }),
    onSuccess: async () => {
      toastSuccess(t.drill.done);
      await qc.invalidateQueries({ queryKey: plansKey });
      onClose();
    },
    onError: (e) => applyServerErrors(form, e),
  });
  return (
    <Modal
      title={t.drill.title}
      open
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={c.ok}
      cancelText={c.cancel}
      confirmLoading={save.isPending}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" onFinish={(v) => save.mutate(v)}>
        <Form.Item name="heldAt" label={t.drill.heldAt} rules={[{ required: true, message: t.drill.heldAtRequired }]}>
          <DatePicker showTime style={{ width: '100%' }} disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
        </Form.Item>
        <Form.Item
          name="scenario"
          label={t.drill.scenario}
          rules={[
            { required: true, whitespace: true, message: c.required(t.drill.scenario) },
            { max: 2000, message: c.max(t.drill.scenario, 2000) },
          ]}
        >
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
        <Form.Item name="summary" label={t.drill.summary} rules={[{ max: 20000, message: c.max(t.drill.summary, 20000) }]}>
          <Input.TextArea rows={4} />
        </Form.Item>
        <Form.Item label={c.attachments}>{uploads.field}</Form.Item>
      </Form>
    </Modal>
  );
}

function PlanDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const width = useDrawerWidth(720);
  const q = useResponsePlan(id ?? undefined);
  const p = q.data;
  const unit = useCurrentUnit();
  const canWrite = useCan('opinion.write') && !!p && !!unit && p.unitId === unit.id;
  const [dialog, setDialog] = useState<'version' | 'drill' | null>(null);
  return (
    <Drawer
      title={t.detail.title}
      open={!!id}
      onClose={onClose}
      width={width}
      destroyOnHidden
      footer={
        p && canWrite ? (
          <Space>
            <Button onClick={() => setDialog('version')}>{t.detail.addVersion}</Button>
            <Button type="primary" onClick={() => setDialog('drill')}>
              {t.detail.addDrill}
            </Button>
          </Space>
        ) : null
      }
    >
      {q.isError ? <Alert type="error" showIcon message={c.loadFailed} description={errorText(q.error)} /> : null}
      {q.isLoading ? <Spin /> : null}
      {p ? (
        <Space direction="vertical" size={16} style={{ width: '100%' }}>
          <Typography.Title level={5} style={{ margin: 0 }}>
            {p.title}（{t.versionLabel(p.currentVersion)}）
          </Typography.Title>
          <Typography.Text type="secondary">{p.unitName}</Typography.Text>
          <div>
            <Typography.Text strong>{t.detail.versions}</Typography.Text>
            <Collapse
              style={{ marginTop: 8 }}
              defaultActiveKey={[p.versions[0]?.id ?? '']}
              items={p.versions.map((v) => ({
                key: v.id,
                label: `${t.versionLabel(v.version)} · ${formatDateTimeShort(v.createdAt)}${v.note ? ` · ${v.note}` : ''}`,
                children: (
                  <Space direction="vertical" style={{ width: '100%' }}>
                    <Space wrap>
                      {v.levels.map((l) => (
                        <LevelTag key={l} level={l} label={opinionLevelLabels[l]} />
                      ))}
                    </Space>
                    <Typography.Text>
                      {t.detail.notify}：{v.notifyPeople.length ? v.notifyPeople.map((x) => x.displayName).join('、') : t.detail.none}
                    </Typography.Text>
                    <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{v.body}</Typography.Paragraph>
                    <AttachmentList items={v.attachments} />
                  </Space>
                ),
              }))}
            />
          </div>
          <div>
            <Typography.Text strong>{t.detail.drills}</Typography.Text>
            {p.drills.length === 0 ? (
              <Typography.Paragraph type="secondary">{t.detail.noDrills}</Typography.Paragraph>
            ) : (
              <Timeline
                style={{ marginTop: 12 }}
                items={p.drills.map((d) => ({
                  children: (
                    <div>
                      <Typography.Text strong>{formatDate(d.heldAt)}</Typography.Text> {d.scenario}
                      {d.summary ? <div style={{ whiteSpace: 'pre-wrap' }}>{d.summary}</div> : null}
                      <AttachmentList items={d.attachments} />
                    </div>
                  ),
                }))}
              />
            )}
          </div>
        </Space>
      ) : null}
      {p ? <PlanForm plan={p} open={dialog === 'version'} onClose={() => setDialog(null)} /> : null}
      {p && dialog === 'drill' ? <DrillModal plan={p} onClose={() => setDialog(null)} /> : null}
    </Drawer>
  );
}

export default function PlansPage() {
  const params = useParams<{ id?: string }>();
  const navigate = useNavigate();
  const list = useListParams((sp) => ({ q: sp.get('q') || undefined }));
  const query = useResponsePlans(list.filter, list.page, list.pageSize);
  const canWrite = useCan('opinion.write');
  const [creating, setCreating] = useState(false);
  const open = (id: string) => navigate(`/opinion/plans/${id}${window.location.search}`);
  const columns: ColumnsType<ResponsePlan> = [
    { title: t.columns.title, dataIndex: 'title', onCell: () => ({ style: { minWidth: 200 } }) },
    { title: t.columns.unit, dataIndex: 'unitName', onCell: nowrap, onHeaderCell: nowrap },
    { title: t.columns.version, dataIndex: 'currentVersion', onCell: nowrap, render: (v: number) => t.versionLabel(v) },
    {
      title: t.columns.levels,
      dataIndex: 'levels',
      render: (ls: OpinionLevel[]) => (
        <Space size={2} wrap>
          {ls.map((l) => (
            <Tag key={l}>{opinionLevelLabels[l]}</Tag>
          ))}
        </Space>
      ),
    },
    { title: t.columns.drills, dataIndex: 'drillCount', onCell: nowrap, render: (n: number) => t.drillCount(n) },
    {
      title: t.columns.lastDrill,
      dataIndex: 'lastDrillAt',
      onCell: nowrap,
      onHeaderCell: nowrap,
      render: (v: string | null) => formatDate(v),
    },
  ];
  return (
    <PageContainer
      title={t.title}
      extra={
        canWrite ? (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="plan-create">
            {t.create}
          </Button>
        ) : null
      }
    >
      <SearchCard<{ q?: string }>
        initialValues={list.filter}
        onSearch={list.applyFilter}
        fields={[{ name: 'q', label: t.search.q, children: <Input allowClear placeholder={t.search.qPlaceholder} maxLength={100} /> }]}
      />
      <PagedTable<ResponsePlan>
        query={query}
        params={list}
        rowKey="id"
        columns={columns}
        emptyText={t.empty}
        totalText={c.total}
        onRow={(r) => ({ onClick: () => open(r.id), style: { cursor: 'pointer' } })}
      />
      <PlanForm open={creating} onClose={() => setCreating(false)} onSaved={open} />
      <PlanDrawer id={params.id ?? null} onClose={() => navigate(`/opinion/plans${window.location.search}`)} />
    </PageContainer>
  );
}
