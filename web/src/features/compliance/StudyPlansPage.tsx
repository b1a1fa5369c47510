import { PlusOutlined, UploadOutlined } from '@ant-design/icons';
import type { StudyPlan, StudyPlanDetail } from '@dutyledger/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  Button,
  DatePicker,
  Descriptions,
  Drawer,
  Form,
  Input,
  List,
  Select,
  Space,
  Spin,
  Tag,
  TreeSelect,
  Typography,
  Upload,
  type UploadFile,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { Dayjs } from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { api, buildQuery } from '../../lib/api';
import { dayjs, formatDateTimeShort, TZ } from '../../lib/format';
import { applyServerErrors } from '../../lib/forms';
import { useDrawerWidth, useIsMobile } from '../../lib/hooks';
import { PagedTable, SearchCard, useListParams } from '../../lib/list';
import { errorText, showError, toastSuccess } from '../../lib/notify';
import { useCan, useCurrentMe } from '../../lib/session';
import { PageContainer } from '../../lib/ui';
import { unitTreeSelectData } from '../../lib/units';
import { uploadAttachment } from '../duty/api';
import { useUnits } from '../org/api';
import { type StudyPlanFilter, studyPlansKey, useStudyPlan, useStudyPlans } from './api';
import { yearOptions } from './CompliancePage';
import { complianceStrings } from './strings';

const t = complianceStrings.plans;
const f = t.form;

function readFilter(sp: URLSearchParams): StudyPlanFilter {
  const year = sp.get('year');
  const month = sp.get('month');
  return {
    q: sp.get('q') || undefined,
    year: year && /^\d{4}$/.test(year) ? year : undefined,
    month: month && /^\d{4}-\d{2}$/.test(month) ? month : undefined,
  };
}

interface PlanValues {
  unitId: string;
  month: Dayjs;
  title: string;
  content?: string;
}

/** Create (no plan) or correct (a plan) a study plan; the month of an existing plan is fixed. */
function PlanFormDrawer({ plan, open, onClose }: { plan: StudyPlanDetail | null; open: boolean; onClose: () => void }) {
  const width = useDrawerWidth(560);
  const [form] = Form.useForm<PlanValues>();
  const me = useCurrentMe();
  const qc = useQueryClient();
  const { data: units } = useUnits(false);
  const unitTree = useMemo(() => unitTreeSelectData(units ?? [], (u) => !u.active), [units]);
  // departments act for their committee (DESIGN.md): default to the scope root, not the department
  const defaultUnitId = me.posts.find((p) => p.id === me.currentPostId)?.scopeRootId;
  const [files, setFiles] = useState<UploadFile<{ id: string }>[]>([]);
  const attachmentIds = () => files.flatMap((f) => (f.status === 'done' && f.response?.id ? [f.response.id] : []));
  useEffect(() => {
    if (!open) return;
    setFiles([]);
    form.resetFields();
    form.setFieldsValue(
      plan
        ? { unitId: plan.unitId, month: dayjs.tz(`${plan.month}-01`, TZ), title: plan.title, content: plan.content }
        : { unitId: defaultUnitId, month: dayjs().tz(TZ).startOf('month') },
    );
  }, [open, plan, form, defaultUnitId]);
  const save = useMutation({
    mutationFn: (v: PlanValues) =>
      plan
        ? api.patch<StudyPlanDetail>(`/api/study-plans/${encodeURIComponent(plan.id)}`, {
            title: v.title.trim(),
            content: v.content ?? '',
            attachmentIds: attachmentIds(),
          })
        : api.post<StudyPlanDetail>('/api/study-plans', {
            unitId: v.unitId,
            month: v.month.format('YYYY-MM'),
            title: v.title.trim(),
            content: v.content ?? '',
            attachmentIds: attachmentIds(),
          }),
    onSuccess: async () => {
      toastSuccess(t.saved);
      await qc.invalidateQueries({ queryKey: studyPlansKey });
      await qc.invalidateQueries({ queryKey: ['compliance'] });
      onClose();
    },
    onError: (e) => applyServerErrors(form, e),
  });
  return (
    <Drawer
      title={plan ? t.editTitle : t.createTitle}
      open={open}
      onClose={onClose}
      width={width}
      forceRender
      extra={
        <Space>
          <Button onClick={onClose}>{f.cancel}</Button>
          <Button
            type="primary"
            loading={save.isPending}
            disabled={files.some((x) => x.status === 'uploading')}
            onClick={() => form.submit()}
            data-testid="study-plan-save"
          >
            {f.submit}
          </Button>
        </Space>
      }
    >
      <Form<PlanValues> form={form} layout="vertical" onFinish={(v) => save.mutate(v)}>
        <Form.Item name="unitId" label={f.unit} rules={[{ required: true, message: f.unitRequired }]}>
          <TreeSelect showSearch treeNodeFilterProp="title" treeData={unitTree} treeDefaultExpandAll disabled={!!plan} />
        </Form.Item>
        <Form.Item name="month" label={f.month} rules={[{ required: true, message: f.monthRequired }]} extra={t.monthFixed}>
          <DatePicker picker="month" disabled={!!plan} style={{ width: 160 }} data-testid="study-plan-month" />
        </Form.Item>
        <Form.Item name="title" label={f.title} rules={[{ required: true, whitespace: true, message: f.titleRequired }]}>
          <Input maxLength={200} data-testid="study-plan-title" />
        </Form.Item>
        <Form.Item name="content" label={f.content}>
          <Input.TextArea rows={8} maxLength={50000} />
        </Form.Item>
        <Form.Item label={t.attachments} extra={plan ? t.attachmentsAdded : undefined}>
          <Upload<{ id: string }>
            fileList={files}
            onChange={({ fileList }) => setFiles(fileList)}
            customRequest={({ file, onSuccess, onError }) => {
              const unitId = form.getFieldValue('unitId') as string | undefined;
              if (!unitId) {
                onError?.(new Error(f.unitRequired));
                return;
              }
              uploadAttachment(unitId, file as File)
                .then((a) => onSuccess?.(a))
                .catch((e: unknown) => {
                  showError(e, t.uploadFailed);
                  onError?.(e instanceof Error ? e : new Error(errorText(e)));
                });
            }}
          >
            <Button icon={<UploadOutlined />}>{t.upload}</Button>
          </Upload>
        </Form.Item>
      </Form>
    </Drawer>
  );
}

