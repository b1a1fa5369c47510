import { DownloadOutlined } from '@ant-design/icons';
import { type CreateLedgerExportBody, type LedgerExport, type LedgerFormat, roles } from '@dutyledger/contracts';
import {
  Alert,
  Button,
  Card,
  Checkbox,
  DatePicker,
  Empty,
  Flex,
  Form,
  Progress,
  Radio,
  Select,
  Space,
  Table,
  Tag,
  TreeSelect,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect, useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import { formatDate, formatDateTime } from '../../lib/format';
import { applyServerErrors } from '../../lib/forms';
import { useIsMobile } from '../../lib/hooks';
import { toastSuccess } from '../../lib/notify';
import { useCurrentMe } from '../../lib/session';
import { PageContainer } from '../../lib/ui';
import { unitTreeSelectData } from '../../lib/units';
import { useUnits } from '../org/api';
import { fileHref, useCreateExport, useLedgerChapters, useMyExports } from './api';
import { ledgerStrings as t } from './strings';

interface Values {
  unitId: string;
  kind: 'year' | 'halfYear' | 'custom';
  year: number;
  half?: 1 | 2;
  range?: [Dayjs, Dayjs];
  formats: LedgerFormat[];
  includeSubtree?: boolean;
}

const stateColors: Record<LedgerExport['state'], string> = {
  queued: 'default',
  running: 'processing',
  done: 'success',
  failed: 'error',
  expired: 'default',
};

function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function Files({ e }: { e: LedgerExport }) {
  if (e.state !== 'done') return <Typography.Text type="secondary">{e.state === 'expired' ? t.expiredHint : '—'}</Typography.Text>;
  return (
    <Space wrap size={4}>
      {e.files.map((f) => (
        <Button
          key={f.format}
          size="small"
          icon={<DownloadOutlined />}
          href={fileHref(e.id, f.format)}
          download={f.name}
          data-testid={`ledger-download-${f.format}`}
          title={`${f.name}（${sizeText(f.size)}）`}
        >
          {f.format.toUpperCase()}
        </Button>
      ))}
    </Space>
  );
}

function ProgressOf({ e }: { e: LedgerExport }) {
  const status = e.state === 'failed' ? 'exception' : e.state === 'done' ? 'success' : 'active';
  return <Progress percent={e.progress} size="small" status={status} data-testid="ledger-progress" data-state={e.state} />;
}

export default function LedgerPage() {
  const me = useCurrentMe();
  const mobile = useIsMobile();
  const [form] = Form.useForm<Values>();
  const { data: units } = useUnits(false);
  const unitTree = useMemo(() => unitTreeSelectData(units ?? [], (u) => !u.active), [units]);
  const post = me.posts.find((p) => p.id === me.currentPostId);
  const subtreeRole = !!post?.roles.some((r) => roles[r].subtree && roles[r].permissions.includes('ledger.export'));
  const chapters = useLedgerChapters();
  const mine = useMyExports();
  const create = useCreateExport();
  const kind = Form.useWatch('kind', form);
  const thisYear = new Date().getFullYear();

  // `?unitId=` (from a unit's dashboard) picks the unit; otherwise the unit the caller acts in
  const [sp] = useSearchParams();
  const askedUnit = sp.get('unitId') ?? undefined;
  useEffect(() => {
    form.setFieldsValue({
      unitId: askedUnit ?? post?.unitId,
      kind: 'year',
      year: thisYear,
      formats: ['docx', 'xlsx'],
      includeSubtree: false,
    });
  }, [form, askedUnit, post?.unitId, thisYear]);

  const submit = (v: Values) => {
    const period: CreateLedgerExportBody['period'] =
      v.kind === 'custom'
        ? { kind: 'custom', from: v.range?.[0].format('YYYY-MM-DD'), to: v.range?.[1].format('YYYY-MM-DD') }
        : v.kind === 'halfYear'
          ? { kind: 'halfYear', year: v.year, half: v.half }
          : { kind: 'year', year: v.year };
    create.mutate(
      { unitId: v.unitId, period, formats: v.formats, includeSubtree: !!v.includeSubtree },
      { onSuccess: () => toastSuccess(t.started), onError: (e) => applyServerErrors(form, e) },
    );
  };

  const latest = mine.data?.items[0];
  const columns = [
    {
      title: t.columns.unit,
      key: 'unit',
      render: (_: unknown, e: LedgerExport) => (e.includeSubtree ? `${e.unitName}（${t.subtree}）` : e.unitName),
    },
    { title: t.columns.period, dataIndex: 'periodLabel', key: 'period' },
    {
      title: t.columns.state,
      key: 'state',
      render: (_: unknown, e: LedgerExport) => <Tag color={stateColors[e.state]}>{t.states[e.state]}</Tag>,
    },
    { title: t.columns.progress, key: 'progress', width: 140, render: (_: unknown, e: LedgerExport) => <ProgressOf e={e} /> },
    { title: t.columns.createdAt, key: 'createdAt', render: (_: unknown, e: LedgerExport) => formatDateTime(e.createdAt) },
    { title: t.columns.expiresAt, key: 'expiresAt', render: (_: unknown, e: LedgerExport) => formatDate(e.expiresAt) },
    { title: t.columns.files, key: 'files', render: (_: unknown, e: LedgerExport) => <Files e={e} /> },
  ];

  return (
    <PageContainer title={t.title}>
      <Alert type="info" showIcon message={t.intro} style={{ marginBottom: 16 }} />
      <Flex gap={16} vertical={mobile} align="flex-start">
        <Card title={t.formTitle} style={{ flex: 2, width: '100%' }} size={mobile ? 'small' : 'default'}>
          <Form<Values> form={form} layout="vertical" onFinish={submit} data-testid="ledger-form">
            <Form.Item name="unitId" label={t.unit} rules={[{ required: true, message: t.unitRequired }]}>
              <TreeSelect showSearch treeNodeFilterProp="title" treeDefaultExpandAll treeData={unitTree} data-testid="ledger-unit" />
            </Form.Item>
            <Form.Item name="kind" label={t.periodKind}>
              <Radio.Group
                optionType="button"
                options={(['year', 'halfYear', 'custom'] as const).map((k) => ({ value: k, label: t.kinds[k] }))}
              />
            </Form.Item>
            {kind !== 'custom' ? (
              <Space wrap>
                <Form.Item name="year" label={t.year} rules={[{ required: true, message: t.yearRequired }]}>
                  <Select
                    style={{ width: 120 }}
                    options={[0, 1, 2, 3, 4].map((d) => ({ value: thisYear - d, label: `${thisYear - d}年` }))}
                    data-testid="ledger-year"
                  />
                </Form.Item>
                {kind === 'halfYear' ? (
                  <Form.Item name="half" label={t.half} rules={[{ required: true, message: t.halfRequired }]}>
                    <Radio.Group options={[1, 2].map((h) => ({ value: h, label: t.halves[h as 1 | 2] }))} />
                  </Form.Item>
                ) : null}
              </Space>
            ) : (
              <Form.Item name="range" label={t.range} rules={[{ required: true, message: t.rangeRequired }]}>
                <DatePicker.RangePicker style={{ width: '100%' }} />
              </Form.Item>
            )}
            <Form.Item name="formats" label={t.formats} rules={[{ required: true, type: 'array', min: 1, message: t.formatsRequired }]}>
              <Checkbox.Group
                options={(['docx', 'xlsx', 'zip'] as const).map((f) => ({ value: f, label: t.formatLabels[f] }))}
                data-testid="ledger-formats"
              />
            </Form.Item>
            {subtreeRole ? (
              <Form.Item name="includeSubtree" valuePropName="checked" extra={t.includeSubtreeHint}>
                <Checkbox>{t.includeSubtree}</Checkbox>
              </Form.Item>
            ) : null}
            <Button type="primary" htmlType="submit" loading={create.isPending} data-testid="ledger-start" block={mobile}>
              {t.start}
            </Button>
          </Form>
          {latest ? (
            <Card size="small" title={t.current} style={{ marginTop: 16 }} data-testid="ledger-current">
              <Typography.Paragraph style={{ marginBottom: 8 }}>
                {latest.unitName} · {latest.periodLabel} · <Tag color={stateColors[latest.state]}>{t.states[latest.state]}</Tag>
              </Typography.Paragraph>
              <ProgressOf e={latest} />
              {latest.error ? <Alert type="error" message={latest.error} style={{ marginTop: 8 }} /> : null}
              <div style={{ marginTop: 8 }}>
                <Files e={latest} />
              </div>
            </Card>
          ) : null}
        </Card>
        <Card title={t.chapters} style={{ flex: 1, width: '100%' }} size="small">
          <ol style={{ margin: 0, paddingLeft: 20 }}>
            {(chapters.data ?? []).map((c) => (
              <li key={c.key}>{c.title}</li>
            ))}
          </ol>
        </Card>
      </Flex>
      <Card title={t.recent} style={{ marginTop: 16 }} size={mobile ? 'small' : 'default'}>
        <Table<LedgerExport>
          rowKey="id"
          size="small"
          loading={mine.isLoading}
          dataSource={mine.data?.items ?? []}
          columns={columns}
          pagination={false}
          scroll={{ x: 800 }}
          locale={{ emptyText: <Empty description={t.empty} /> }}
          data-testid="ledger-exports"
        />
      </Card>
    </PageContainer>
  );
}
