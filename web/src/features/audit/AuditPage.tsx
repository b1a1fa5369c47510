import { ReloadOutlined, SafetyOutlined, SearchOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Col, DatePicker, Empty, Form, Input, Row, Space, Table, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { Dayjs } from 'dayjs';
import { useSearchParams } from 'react-router-dom';
import { api, type Paged } from '../../lib/api';
import { dayEndIso, dayjs, dayStartIso, formatDateTime } from '../../lib/format';
import { useIsMobile } from '../../lib/hooks';
import { errorText, showError } from '../../lib/notify';
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

export default function AuditPage() {
  const mobile = useIsMobile();
  const [sp, setSp] = useSearchParams();
  const [form] = Form.useForm<FormValues>();
  const action = sp.get('action') || undefined;
  const entity = sp.get('entity') || undefined;
  const fromDay = DAY.test(sp.get('from') ?? '') ? (sp.get('from') as string) : undefined;
  const toDay = DAY.test(sp.get('to') ?? '') ? (sp.get('to') as string) : undefined;
  const page = Math.max(1, Number(sp.get('page')) || 1);
  const pageSize = Math.min(200, Math.max(1, Number(sp.get('pageSize')) || 20));

  const query = {
    page,
    pageSize,
    action,
    entity,
    from: fromDay ? dayStartIso(dayjs(fromDay)) : undefined,
    to: toDay ? dayEndIso(dayjs(toDay)) : undefined,
  };
  const { data, isFetching, isError, error } = useQuery({
    queryKey: ['audit', 'list', query],
    queryFn: () => api.get<Paged<AuditEntry>>('/api/audit', query),
    placeholderData: (prev) => prev,
  });

  const verify = useMutation({
    mutationFn: () => api.get<AuditVerify>('/api/audit/verify'),
    onError: (e) => showError(e),
  });

  const apply = (v: FormValues) => {
    const next = new URLSearchParams();
    if (v.action?.trim()) next.set('action', v.action.trim());
    if (v.entity?.trim()) next.set('entity', v.entity.trim());
    if (v.range?.[0]) next.set('from', v.range[0].format('YYYY-MM-DD'));
    if (v.range?.[1]) next.set('to', v.range[1].format('YYYY-MM-DD'));
    next.set('pageSize', String(pageSize));
    setSp(next);
  };

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
      <Card size="small" style={{ marginBottom: 12 }}>
        <Form<FormValues>
          form={form}
          className="dl-search-form"
          layout="vertical"
          initialValues={{
            action,
            entity,
            range: fromDay || toDay ? [fromDay ? dayjs(fromDay) : null, toDay ? dayjs(toDay) : null] : null,
          }}
          onFinish={apply}
        >
          <Row gutter={12}>
            <Col xs={12} lg={5}>
              <Form.Item name="action" label={t.search.action}>
                <Input allowClear placeholder={t.search.actionPlaceholder} maxLength={50} />
              </Form.Item>
            </Col>
            <Col xs={12} lg={5}>
              <Form.Item name="entity" label={t.search.entity}>
                <Input allowClear placeholder={t.search.entityPlaceholder} maxLength={50} />
              </Form.Item>
            </Col>
            <Col xs={24} lg={8}>
              <Form.Item name="range" label={t.search.range}>
                <DatePicker.RangePicker allowEmpty={[true, true]} style={{ width: '100%' }} placeholder={[t.search.from, t.search.to]} />
              </Form.Item>
            </Col>
            <Col xs={24} lg={6}>
              <Form.Item label={mobile ? undefined : ' '}>
                <Space>
                  <Button type="primary" htmlType="submit" icon={<SearchOutlined />}>
                    {t.search.submit}
                  </Button>
                  <Button
                    icon={<ReloadOutlined />}
                    onClick={() => {
                      form.resetFields();
                      apply({});
                    }}
                  >
                    {t.search.reset}
                  </Button>
                </Space>
              </Form.Item>
            </Col>
          </Row>
        </Form>
      </Card>
      <Card size="small">
        {isError ? <Alert type="error" showIcon message={errorText(error)} style={{ marginBottom: 12 }} /> : null}
        <Table<AuditEntry>
          rowKey="seq"
          size={mobile ? 'small' : 'middle'}
          columns={columns}
          dataSource={data?.items ?? []}
          loading={isFetching}
          scroll={{ x: true }}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t.empty} /> }}
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
          pagination={{
            current: page,
            pageSize,
            total: data?.total ?? 0,
            showSizeChanger: true,
            pageSizeOptions: [20, 50, 100, 200],
            showTotal: (n) => t.total(n),
            size: mobile ? 'small' : undefined,
            onChange: (p, ps) => {
              const next = new URLSearchParams(sp);
              next.set('page', String(ps !== pageSize ? 1 : p));
              next.set('pageSize', String(ps));
              setSp(next);
            },
          }}
        />
      </Card>
    </PageContainer>
  );
}
