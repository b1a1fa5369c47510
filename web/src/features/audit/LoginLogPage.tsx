import { useQuery } from '@tanstack/react-query';
import { Input, Select, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { api, buildQuery, type Paged } from '../../lib/api';
import { formatDateTime } from '../../lib/format';
import { PagedTable, SearchCard, useListParams } from '../../lib/list';
import type { LoginLogEntry } from '../../lib/types';
import { PageContainer } from '../../lib/ui';
import { auditStrings } from './strings';

const t = auditStrings.loginLog;

interface FormValues {
  q?: string;
  success?: 'true' | 'false';
}

function readFilter(sp: URLSearchParams): FormValues {
  const success = sp.get('success');
  return { q: sp.get('q') || undefined, success: success === 'true' || success === 'false' ? success : undefined };
}

export default function LoginLogPage() {
  const list = useListParams(readFilter);
  const { page, pageSize, filter } = list;
  const query = { page, pageSize, ...filter };
  const listQuery = useQuery({
    queryKey: ['login-log', 'list', query],
    queryFn: () => api.get<Paged<LoginLogEntry>>('/api/login-log', query),
    placeholderData: (prev) => prev,
  });

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
      <SearchCard<FormValues>
        exportHref={`/api/login-log/export${buildQuery({ ...filter })}`}
        initialValues={filter}
        onSearch={list.applyFilter}
        fields={[
          {
            name: 'q',
            label: t.search.q,
            col: { xs: 12, lg: 6 },
            children: <Input allowClear placeholder={t.search.qPlaceholder} maxLength={100} />,
          },
          {
            name: 'success',
            label: t.search.success,
            col: { xs: 12, lg: 4 },
            children: (
              <Select
                allowClear
                placeholder={t.search.successPlaceholder}
                options={[
                  { value: 'true', label: t.search.successTrue },
                  { value: 'false', label: t.search.successFalse },
                ]}
              />
            ),
          },
        ]}
        actionsCol={{ xs: 24, lg: 6 }}
      />
      <PagedTable<LoginLogEntry>
        query={listQuery}
        params={list}
        rowKey="id"
        columns={columns}
        emptyText={t.empty}
        totalText={t.total}
        pageSizeOptions={[20, 50, 100, 200]}
      />
    </PageContainer>
  );
}
