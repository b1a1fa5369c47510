import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import {
  type AnalysisPeriodKind,
  type AnalysisReport,
  type AnalysisReportDetail,
  type AnalysisState,
  analysisPeriodKindLabels,
  analysisPeriodKinds,
  analysisStateLabels,
  analysisStates,
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
  InputNumber,
  List,
  Modal,
  Popconfirm,
  Select,
  Space,
  Spin,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { api } from '../../lib/api';
import { dayjs, formatDateTimeShort } from '../../lib/format';
import { applyServerErrors } from '../../lib/forms';
import { useDrawerWidth } from '../../lib/hooks';
import { PagedTable, SearchCard, useListParams } from '../../lib/list';
import { errorText, showError, toastSuccess } from '../../lib/notify';
import { useCan } from '../../lib/session';
import { PageContainer } from '../../lib/ui';
import { type AnalysisFilter, analysisKey, useAnalysisReport, useAnalysisReports, useCurrentUnit } from './api';
import { AttachmentList, useUploads } from './shared';
import { opinionStrings } from './strings';

const t = opinionStrings.analysis;
const c = opinionStrings.common;
const stateColors: Record<AnalysisState, string> = { draft: 'default', submitted: 'processing', read: 'green', returned: 'red' };
const nowrap = () => ({ style: { whiteSpace: 'nowrap' as const } });

interface FormValues {
  periodKind: AnalysisPeriodKind;
  year: number;
  index: number;
  title?: string;
  situation?: string;
  risks?: string;
  measures?: string[];
}

function ReportForm({
  report,
  open,
  onClose,
  onSaved,
}: {
  report?: AnalysisReportDetail;
  open: boolean;
  onClose: () => void;
  onSaved?: (id: string) => void;
}) {
  const width = useDrawerWidth(640);
  const [form] = Form.useForm<FormValues>();
  const qc = useQueryClient();
  const unit = useCurrentUnit();
  const uploads = useUploads(report?.unitId ?? unit?.id);
  const kind = Form.useWatch('periodKind', form) ?? report?.periodKind ?? 'quarter';
  const save = useMutation({
    mutationFn: (v: FormValues) => {
      const common = {
        title: (v.title ?? '').trim() || undefined,
        situation: (v.situation ?? '').trim(),
        risks: (v.risks ?? '').trim(),
        measures: (v.measures ?? []).map((m) => (m ?? '').trim()).filter(Boolean),
        attachmentIds: uploads.ids,
      };
      return report
        ? api.patch<AnalysisReportDetail>(`/api/analysis-reports/${report.id}`, common)
        : api.post<AnalysisReportDetail>('/api/analysis-reports', {
            ...common,
            unitId: unit?.id,
            periodKind: v.periodKind,
            year: v.year,
            index: v.index,
          });
    },
    onSuccess: async (saved) => {
      toastSuccess(report ? t.form.updated : t.form.created);
      await qc.invalidateQueries({ queryKey: analysisKey });
      uploads.reset();
      onSaved?.(saved.id);
      onClose();
    },
    onError: (e) => applyServerErrors(form, e),
  });
  const now = dayjs();
  const initial: Partial<FormValues> = report
    ? { title: report.title, situation: report.situation, risks: report.risks, measures: report.measures.map((m) => m.text) }
    : { periodKind: 'quarter', year: now.year(), index: Math.floor(now.month() / 3) + 1, measures: [''] };
  const indexLabels = t.periodIndex[kind as AnalysisPeriodKind];
  return (
    <Drawer
      title={report ? t.form.titleEdit : t.form.titleCreate}
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
            data-testid="analysis-save"
          >
            {c.save}
          </Button>
        </Space>
      }
    >
      <Form<FormValues> form={form} layout="vertical" initialValues={initial} onFinish={(v) => save.mutate(v)}>
        <Form.Item label={t.form.unit}>
          <Input value={report?.unitName ?? unit?.name ?? c.noUnit} disabled />
        </Form.Item>
        {report ? (
          <Form.Item label={t.detail.period}>
            <Input value={report.periodLabel} disabled />
          </Form.Item>
        ) : (
          <Space wrap>
            <Form.Item name="periodKind" label={t.form.periodKind} rules={[{ required: true }]}>
              <Select
                style={{ width: 100 }}
                options={analysisPeriodKinds.map((k) => ({ value: k, label: analysisPeriodKindLabels[k] }))}
                onChange={() => form.setFieldValue('index', 1)}
              />
            </Form.Item>
            <Form.Item name="year" label={t.form.year} rules={[{ required: true, message: c.required(t.form.year) }]}>
              <InputNumber min={2000} max={2100} style={{ width: 100 }} />
            </Form.Item>
            <Form.Item name="index" label={t.form.index} rules={[{ required: true, message: c.required(t.form.index) }]}>
              <Select style={{ width: 120 }} options={indexLabels.map((label, i) => ({ value: i + 1, label }))} />
            </Form.Item>
          </Space>
        )}
        <Form.Item name="title" label={t.form.title} rules={[{ max: 200, message: c.max(t.form.title, 200) }]}>
          <Input placeholder={t.form.titlePlaceholder} maxLength={200} />
        </Form.Item>
        <Form.Item name="situation" label={t.form.situation} rules={[{ max: 20000, message: c.max(t.form.situation, 20000) }]}>
          <Input.TextArea rows={5} placeholder={t.form.situationPlaceholder} data-testid="analysis-situation" />
        </Form.Item>
        <Form.Item name="risks" label={t.form.risks} rules={[{ max: 20000, message: c.max(t.form.risks, 20000) }]}>
          <Input.TextArea rows={4} placeholder={t.form.risksPlaceholder} data-testid="analysis-risks" />
        </Form.Item>
        <Form.List name="measures">
          {(fields, { add, remove }) => (
            <Form.Item label={t.form.measures}>
              {fields.map((f, i) => (
                <Space key={f.key} align="baseline" style={{ display: 'flex', marginBottom: 4 }}>
                  <Typography.Text>{i + 1}.</Typography.Text>
                  <Form.Item name={f.name} noStyle rules={[{ max: 2000, message: c.max(t.form.measures, 2000) }]}>
                    <Input style={{ width: 420, maxWidth: '70vw' }} placeholder={t.form.measurePlaceholder} maxLength={2000} />
                  </Form.Item>
                  <MinusCircleOutlined onClick={() => remove(f.name)} />
                </Space>
              ))}
              <Button type="dashed" size="small" icon={<PlusOutlined />} onClick={() => add('')}>
                {t.form.addMeasure}
              </Button>
            </Form.Item>
          )}
        </Form.List>
        <Form.Item label={c.attachments}>{uploads.field}</Form.Item>
      </Form>
    </Drawer>
  );
}