function PlanDetailDrawer({ id, onClose, onEdit }: { id: string | null; onClose: () => void; onEdit: (p: StudyPlanDetail) => void }) {
  const width = useDrawerWidth(560);
  const canWrite = useCan('studyPlan.write');
  const { data: plan, isLoading } = useStudyPlan(id ?? undefined);
  return (
    <Drawer
      title={t.detailTitle}
      open={!!id}
      onClose={onClose}
      width={width}
      extra={
        canWrite && plan ? (
          <Button onClick={() => onEdit(plan)} data-testid="study-plan-edit">
            {t.edit}
          </Button>
        ) : null
      }
    >
      {isLoading ? <Spin /> : null}
      {plan ? (
        <Space direction="vertical" style={{ width: '100%' }}>
          <Descriptions column={1} size="small" bordered>
            <Descriptions.Item label={t.columns.unit}>{plan.unitName}</Descriptions.Item>
            <Descriptions.Item label={t.columns.month}>{plan.month}</Descriptions.Item>
            <Descriptions.Item label={t.columns.title}>{plan.title}</Descriptions.Item>
            <Descriptions.Item label={t.columns.createdAt}>
              {formatDateTimeShort(plan.createdAt)} {plan.backfilled ? <Tag color="orange">{complianceStrings.backfilled}</Tag> : null}
            </Descriptions.Item>
          </Descriptions>
          <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{plan.content}</Typography.Paragraph>
          <Typography.Text strong>{t.attachments}</Typography.Text>
          <List
            size="small"
            dataSource={plan.attachments}
            locale={{ emptyText: t.noAttachments }}
            renderItem={(a) => (
              <List.Item>
                <a href={`/api/attachments/${a.id}/download`} target="_blank" rel="noreferrer">
                  {a.name}
                </a>
              </List.Item>
            )}
          />
        </Space>
      ) : null}
    </Drawer>
  );
}

export default function StudyPlansPage() {
  const mobile = useIsMobile();
  const canWrite = useCan('studyPlan.write');
  const list = useListParams(readFilter);
  const { filter, page, pageSize } = list;
  const query = useStudyPlans(filter, page, pageSize);
  const [viewId, setViewId] = useState<string | null>(null);
  const [editing, setEditing] = useState<StudyPlanDetail | null>(null);
  const [creating, setCreating] = useState(false);
  const columns: ColumnsType<StudyPlan> = [
    { title: t.columns.month, dataIndex: 'month', onCell: () => ({ style: { whiteSpace: 'nowrap' } }) },
    { title: t.columns.unit, dataIndex: 'unitName' },
    {
      title: t.columns.title,
      dataIndex: 'title',
      onCell: () => ({ style: { minWidth: 180 } }),
      render: (_, r) => (
        <Space size={4}>
          {r.title}
          {r.backfilled ? <Tag color="orange">{complianceStrings.backfilled}</Tag> : null}
        </Space>
      ),
    },
    { title: t.columns.createdAt, dataIndex: 'createdAt', render: (v: string) => formatDateTimeShort(v) },
    {
      title: t.columns.actions,
      key: 'actions',
      fixed: mobile ? undefined : 'right',
      render: (_, r) => (
        <Button type="link" size="small" onClick={() => setViewId(r.id)} data-testid="study-plan-view">
          {t.view}
        </Button>
      ),
    },
  ];
  return (
    <PageContainer
      title={t.title}
      extra={
        canWrite ? (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="study-plan-add">
            {t.add}
          </Button>
        ) : null
      }
    >
      <SearchCard<StudyPlanFilter>
        initialValues={filter}
        onSearch={list.applyFilter}
        exportHref={`/api/study-plans/export${buildQuery({ ...filter })}`}
        fields={[
          { name: 'q', label: t.search.q, children: <Input allowClear placeholder={t.search.qPlaceholder} /> },
          {
            name: 'year',
            label: t.search.year,
            children: <Select allowClear options={yearOptions().map((o) => ({ value: String(o.value), label: o.label }))} />,
          },
        ]}
      />
      <PagedTable<StudyPlan>
        rowKey="id"
        columns={columns}
        query={query}
        params={list}
        emptyText={t.empty}
        totalText={t.total}
        onRow={(r) => ({ onClick: () => setViewId(r.id), style: { cursor: 'pointer' } })}
      />
      <PlanDetailDrawer
        id={viewId}
        onClose={() => setViewId(null)}
        onEdit={(p) => {
          setViewId(null);
          setEditing(p);
        }}
      />
      <PlanFormDrawer
        plan={editing}
        open={creating || !!editing}
        onClose={() => {
          setCreating(false);
          setEditing(null);
        }}
      />
    </PageContainer>
  );
}
