import { DownloadOutlined } from '@ant-design/icons';
import { type SubmissionRow, type SubmissionState, submissionStateLabels, submissionStates } from '@dutyledger/contracts';
import { useMutation } from '@tanstack/react-query';
import { Button, Card, Col, Descriptions, Input, Popconfirm, Row, Select, Space, Statistic } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { api } from '../../lib/api';
import { formatDateTimeShort } from '../../lib/format';
import { useIsMobile } from '../../lib/hooks';
import { PagedTable, SearchCard, useListParams } from '../../lib/list';
import { showError, toastSuccess } from '../../lib/notify';
import { PageContainer } from '../../lib/ui';
import { type BoardFilter, useBoard } from './api';
import { ReviewActions, SubmissionDrawer, SubmissionStateTag } from './SubmissionDrawer';
import { reportsStrings } from './strings';

const t = reportsStrings.board;

function readFilter(sp: URLSearchParams): BoardFilter {
  const state = sp.get('state');
  const late = sp.get('late');
  return {
    q: sp.get('q') || undefined,
    state: state && (submissionStates as readonly string[]).includes(state) ? (state as SubmissionState) : undefined,
    late: late === 'true' || late === 'false' ? late : undefined,
  };
}

/** 报送情况: the summary and the target units of a window, a page at a time (missing and late first), review actions, ZIP. */
export default function BoardPage() {
  const { id } = useParams();
  const mobile = useIsMobile();
  const navigate = useNavigate();
  const list = useListParams(readFilter);
  const { filter, page, pageSize } = list;
  const query = useBoard(id, filter, page, pageSize);
  const { data } = query;
  const [openId, setOpenId] = useState<string | null>(null);
  const s = data?.summary;
  const remind = useMutation({
    mutationFn: () => api.post<{ notified: number }>(`/api/report-windows/${id}/remind`),
    onSuccess: (r) => toastSuccess(t.reminded(r.notified)),
    onError: (e) => showError(e),
  });

  const columns: ColumnsType<SubmissionRow> = [
    { title: t.columns.unit, dataIndex: 'unitName' },
    { title: t.columns.state, key: 'state', render: (_, r) => <SubmissionStateTag row={r} /> },
    { title: t.columns.firstSubmittedAt, dataIndex: 'firstSubmittedAt', render: (v: string | null) => formatDateTimeShort(v) },
    { title: t.columns.returnReason, dataIndex: 'returnReason', render: (v: string | null, r) => (r.state === 'returned' ? v : '') },
    {
      title: t.columns.actions,
      key: 'actions',
      render: (_, r) => (
        <Space size={0} wrap>
          {r.id && r.state !== 'draft' ? (
            <Button type="link" size="small" onClick={() => setOpenId(r.id)} data-testid="board-view">
              {reportsStrings.submission.view}
            </Button>
          ) : null}
          <ReviewActions row={r} size="small" />
        </Space>
      ),
    },
  ];

  return (
    <PageContainer
      title={data ? t.title(data.window.title) : ''}
      extra={
        <Space wrap>
          <Button onClick={() => navigate('/reports')}>{t.back}</Button>
          {data?.window.canManage && data.window.phase !== 'upcoming' ? (
            <Popconfirm
              title={t.remindConfirm}
              okText={t.ok}
              cancelText={t.cancel}
              onConfirm={() => remind.mutateAsync().catch(() => undefined)}
            >
              <Button loading={remind.isPending} data-testid="board-remind">
                {t.remind}
              </Button>
            </Popconfirm>
          ) : null}
          <Button type="primary" icon={<DownloadOutlined />} href={`/api/report-windows/${id}/zip`} data-testid="board-zip">
            {t.zip}
          </Button>
        </Space>
      }
    >
      {data ? (
        <Card size="small" style={{ marginBottom: 12 }}>
          <Descriptions size="small" column={mobile ? 1 : 3}>
            <Descriptions.Item label={t.period}>{data.window.period.label}</Descriptions.Item>
            <Descriptions.Item label={t.closesAt}>{formatDateTimeShort(data.window.closesAt)}</Descriptions.Item>
            <Descriptions.Item label={t.template}>{data.window.templateName}</Descriptions.Item>
          </Descriptions>
          <Row gutter={[12, 12]} data-testid="board-summary">
            {(['targets', 'notSubmitted', 'draft', 'submitted', 'returned', 'accepted', 'late'] as const).map((k) => (
              <Col key={k} xs={8} sm={6} lg={3}>
                <Statistic
                  title={t.summary[k]}
                  value={s?.[k] ?? 0}
                  valueStyle={k === 'late' || k === 'notSubmitted' ? { color: '#cf1322' } : undefined}
                />
              </Col>
            ))}
          </Row>
        </Card>
      ) : null}
      <SearchCard<BoardFilter>
        initialValues={filter}
        onSearch={(v) => list.applyFilter(v)}
        submitTestId="board-search"
        fields={[
          { name: 'q', label: t.search.q, children: <Input allowClear placeholder={t.search.qPlaceholder} maxLength={100} /> },
          {
            name: 'state',
            label: t.search.state,
            col: { xs: 12, lg: 4 },
            children: (
              <Select
                allowClear
                placeholder={t.search.statePlaceholder}
                options={submissionStates.map((st) => ({ value: st, label: submissionStateLabels[st] }))}
                data-testid="board-state"
              />
            ),
          },
          {
            name: 'late',
            label: t.search.late,
            col: { xs: 12, lg: 4 },
            children: (
              <Select
                allowClear
                options={[
                  { value: 'true', label: t.search.lateTrue },
                  { value: 'false', label: t.search.lateFalse },
                ]}
              />
            ),
          },
        ]}
      />
      <PagedTable<SubmissionRow> query={query} params={list} rowKey="unitId" columns={columns} emptyText={t.empty} totalText={t.total} />
      <SubmissionDrawer id={openId} onClose={() => setOpenId(null)} />
    </PageContainer>
  );
}