function TextModal({
  title,
  label,
  max,
  onSubmit,
  onClose,
}: {
  title: string;
  label: string;
  max: number;
  onSubmit: (text: string) => Promise<unknown>;
  onClose: () => void;
}) {
  const [form] = Form.useForm<{ text: string }>();
  const [busy, setBusy] = useState(false);
  return (
    <Modal
      title={title}
      open
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={c.ok}
      cancelText={c.cancel}
      confirmLoading={busy}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        onFinish={async (v) => {
          setBusy(true);
          try {
            await onSubmit(v.text.trim());
            onClose();
          } catch (e) {
            showError(e);
          } finally {
            setBusy(false);
          }
        }}
      >
        <Form.Item
          name="text"
          label={label}
          rules={[
            { required: true, whitespace: true, message: c.required(label) },
            { max, message: c.max(label, max) },
          ]}
        >
          <Input.TextArea rows={4} maxLength={max} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function TaskModal({ measureId, text, onClose }: { measureId: string; text: string; onClose: () => void }) {
  const [form] = Form.useForm<{ deadline: Dayjs; title?: string }>();
  const qc = useQueryClient();
  const save = useMutation({
    mutationFn: (v: { deadline: Dayjs; title?: string }) =>
      api.post(`/api/analysis-measures/${measureId}/task`, {
        deadline: v.deadline.toISOString(),
        title: (v.title ?? '').trim() || undefined,
      }),
    onSuccess: async () => {
      toastSuccess(t.taskModal.done);
      await qc.invalidateQueries({ queryKey: analysisKey });
      onClose();
    },
    onError: (e) => applyServerErrors(form, e),
  });
  return (
    <Modal
      title={t.taskModal.title}
      open
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={c.ok}
      cancelText={c.cancel}
      confirmLoading={save.isPending}
      destroyOnHidden
    >
      <Typography.Paragraph>{text}</Typography.Paragraph>
      <Form
        form={form}
        layout="vertical"
        initialValues={{ deadline: dayjs().add(30, 'day').endOf('day') }}
        onFinish={(v) => save.mutate(v)}
      >
        <Form.Item name="deadline" label={t.taskModal.deadline} rules={[{ required: true, message: t.taskModal.deadlineRequired }]}>
          <DatePicker showTime style={{ width: '100%' }} disabledDate={(d) => d.isBefore(dayjs(), 'day')} />
        </Form.Item>
        <Form.Item name="title" label={t.taskModal.taskTitle} rules={[{ max: 500, message: c.max(t.taskModal.taskTitle, 500) }]}>
          <Input maxLength={500} placeholder={text.slice(0, 100)} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function ReportDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const width = useDrawerWidth(720);
  const q = useAnalysisReport(id ?? undefined);
  const r = q.data;
  const qc = useQueryClient();
  const unit = useCurrentUnit();
  const canReview = useCan('analysis.review');
  const canWrite = useCan('analysis.write');
  const [dialog, setDialog] = useState<'edit' | 'return' | 'comment' | null>(null);
  const [taskFor, setTaskFor] = useState<{ id: string; text: string } | null>(null);
  const act = useMutation({
    mutationFn: ({ path, body }: { path: string; body?: unknown }) => api.post(`/api/analysis-reports/${id}/${path}`, body ?? {}),
    onSuccess: async () => {
      toastSuccess(t.actions.done);
      await qc.invalidateQueries({ queryKey: analysisKey });
    },
  });
  const run = (path: string, body?: unknown) => act.mutateAsync({ path, body });
  const own = !!r && !!unit && r.unitId === unit.id && canWrite;
  const reviewer = !!r && canReview && !own && r.state !== 'draft';
  const footer = r ? (
    <Space wrap>
      {own && (r.state === 'draft' || r.state === 'returned') ? (
        <>
          <Button onClick={() => setDialog('edit')} data-testid="analysis-edit">
            {t.detail.edit}
          </Button>
          {r.toUnitId ? (
            <Popconfirm title={t.actions.confirmSubmit} onConfirm={() => run('submit').catch((e) => showError(e))}>
              <Button type="primary" data-testid="analysis-submit">
                {t.actions.submit}
              </Button>
            </Popconfirm>
          ) : null}
        </>
      ) : null}
      {reviewer && r.state === 'submitted' ? (
        <>
          <Button type="primary" onClick={() => run('read').catch((e) => showError(e))} data-testid="analysis-read">
            {t.actions.read}
          </Button>
          <Button danger onClick={() => setDialog('return')} data-testid="analysis-return">
            {t.actions.return}
          </Button>
        </>
      ) : null}
      {reviewer ? (
        <Button onClick={() => setDialog('comment')} data-testid="analysis-comment">
          {t.actions.comment}
        </Button>
      ) : null}
    </Space>
  ) : null;
  return (
    <Drawer title={t.detail.title} open={!!id} onClose={onClose} width={width} destroyOnHidden footer={footer}>
      {q.isError ? <Alert type="error" showIcon message={c.loadFailed} description={errorText(q.error)} /> : null}
      {q.isLoading ? <Spin /> : null}
      {r ? (
        <Space direction="vertical" size={16} style={{ width: '100%' }} data-testid="analysis-detail">
          <Typography.Title level={5} style={{ margin: 0 }}>
            {r.title}
          </Typography.Title>
          <Descriptions column={1} size="small" bordered>
            <Descriptions.Item label={t.detail.state}>
              <Tag color={stateColors[r.state]}>{r.stateLabel}</Tag>
            </Descriptions.Item>
            <Descriptions.Item label={t.detail.period}>{r.periodLabel}</Descriptions.Item>
            <Descriptions.Item label={c.unit}>{r.unitName}</Descriptions.Item>
            <Descriptions.Item label={t.detail.toUnit}>{r.toUnitName ?? '—'}</Descriptions.Item>
          </Descriptions>
          {r.returnReason && r.state === 'returned' ? (
            <Alert type="warning" showIcon message={t.detail.returnReason} description={r.returnReason} />
          ) : null}
          <div>
            <Typography.Text strong>{t.detail.situation}</Typography.Text>
            <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{r.situation || '—'}</Typography.Paragraph>
          </div>
          <div>
            <Typography.Text strong>{t.detail.risks}</Typography.Text>
            <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{r.risks || '—'}</Typography.Paragraph>
          </div>
          {r.periodEvents.length ? (
            <div>
              <Typography.Text strong>{t.detail.periodEvents(r.periodEvents.length)}</Typography.Text>
              <List
                size="small"
                dataSource={r.periodEvents}
                renderItem={(e) => (
                  <List.Item>
                    <Link to={`/opinion/events/${e.id}`}>{e.title}</Link>
                    <Space size={4}>
                      <Tag>{e.levelLabel}</Tag>
                      <Tag>{e.stateLabel}</Tag>
                      <Typography.Text type="secondary">{formatDateTimeShort(e.firstSeenAt)}</Typography.Text>
                    </Space>
                  </List.Item>
                )}
              />
            </div>
          ) : null}
          <div>
            <Typography.Text strong>{t.detail.measures}</Typography.Text>
            <List
              size="small"
              dataSource={r.measures}
              locale={{ emptyText: t.detail.noMeasures }}
              renderItem={(m, i) => (
                <List.Item
                  actions={[
                    m.taskId ? (
                      <Tag color="green" key="t">
                        {t.detail.taskLinked}
                      </Tag>
                    ) : reviewer ? (
                      <Button
                        key="b"
                        size="small"
                        type="link"
                        onClick={() => setTaskFor({ id: m.id, text: m.text })}
                        data-testid="analysis-to-task"
                      >
                        {t.detail.toTask}
                      </Button>
                    ) : null,
                  ]}
                >
                  {i + 1}. {m.text}
                </List.Item>
              )}
            />
          </div>
          <div>
            <Typography.Text strong>{t.detail.comments}</Typography.Text>
            <List
              size="small"
              dataSource={r.comments}
              locale={{ emptyText: t.detail.noComments }}
              renderItem={(x) => (
                <List.Item>
                  <Space direction="vertical" size={0}>
                    <Typography.Text type="secondary">
                      {formatDateTimeShort(x.createdAt)} · {x.unitName}
                      {x.createdByName ? ` · ${x.createdByName}` : ''}
                    </Typography.Text>
                    <span style={{ whiteSpace: 'pre-wrap' }}>{x.body}</span>
                  </Space>
                </List.Item>
              )}
            />
          </div>
          <div>
            <Typography.Text strong>{c.attachments}</Typography.Text>
            <AttachmentList items={r.attachments} />
          </div>
        </Space>
      ) : null}
      {r ? <ReportForm report={r} open={dialog === 'edit'} onClose={() => setDialog(null)} /> : null}
      {dialog === 'return' ? (
        <TextModal
          title={t.returnModal.title}
          label={t.returnModal.reason}
          max={2000}
          onClose={() => setDialog(null)}
          onSubmit={(reason) => run('return', { reason })}
        />
      ) : null}
      {dialog === 'comment' ? (
        <TextModal
          title={t.commentModal.title}
          label={t.commentModal.body}
          max={5000}
          onClose={() => setDialog(null)}
          onSubmit={(body) => run('comments', { body })}
        />
      ) : null}
      {taskFor ? <TaskModal measureId={taskFor.id} text={taskFor.text} onClose={() => setTaskFor(null)} /> : null}
    </Drawer>
  );
}

function readFilter(sp: URLSearchParams): AnalysisFilter {
  const state = sp.get('state');
  const kind = sp.get('periodKind');
  return {
    q: sp.get('q') || undefined,
    state: state && (analysisStates as readonly string[]).includes(state) ? (state as AnalysisState) : undefined,
    periodKind: kind === 'quarter' || kind === 'halfYear' ? kind : undefined,
    toMe: sp.get('toMe') === 'true' ? 'true' : undefined,
  };
}

export default function AnalysisPage() {
  const params = useParams<{ id?: string }>();
  const navigate = useNavigate();
  const list = useListParams(readFilter);
  const { filter, page, pageSize } = list;
  const query = useAnalysisReports(filter, page, pageSize);
  const canWrite = useCan('analysis.write');
  const canReview = useCan('analysis.review');
  const [creating, setCreating] = useState(false);
  const open = (id: string) => navigate(`/opinion/analysis/${id}${window.location.search}`);
  const columns: ColumnsType<AnalysisReport> = [
    { title: t.columns.title, dataIndex: 'title', onCell: () => ({ style: { minWidth: 220 } }) },
    { title: t.columns.unit, dataIndex: 'unitName', onCell: nowrap, onHeaderCell: nowrap },
    { title: t.columns.period, dataIndex: 'periodLabel', onCell: nowrap, onHeaderCell: nowrap },
    {
      title: t.columns.state,
      dataIndex: 'state',
      onCell: nowrap,
      render: (_, r) => <Tag color={stateColors[r.state]}>{r.stateLabel}</Tag>,
    },
    {
      title: t.columns.submittedAt,
      dataIndex: 'submittedAt',
      onCell: nowrap,
      onHeaderCell: nowrap,
      render: (v: string | null) => formatDateTimeShort(v),
    },
  ];
  return (
    <PageContainer
      title={t.title}
      extra={
        canWrite ? (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="analysis-create">
            {t.create}
          </Button>
        ) : null
      }
    >
      {canReview ? (
        <Tabs
          activeKey={filter.toMe ? 'toMe' : 'mine'}
          onChange={(k) => list.applyFilter({ ...filter, toMe: k === 'toMe' ? 'true' : undefined })}
          items={[
            { key: 'mine', label: t.tabs.mine },
            { key: 'toMe', label: t.tabs.toMe },
          ]}
        />
      ) : null}
      <SearchCard<AnalysisFilter>
        initialValues={filter}
        onSearch={(v) => list.applyFilter({ ...v, toMe: filter.toMe })}
        fields={[
          { name: 'q', label: t.search.q, children: <Input allowClear placeholder={t.search.qPlaceholder} maxLength={100} /> },
          {
            name: 'state',
            label: t.search.state,
            col: { xs: 12, sm: 12, lg: 4 },
            children: <Select allowClear options={analysisStates.map((s) => ({ value: s, label: analysisStateLabels[s] }))} />,
          },
          {
            name: 'periodKind',
            label: t.search.periodKind,
            col: { xs: 12, sm: 12, lg: 4 },
            children: <Select allowClear options={analysisPeriodKinds.map((k) => ({ value: k, label: analysisPeriodKindLabels[k] }))} />,
          },
        ]}
      />
      <PagedTable<AnalysisReport>
        query={query}
        params={list}
        rowKey="id"
        columns={columns}
        emptyText={t.empty}
        totalText={c.total}
        onRow={(r) => ({ onClick: () => open(r.id), style: { cursor: 'pointer' } })}
      />
      <ReportForm open={creating} onClose={() => setCreating(false)} onSaved={open} />
      <ReportDrawer id={params.id ?? null} onClose={() => navigate(`/opinion/analysis${window.location.search}`)} />
    </PageContainer>
  );
}
