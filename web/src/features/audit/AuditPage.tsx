import { SafetyOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, Button, Col, DatePicker, Input, Row, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { Dayjs } from 'dayjs';
import { api, buildQuery, type Paged } from '../../lib/api';
import { dayEndIso, dayjs, dayStartIso, formatDateTime } from '../../lib/format';
import { PagedTable, SearchCard, useListParams } from '../../lib/list';
import { showError } from '../../lib/notify';
import type { AuditEntry, AuditVerify } from '../../lib/types';
import { PageContainer } from '../../lib/ui';
import { auditStrings } from './strings';

const t = auditStrings.audit;

interface FormValues {
  action?: string;
  entity?: string;
  range?: [Dayjs | null, Dayjs | null] | null;
}

function Json({ value }: { value: unknown }) {
  if (value === null || value === undefined) return <Typography.Text type="secondary">{t.none}</Typography.Text>;
  return <pre className="dl-json">{JSON.stringify(value, null, 2)}</pre>;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function readFilter(sp: URLSearchParams) {
  const from = sp.get('from') ?? '';
  const to = sp.get('to') ?? '';
  return {
    action: sp.get('action') || undefined,
    entity: sp.get('entity') || undefined,
    fromDay: DAY.test(from) ? from : undefined,
    toDay: DAY.test(to) ? to : undefined,
  };
}

export default function AuditPage() {
  const list = useListParams(readFilter);
  const { page, pageSize } = list;
  const { action, entity, fromDay, toDay } = list.filter;

  const query = {
    page,
    pageSize,
    action,
    entity,
    from: fromDay ? dayStartIso(dayjs(fromDay)) : undefined,
    to: toDay ? dayEndIso(dayjs(toDay)) : undefined,
  };
  const listQuery = useQuery({
    queryKey: ['audit', 'list', query],
    queryFn: () => api.get<Paged<AuditEntry>>('/api/audit', query),
    placeholderData: (prev) => prev,
  });

  const verify = useMutation({
    mutationFn: () => api.get<AuditVerify>('/api/audit/verify'),
    onError: (e) => showError(e),
  });

  const apply = (v: FormValues) =>
    list.applyFilter({
      action: v.action,
      entity: v.entity,
      from: v.range?.[0]?.format('YYYY-MM-DD'),
      to: v.range?.[1]?.format('YYYY-MM-DD'),
    });

  const columns: ColumnsType<AuditEntry> = [
    { title: t.columns.seq, dataIndex: 'seq', width: 80 },
    { title: t.columns.at, dataIndex: 'at', width: 170, render: (v: string) => formatDateTime(v) },
    { title: t.columns.actor, dataIndex: 'actorName', width: 110, render: (v: string | null) => v ?? t.system },
    { title: t.columns.unit, dataIndex: 'unitName', width: 160, render: (v: string | null) => v ?? '—' },
    { title: t.columns.action, dataIndex: 'action', width: 160, render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
    { title: t.columns.entity, dataIndex: 'entity', width: 110 },
    {
      title: t.columns.entityId,
      dataIndex: 'entityId',
      width: 130,
      render: (v: string | null) =>
        v ? (
          <Tooltip title={v}>
            <Typography.Text copyable={{ text: v }} style={{ fontFamily: 'monospace' }}>
              {v.length > 8 ? `${v.slice(0, 8)}…` : v}
            </Typography.Text>
          </Tooltip>
        ) : (
          '—'
        ),
    },
    {
      title: t.columns.hash,
      dataIndex: 'hash',
      width: 120,
      render: (v: string) => (
        <Tooltip title={v}>
          <span style={{ fontFamily: 'monospace', color: '#888' }}>{v.slice(0, 10)}…</span>
        </Tooltip>
      ),
    },
  ];

  const verifyResult = verify.data;

  return (
    <PageContainer
      title={t.title}
      extra={
        <Button icon={<SafetyOutlined />} loading={verify.isPending} onClick={() => verify.mutate()} data-testid="audit-verify">
          {t.verify}
        </Button>
      }
    >
      {verifyResult ? (
        <Alert
          data-testid="audit-verify-result"
          closable
          onClose={() => verify.reset()}
          style={{ marginBottom: 12 }}
          type={verifyResult.ok ? 'success' : 'error'}
          showIcon
          message={verifyResult.ok ? t.verifyOk(verifyResult.checked) : t.verifyBroken(verifyResult.brokenAt, verifyResult.checked)}
          description={!verifyResult.ok && verifyResult.reason ? `${t.verifyReason}：${verifyResult.reason}` : undefined}
        />
      ) : null}
      <SearchCard<FormValues>
        exportHref={`/api/audit/export${buildQuery({ ...query, page: undefined, pageSize: undefined })}`}
        initialValues={{
          action,
          entity,
          range: fromDay || toDay ? [fromDay ? dayjs(fromDay) : null, toDay ? dayjs(toDay) : null] : null,
        }}
        onSearch={apply}
        fields={[
          {
            name: 'action',
            label: t.search.action,
            col: { xs: 12, lg: 5 },
            children: <Input allowClear placeholder={t.search.actionPlaceholder} maxLength={50} />,
          },
          {
            name: 'entity',
            label: t.search.entity,
            col: { xs: 12, lg: 5 },
            children: <Input allowClear placeholder={t.search.entityPlaceholder} maxLength={50} />,
          },
          {
            name: 'range',
            label: t.search.range,
            col: { xs: 24, lg: 8 },
            children: (
              <DatePicker.RangePicker allowEmpty={[true, true]} style={{ width: '100%' }} placeholder={[t.search.from, t.search.to]} />
            ),
          },
        ]}
        actionsCol={{ xs: 24, lg: 6 }}
      />
      <PagedTable<AuditEntry>
        query={listQuery}
        params={list}
        rowKey="seq"
        columns={columns}
        emptyText={t.empty}
        totalText={t.total}
        pageSizeOptions={[20, 50, 100, 200]}
        expandable={{
          expandedRowRender: (r) => (
            <Row gutter={[12, 12]}>
              <Col xs={24} md={12}>
                <Typography.Text strong>{t.before}</Typography.Text>
                <Json value={r.before} />
              </Col>
              <Col xs={24} md={12}>
                <Typography.Text strong>{t.after}</Typography.Text>
                <Json value={r.after} />
              </Col>
            </Row>
          ),
        }}
      />
    </PageContainer>
  );
}
