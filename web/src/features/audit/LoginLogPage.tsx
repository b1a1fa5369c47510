import { ReloadOutlined, SearchOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Col, Empty, Form, Input, Row, Select, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useSearchParams } from 'react-router-dom';
import { api, type Paged } from '../../lib/api';
import { formatDateTime } from '../../lib/format';
import { useIsMobile } from '../../lib/hooks';
import { errorText } from '../../lib/notify';
import type { LoginLogEntry } from '../../lib/types';
import { PageContainer } from '../../lib/ui';
import { auditStrings } from './strings';

const t = auditStrings.loginLog;

interface FormValues {
  q?: string;
  success?: 'true' | 'false';
}

export default function LoginLogPage() {
  const mobile = useIsMobile();
  const [sp, setSp] = useSearchParams();
  const [form] = Form.useForm<FormValues>();
  const q = sp.get('q') || undefined;
  const successParam = sp.get('success');
  const success = successParam === 'true' || successParam === 'false' ? successParam : undefined;
  const page = Math.max(1, Number(sp.get('page')) || 1);
  const pageSize = Math.min(200, Math.max(1, Number(sp.get('pageSize')) || 20));
  const query = { page, pageSize, q, success };
  const { data, isFetching, isError, error } = useQuery({
    queryKey: ['login-log', 'list', query],
    queryFn: () => api.get<Paged<LoginLogEntry>>('/api/login-log', query),
    placeholderData: (prev) => prev,
  });

  const apply = (v: FormValues) => {
    const next = new URLSearchParams();
    if (v.q?.trim()) next.set('q', v.q.trim());
    if (v.success) next.set('success', v.success);
    next.set('pageSize', String(pageSize));
    setSp(next);
  };

  const columns: ColumnsType<LoginLogEntry> = [
    { title: t.columns.at, dataIndex: 'at', width: 170, render: (v: string) => formatDateTime(v) },
    { title: t.columns.username, dataIndex: 'username', width: 130 },
    {
      title: t.columns.success,
      dataIndex: 'success',
      width: 80,
      render: (v: boolean) => (v ? <Tag color="green">{t.ok}</Tag> : <Tag color="red">{t.failed}</Tag>),
    },
    { title: t.columns.reason, dataIndex: 'reason', width: 160, render: (v: string | null) => v ?? '—' },
    { title: t.columns.ip, dataIndex: 'ip', width: 140, render: (v: string | null) => v ?? '—' },
    {
      title: t.columns.userAgent,
      dataIndex: 'userAgent',
      render: (v: string | null) =>
        v ? (
          <Typography.Text type="secondary" ellipsis={{ tooltip: v }} style={{ maxWidth: 320, fontSize: 12 }}>
            {v}
          </Typography.Text>
        ) : (
          '—'
        ),
    },
  ];

  return (
    <PageContainer title={t.title}>
      <Card size="small" style={{ marginBottom: 12 }}>
        <Form<FormValues> form={form} className="dl-search-form" layout="vertical" initialValues={{ q, success }} onFinish={apply}>
          <Row gutter={12}>
            <Col xs={12} lg={6}>
              <Form.Item name="q" label={t.search.q}>
                <Input allowClear placeholder={t.search.qPlaceholder} maxLength={100} />
              </Form.Item>
            </Col>
            <Col xs={12} lg={4}>
              <Form.Item name="success" label={t.search.success}>
                <Select
                  allowClear
                  placeholder={t.search.successPlaceholder}
                  options={[
                    { value: 'true', label: t.search.successTrue },
                    { value: 'false', label: t.search.successFalse },
                  ]}
                />
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
                      form.setFieldsValue({ q: undefined, success: undefined });
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
        <Table<LoginLogEntry>
          rowKey="id"
          size={mobile ? 'small' : 'middle'}
          columns={columns}
          dataSource={data?.items ?? []}
          loading={isFetching}
          scroll={{ x: true }}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t.empty} /> }}
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
