import { PaperClipOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import {
  type OutputKind,
  outputKindLabels,
  outputKinds,
  outputLevelLabels,
  outputLevels,
  type WorkOutput,
  type WorkOutputDetail,
} from '@dutyledger/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, DatePicker, Drawer, Form, Input, InputNumber, List, Segmented, Select, TreeSelect, Upload, type UploadFile } from 'antd';
import type { Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { api, buildQuery, type Paged } from '../../lib/api';
import { dayjs } from '../../lib/format';
import { applyServerErrors } from '../../lib/forms';
import { useDrawerWidth } from '../../lib/hooks';
import { PagedTable, SearchCard, useListParams } from '../../lib/list';
import { errorText, showError, toastSuccess } from '../../lib/notify';
import { useCan, useCurrentMe } from '../../lib/session';
import { PageContainer } from '../../lib/ui';
import { unitTreeSelectData } from '../../lib/units';
import { uploadAttachment } from '../duty/api';
import { useUnits } from '../org/api';
import { outputStrings } from './strings';

const t = outputStrings;
const key = ['outputs'] as const;
const UUID = /^[0-9a-f-]{36}$/i;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

function readFilter(sp: URLSearchParams) {
  const kind = sp.get('kind');
  const level = sp.get('level');
  const unitId = sp.get('unitId') ?? '';
  const from = sp.get('from') ?? '';
  const to = sp.get('to') ?? '';
  return {
    kind: kind && (outputKinds as readonly string[]).includes(kind) ? (kind as OutputKind) : undefined,
    level: level && (outputLevels as readonly string[]).includes(level) ? level : undefined,
    q: sp.get('q') || undefined,
    unitId: UUID.test(unitId) ? unitId : undefined,
    from: DAY.test(from) ? from : undefined,
    to: DAY.test(to) ? to : undefined,
  };
}
type Filter = ReturnType<typeof readFilter>;

interface FormValues {
  unitId: string;
  kind: OutputKind;
  title: string;
  occurredOn: Dayjs;
  level?: string | null;
  outlet?: string;
  link?: string;
  participants?: number | null;
  hours?: number | null;
  description?: string;
}

function OutputDrawer({
  open,
  editing,
  kind,
  onClose,
}: {
  open: boolean;
  editing: WorkOutput | null;
  kind?: OutputKind;
  onClose: () => void;
}) {
  const width = useDrawerWidth(520);
  const me = useCurrentMe();
  const [form] = Form.useForm<FormValues>();
  const qc = useQueryClient();
  const { data: units } = useUnits();
  const tree = useMemo(() => unitTreeSelectData(units ?? []), [units]);
  const currentKind: OutputKind = Form.useWatch('kind', form) ?? editing?.kind ?? kind ?? 'article';
  const unitId: string | undefined = Form.useWatch('unitId', form) ?? editing?.unitId;
  const [files, setFiles] = useState<UploadFile<{ id: string }>[]>([]);
  const detail = useQuery({
    queryKey: [...key, 'detail', editing?.id],
    queryFn: () => api.get<WorkOutputDetail>(`/api/outputs/${editing?.id}`),
    enabled: !!editing,
  });
  const save = useMutation({
    mutationFn: (v: FormValues) => {
      const body = {
        title: v.title.trim(),
        occurredOn: v.occurredOn.format('YYYY-MM-DD'),
        level: v.level ?? null,
        outlet: v.outlet?.trim() ?? '',
        link: v.link?.trim() ?? '',
        participants: v.participants ?? null,
        hours: v.hours ?? null,
        description: v.description ?? '',
        attachmentIds: files.flatMap((f) => (f.status === 'done' && f.response?.id ? [f.response.id] : [])),
      };
      return editing
        ? api.patch<WorkOutputDetail>(`/api/outputs/${editing.id}`, body)
        : api.post<WorkOutputDetail>('/api/outputs', { ...body, unitId: v.unitId, kind: v.kind });
    },
    onSuccess: async () => {
      toastSuccess(t.form.saved);
      await qc.invalidateQueries({ queryKey: key });
      onClose();
    },
    onError: (e) => applyServerErrors(form, e),
  });
  const initial: Partial<FormValues> = editing
    ? { ...editing, occurredOn: dayjs(editing.occurredOn), unitId: editing.unitId }
    : { kind: kind ?? 'article', unitId: me.posts.find((p) => p.id === me.currentPostId)?.scopeRootId };
  const leveled = currentKind === 'article' || currentKind === 'award' || currentKind === 'civilization' || currentKind === 'modelFigure';
  const counted = currentKind === 'volunteer' || currentKind === 'training';
  return (
    <Drawer
      title={editing ? t.edit : t.add}
      width={width}
      open={open}
      onClose={onClose}
      destroyOnHidden
      extra={
        <Button
          type="primary"
          loading={save.isPending}
          disabled={files.some((f) => f.status === 'uploading')}
          onClick={() => form.submit()}
          data-testid="output-save"
        >
          {t.form.ok}
        </Button>
      }
    >
      <Form<FormValues> form={form} layout="vertical" initialValues={initial} onFinish={(v) => save.mutate(v)}>
        <Form.Item name="unitId" label={t.form.unit} rules={[{ required: true, message: t.form.unitRequired }]}>
          <TreeSelect disabled={!!editing} showSearch treeNodeFilterProp="title" treeData={tree} />
        </Form.Item>
        <Form.Item name="kind" label={t.form.kind}>
          <Select
            disabled={!!editing}
            options={outputKinds.map((k) => ({ value: k, label: outputKindLabels[k] }))}
            data-testid="output-kind"
          />
        </Form.Item>
        <Form.Item
          name="title"
          label={t.form.titleByKind[currentKind] ?? t.form.title}
          rules={[{ required: true, whitespace: true, message: t.form.titleRequired }]}
        >
          <Input maxLength={300} data-testid="output-title" />
        </Form.Item>
        <Form.Item name="occurredOn" label={t.form.date} rules={[{ required: true, message: t.form.dateRequired }]}>
          <DatePicker style={{ width: '100%' }} data-testid="output-date" />
        </Form.Item>
        {leveled ? (
          <Form.Item name="level" label={t.form.level}>
            <Select allowClear options={outputLevels.map((l) => ({ value: l, label: outputLevelLabels[l] }))} data-testid="output-level" />
          </Form.Item>
        ) : null}
        {t.form.outletByKind[currentKind] ? (
          <Form.Item name="outlet" label={t.form.outletByKind[currentKind]}>
            <Input maxLength={200} data-testid="output-outlet" />
          </Form.Item>
        ) : null}
        {currentKind === 'article' ? (
          <Form.Item name="link" label={t.form.link}>
            <Input maxLength={1000} placeholder="https://" />
          </Form.Item>
        ) : null}
        {counted ? (
          <Form.Item name="participants" label={t.form.participants}>
            <InputNumber min={0} precision={0} style={{ width: '100%' }} />
          </Form.Item>
        ) : null}
        {currentKind === 'volunteer' ? (
          <Form.Item name="hours" label={t.form.hours}>
            <InputNumber min={0} style={{ width: '100%' }} />
          </Form.Item>
        ) : null}
        <Form.Item name="description" label={t.form.description}>
          <Input.TextArea rows={3} maxLength={5000} />
        </Form.Item>
        {detail.data?.attachments.length ? (
          <List
            size="small"
            header={t.form.attachments}
            dataSource={detail.data.attachments}
            renderItem={(a) => (
              <List.Item>
                <a href={`/api/attachments/${a.id}/download`}>
                  <PaperClipOutlined /> {a.name}
                </a>
              </List.Item>
            )}
          />
        ) : null}
        <Form.Item label={t.form.upload}>
          <Upload<{ id: string }>
            disabled={!unitId}
            fileList={files}
            onChange={({ fileList }) => setFiles(fileList)}
            customRequest={({ file, onSuccess, onError }) => {
              uploadAttachment(unitId as string, file as File)
                .then((a) => onSuccess?.(a))
                .catch((e: unknown) => {
                  showError(e, t.form.uploadFailed);
                  onError?.(e instanceof Error ? e : new Error(errorText(e)));
                });
            }}
          >
            <Button icon={<UploadOutlined />}>{t.form.upload}</Button>
          </Upload>
        </Form.Item>
      </Form>
    </Drawer>
  );
}

type SearchValues = Omit<Filter, 'kind' | 'from' | 'to'> & { range?: [Dayjs | null, Dayjs | null] | null };

export default function OutputsPage() {
  const list = useListParams(readFilter);
  const { filter, page, pageSize } = list;
  const canWrite = useCan('output.write');
  const [drawer, setDrawer] = useState<{ editing: WorkOutput | null } | null>(null);
  const { data: units } = useUnits();
  const unitTree = useMemo(() => unitTreeSelectData(units ?? []), [units]);
  const query = useQuery({
    queryKey: [...key, 'list', { ...filter, page, pageSize }],
    queryFn: () => api.get<Paged<WorkOutput>>('/api/outputs', { ...filter, page, pageSize }),
    placeholderData: (prev) => prev,
  });
  const setKind = (k: string) => list.applyFilter({ ...filter, kind: k === 'all' ? undefined : k });
  const search = ({ range, ...v }: SearchValues) =>
    list.applyFilter({ ...v, kind: filter.kind, from: range?.[0]?.format('YYYY-MM-DD'), to: range?.[1]?.format('YYYY-MM-DD') });
  const kind = filter.kind;
  return (
    <PageContainer
      title={t.title}
      extra={
        canWrite ? (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setDrawer({ editing: null })} data-testid="output-new">
            {t.add}
          </Button>
        ) : null
      }
    >
      <div style={{ overflowX: 'auto', marginBottom: 12 }}>
        <Segmented
          value={kind ?? 'all'}
          onChange={(v) => setKind(String(v))}
          options={[
            { value: 'all', label: t.all },
            ...outputKinds.map((k) => ({ value: k, label: <span data-testid={`output-kind-${k}`}>{outputKindLabels[k]}</span> })),
          ]}
        />
      </div>
      <SearchCard<SearchValues>
        key={kind ?? 'all'}
        initialValues={{
          ...filter,
          range: filter.from || filter.to ? [filter.from ? dayjs(filter.from) : null, filter.to ? dayjs(filter.to) : null] : undefined,
        }}
        onSearch={search}
        exportHref={`/api/outputs/export${buildQuery(filter)}`}
        fields={[
          { name: 'q', label: t.search.q, children: <Input allowClear maxLength={100} placeholder={t.search.qPlaceholder} /> },
          {
            name: 'level',
            label: t.search.level,
            col: { xs: 12, lg: 4 },
            children: <Select allowClear options={outputLevels.map((l) => ({ value: l, label: outputLevelLabels[l] }))} />,
          },
          {
            name: 'unitId',
            label: t.search.unit,
            children: <TreeSelect allowClear showSearch treeNodeFilterProp="title" treeData={unitTree} />,
          },
          {
            name: 'range',
            label: t.search.range,
            col: { xs: 24, lg: 8 },
            children: <DatePicker.RangePicker allowEmpty={[true, true]} style={{ width: '100%' }} />,
          },
        ]}
      />
      <PagedTable<WorkOutput>
        query={query}
        params={list}
        rowKey="id"
        emptyText={t.empty}
        totalText={t.total}
        onRow={(r) => ({ onClick: () => canWrite && setDrawer({ editing: r }), style: { cursor: canWrite ? 'pointer' : undefined } })}
        columns={[
          { title: t.columns.kind, dataIndex: 'kindLabel' },
          { title: t.columns.title, dataIndex: 'title', onCell: () => ({ style: { minWidth: 200 } }) },
          { title: t.columns.unit, dataIndex: 'unitName' },
          { title: t.columns.date, dataIndex: 'occurredOn' },
          { title: t.columns.level, dataIndex: 'levelLabel', render: (v: string | null) => v ?? '—' },
          {
            title: t.columns.outlet,
            dataIndex: 'outlet',
            render: (v: string, r) =>
              r.link ? (
                <a href={r.link} target="_blank" rel="noreferrer" onClick={(e) => e.stopPropagation()}>
                  {v || r.link}
                </a>
              ) : (
                v || '—'
              ),
          },
          { title: t.columns.people, dataIndex: 'participants', render: (v: number | null) => v ?? '—' },
          { title: t.columns.hours, dataIndex: 'hours', render: (v: number | null) => v ?? '—' },
        ]}
      />
      {drawer ? <OutputDrawer open editing={drawer.editing} kind={kind} onClose={() => setDrawer(null)} /> : null}
    </PageContainer>
  );
}
