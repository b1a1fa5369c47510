import { PaperClipOutlined, UploadOutlined } from '@ant-design/icons';
import {
  type BoardStatus,
  boardStatuses,
  boardStatusLabels,
  type DutyLetterDetail,
  type LetterBoardRow,
  type UnitType,
  unitTypes,
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
  Popconfirm,
  Select,
  Space,
  Spin,
  Tag,
  Typography,
  Upload,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { api } from '../../lib/api';
import { dayjs, TZ } from '../../lib/format';
import { applyServerErrors } from '../../lib/forms';
import { useDrawerWidth, useIsMobile } from '../../lib/hooks';
import { PagedTable, SearchCard, useListParams } from '../../lib/list';
import { errorText, showError, toastSuccess } from '../../lib/notify';
import { useCan, useCurrentMe } from '../../lib/session';
import { PageContainer } from '../../lib/ui';
import { uploadAttachment } from '../duty/api';
import { useUnit } from '../org/api';
import { type BoardFilter, boardExportHref, lettersKey, useLetter, useLetterBoard, useUnitPeople } from './api';
import { respStrings } from './strings';
import { UnitPicker } from './UnitPicker';

const c = respStrings.common;
const t = respStrings.letters;
const currentYear = () => dayjs().tz(TZ).year();
const nowrap = () => ({ style: { whiteSpace: 'nowrap' as const } });
const statusColors: Record<BoardStatus, string> = { notStarted: 'default', draft: 'gold', signed: 'green' };

function PeopleSelect({
  unitId,
  value,
  onChange,
  placeholder,
  testId,
}: {
  unitId?: string;
  value?: string;
  onChange?: (v: string) => void;
  placeholder: string;
  testId?: string;
}) {
  const { data, isLoading } = useUnitPeople(unitId);
  const seen = new Set<string>();
  const options = (data ?? []).flatMap((p) => {
    if (seen.has(p.personId)) return [];
    seen.add(p.personId);
    return [{ value: p.personId, label: `${p.displayName}（${p.unitName} ${p.postTitle}）` }];
  });
  return (
    <Select
      showSearch
      allowClear
      optionFilterProp="label"
      loading={isLoading}
      options={options}
      value={value}
      onChange={onChange}
      placeholder={placeholder}
      data-testid={testId}
    />
  );
}

interface NewValues {
  title?: string;
  upperSignerPersonId: string;
  signerPersonId?: string;
}

function NewLetterForm({ row, year, onCreated }: { row: LetterBoardRow; year: number; onCreated: (l: DutyLetterDetail) => void }) {
  const [form] = Form.useForm<NewValues>();
  const qc = useQueryClient();
  // the upper signer is one of the upper unit's (the row's parent's) people
  const upperUnitId = useUnit(row.unitId).data?.parentId ?? undefined;
  const create = useMutation({
    mutationFn: (v: NewValues) =>
      api.post<DutyLetterDetail>('/api/duty-letters', {
        unitId: row.unitId,
        year,
        title: v.title?.trim() || undefined,
        upperSignerPersonId: v.upperSignerPersonId,
        signerPersonId: v.signerPersonId || undefined,
      }),
    onSuccess: async (l) => {
      toastSuccess(t.created);
      await qc.invalidateQueries({ queryKey: lettersKey });
      onCreated(l);
    },
    onError: (e) => applyServerErrors(form, e),
  });
  return (
    <Form form={form} layout="vertical" onFinish={(v) => create.mutate(v)}>
      <Descriptions size="small" column={1} style={{ marginBottom: 12 }}>
        <Descriptions.Item label={c.unit}>{row.unitName}</Descriptions.Item>
        <Descriptions.Item label={t.year}>{year}</Descriptions.Item>
      </Descriptions>
      <Form.Item name="title" label={t.letterTitle}>
        <Input placeholder={t.letterTitlePlaceholder} maxLength={200} />
      </Form.Item>
      <Form.Item name="upperSignerPersonId" label={t.upperSigner} rules={[{ required: true, message: t.upperSignerRequired }]}>
        <PeopleSelect unitId={upperUnitId} placeholder={t.upperSignerPlaceholder} testId="letter-upper-signer" />
      </Form.Item>
      <Form.Item name="signerPersonId" label={t.signer}>
        <PeopleSelect unitId={row.unitId} placeholder={t.signerPlaceholder} testId="letter-signer" />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={create.isPending} data-testid="letter-create">
        {t.start}
      </Button>
    </Form>
  );
}

function LetterView({ id }: { id: string }) {
  const q = useLetter(id);
  const qc = useQueryClient();
  const canManage = useCan('duty.manage');
  const [form] = Form.useForm<{ signedDate: Dayjs }>();
  const [uploading, setUploading] = useState(false);
  const refresh = () => qc.invalidateQueries({ queryKey: lettersKey });
  const attach = useMutation({
    mutationFn: (attachmentId: string) => api.patch(`/api/duty-letters/${id}`, { attachmentIds: [attachmentId] }),
    onSuccess: async () => {
      toastSuccess(t.uploaded);
      await refresh();
    },
    onError: (e) => showError(e),
  });
  const rename = useMutation({
    mutationFn: (title: string) => api.patch(`/api/duty-letters/${id}`, { title }),
    onSuccess: async () => {
      toastSuccess(t.saved);
      await refresh();
    },
    onError: (e) => showError(e),
  });
  const sign = useMutation({
    mutationFn: (v: { signedDate: Dayjs }) => api.post(`/api/duty-letters/${id}/sign`, { signedDate: v.signedDate.format('YYYY-MM-DD') }),
    onSuccess: async () => {
      toastSuccess(t.signed);
      await refresh();
    },
    onError: (e) => applyServerErrors(form, e),
  });
  if (q.isLoading) return <Spin />;
  if (q.isError) return <Alert type="error" showIcon message={errorText(q.error)} />;
  const l = q.data!;
  const draft = l.status === 'draft';
  return (
    <Space direction="vertical" style={{ width: '100%' }} size={12}>
      <Descriptions size="small" column={1} bordered>
        <Descriptions.Item label={t.letterTitle}>
          {draft && canManage ? (
            <Typography.Text editable={{ onChange: (title) => title.trim() && title !== l.title && rename.mutate(title.trim()) }}>
              {l.title}
            </Typography.Text>
          ) : (
            l.title
          )}
        </Descriptions.Item>
        <Descriptions.Item label={c.unit}>{l.unitName}</Descriptions.Item>
        <Descriptions.Item label={t.year}>{l.year}</Descriptions.Item>
        <Descriptions.Item label={t.upperSigner}>
          {l.upperSignerName}（{l.upperUnitName}）
        </Descriptions.Item>
        <Descriptions.Item label={t.signer}>{l.signerName}</Descriptions.Item>
        <Descriptions.Item label={t.columns.status}>
          <Tag color={draft ? 'gold' : 'green'} data-testid="letter-status">
            {l.statusLabel}
          </Tag>
        </Descriptions.Item>
        {l.signedDate ? <Descriptions.Item label={t.signedDate}>{l.signedDate}</Descriptions.Item> : null}
      </Descriptions>
      <div>
        <strong>{t.scans}</strong>
        <List
          size="small"
          dataSource={l.attachments}
          locale={{ emptyText: t.noScans }}
          renderItem={(a) => (
            <List.Item>
              <a href={`/api/attachments/${a.id}/download`}>
                <PaperClipOutlined /> {a.name}
              </a>
            </List.Item>
          )}
        />
        {draft && canManage ? (
          <Upload
            showUploadList={false}
            customRequest={({ file, onSuccess, onError }) => {
              setUploading(true);
              uploadAttachment(l.unitId, file as File)
                .then((a) => {
                  onSuccess?.(a);
                  attach.mutate(a.id);
                })
                .catch((e: unknown) => {
                  showError(e, t.uploadFailed);
                  onError?.(e instanceof Error ? e : new Error(errorText(e)));
                })
                .finally(() => setUploading(false));
            }}
          >
            <Button icon={<UploadOutlined />} loading={uploading || attach.isPending} data-testid="letter-upload">
              {t.upload}
            </Button>
          </Upload>
        ) : null}
      </div>
      {draft && canManage ? (
        <Form form={form} layout="inline" initialValues={{ signedDate: dayjs().tz(TZ) }} onFinish={(v) => sign.mutate(v)}>
          <Form.Item name="signedDate" label={t.signedDate} rules={[{ required: true, message: t.signedDateRequired }]}>
            <DatePicker disabledDate={(d) => d.isAfter(dayjs().tz(TZ), 'day')} />
          </Form.Item>
          <Form.Item>
            <Popconfirm
              title={t.signConfirm}
              onConfirm={() => form.submit()}
              okText={c.ok}
              cancelText={c.cancel}
              disabled={l.attachments.length === 0}
            >
              <Button
                type="primary"
                disabled={l.attachments.length === 0}
                title={l.attachments.length === 0 ? t.needScan : undefined}
                loading={sign.isPending}
                data-testid="letter-sign"
              >
                {t.sign}
              </Button>
            </Popconfirm>
          </Form.Item>
        </Form>
      ) : null}
      {draft && canManage && l.attachments.length === 0 ? <Alert type="info" showIcon message={t.needScan} /> : null}
    </Space>
  );
}

function LetterDrawer({ row, year, onClose }: { row: LetterBoardRow | null; year: number; onClose: () => void }) {
  const width = useDrawerWidth(560);
  const [createdId, setCreatedId] = useState<string | null>(null);
  const id = row?.letter?.id ?? createdId;
  return (
    <Drawer
      title={id ? t.drawerView : t.drawerNew}
      open={!!row}
      onClose={() => {
        setCreatedId(null);
        onClose();
      }}
      width={width}
      destroyOnHidden
    >
      {row && id ? <LetterView id={id} /> : null}
      {row && !id ? <NewLetterForm row={row} year={year} onCreated={(l) => setCreatedId(l.id)} /> : null}
    </Drawer>
  );
}

interface SearchValues {
  year?: number;
  status?: BoardStatus;
  unitType?: UnitType;
  q?: string;
}

function readFilter(sp: URLSearchParams): BoardFilter & { rootUnitId?: string } {
  const status = sp.get('status');
  const unitType = sp.get('unitType');
  return {
    rootUnitId: sp.get('unit') || undefined,
    year: Number(sp.get('year')) || currentYear(),
    status: status && (boardStatuses as readonly string[]).includes(status) ? status : undefined,
    unitType: unitType && (unitTypes as readonly string[]).includes(unitType) ? unitType : undefined,
    q: sp.get('q') || undefined,
  };
}

export default function LettersPage() {
  const mobile = useIsMobile();
  const me = useCurrentMe();
  const canManage = useCan('duty.manage');
  const list = useListParams(readFilter);
  const fallbackRoot = me.posts.find((p) => p.id === me.currentPostId)?.scopeRootId;
  const filter: BoardFilter = { ...list.filter, rootUnitId: list.filter.rootUnitId ?? fallbackRoot };
  const board = useLetterBoard(filter, list.page, list.pageSize);
  const [open, setOpen] = useState<LetterBoardRow | null>(null);

  const setRoot = (id: string) => {
    const next = new URLSearchParams(list.searchParams);
    next.set('unit', id);
    next.delete('page');
    list.setSearchParams(next);
  };
  const search = (v: SearchValues) => list.applyFilter({ ...v, unit: filter.rootUnitId });

  const columns: ColumnsType<LetterBoardRow> = [
    { title: t.columns.unit, dataIndex: 'unitName', fixed: mobile ? undefined : 'left', onCell: nowrap },
    { title: t.columns.parent, dataIndex: 'parentName', onCell: nowrap },
    { title: t.columns.type, dataIndex: 'unitType', onCell: nowrap },
    {
      title: t.columns.status,
      dataIndex: 'status',
      onCell: nowrap,
      render: (_, r) => (
        <Tag color={statusColors[r.status]} data-testid="board-status">
          {r.statusLabel}
        </Tag>
      ),
    },
    {
      title: t.columns.signers,
      key: 'signers',
      onCell: nowrap,
      render: (_, r) => (r.letter ? `${r.letter.upperSignerName} — ${r.letter.signerName}` : '—'),
    },
    { title: t.columns.signedDate, key: 'signedDate', onCell: nowrap, render: (_, r) => r.letter?.signedDate ?? '—' },
    {
      title: t.columns.actions,
      key: 'actions',
      fixed: mobile ? undefined : 'right',
      onCell: nowrap,
      render: (_, r) =>
        r.letter ? (
          <Button type="link" size="small" onClick={() => setOpen(r)} data-testid="board-view">
            {t.view}
          </Button>
        ) : canManage ? (
          <Button type="link" size="small" onClick={() => setOpen(r)} data-testid="board-start">
            {t.start}
          </Button>
        ) : null,
    },
  ];

  return (
    <PageContainer title={t.title} extra={<UnitPicker value={filter.rootUnitId} onChange={setRoot} testId="letters-unit" />}>
      <SearchCard<SearchValues>
        initialValues={{
          year: filter.year,
          status: filter.status as BoardStatus | undefined,
          unitType: filter.unitType as UnitType | undefined,
          q: filter.q,
        }}
        onSearch={search}
        submitTestId="letters-search"
        actionsCol={{ xs: 24, lg: 8 }}
        exportHref={filter.rootUnitId ? boardExportHref({ ...filter }) : undefined}
        fields={[
          {
            name: 'year',
            label: t.year,
            col: { xs: 12, sm: 12, lg: 4 },
            children: <InputNumber min={2000} max={2100} style={{ width: '100%' }} />,
          },
          {
            name: 'status',
            label: t.status,
            col: { xs: 12, sm: 12, lg: 4 },
            children: (
              <Select
                allowClear
                placeholder={t.statusPlaceholder}
                options={boardStatuses.map((s) => ({ value: s, label: boardStatusLabels[s] }))}
                data-testid="letters-status"
              />
            ),
          },
          {
            name: 'unitType',
            label: t.unitType,
            col: { xs: 12, sm: 12, lg: 4 },
            children: <Select allowClear placeholder={t.unitTypePlaceholder} options={unitTypes.map((u) => ({ value: u, label: u }))} />,
          },
          {
            name: 'q',
            label: t.q,
            col: { xs: 12, sm: 12, lg: 6 },
            children: <Input allowClear placeholder={t.qPlaceholder} maxLength={100} />,
          },
        ]}
      />
      <PagedTable<LetterBoardRow> query={board} params={list} rowKey="unitId" columns={columns} emptyText={t.empty} totalText={t.total} />
      <LetterDrawer row={open} year={filter.year} onClose={() => setOpen(null)} />
    </PageContainer>
  );
}
