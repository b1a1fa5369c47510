import { type SubmissionRow, type SubmissionState, submissionStateLabels, submissionStates } from '@dutyledger/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, Input, Select, Space } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useEffect, useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { api } from '../../lib/api';
import { formatDateTimeShort } from '../../lib/format';
import { PagedTable, SearchCard, useListParams } from '../../lib/list';
import { showError, toastSuccess } from '../../lib/notify';
import { PageContainer } from '../../lib/ui';
import { reportsKey, type SubmissionFilter, useSubmissions } from './api';
import { SubmissionDrawer, SubmissionStateTag } from './SubmissionDrawer';
import { reportsStrings } from './strings';

const t = reportsStrings.mine;
const UUID = /^[0-9a-f-]{36}$/i;

function readFilter(sp: URLSearchParams): SubmissionFilter {
  const state = sp.get('state');
  const late = sp.get('late');
  const windowId = sp.get('windowId') ?? '';
  return {
    q: sp.get('q') || undefined,
    windowId: UUID.test(windowId) ? windowId : undefined,
    state: state && (submissionStates as readonly string[]).includes(state) ? (state as SubmissionState) : undefined,
    late: late === 'true' || late === 'false' ? late : undefined,
  };
}

/** 本单位报送: the caller's units' rows of every window (未填报 included): start, fill, submit. */
export default function MySubmissionsPage() {
  const list = useListParams(readFilter);
  const { filter, page, pageSize } = list;
  const query = useSubmissions(filter, page, pageSize);
  const params = useParams();
  const navigate = useNavigate();
  const [openId, setOpenId] = useState<string | null>(params.id ?? null);
  useEffect(() => setOpenId(params.id ?? null), [params.id]);
  const qc = useQueryClient();
  const start = useMutation({
    mutationFn: (r: SubmissionRow) => api.post<{ id: string }>(`/api/report-windows/${r.windowId}/submissions`, { unitId: r.unitId }),
    onSuccess: async (s) => {
      toastSuccess(t.started);
      await qc.invalidateQueries({ queryKey: reportsKey });
      setOpenId(s.id);
    },
    onError: (e) => showError(e),
  });

  const columns: ColumnsType<SubmissionRow> = [
    { title: t.columns.window, dataIndex: 'windowTitle', onCell: () => ({ style: { minWidth: 180 } }) },
    { title: t.columns.unit, dataIndex: 'unitName' },
    { title: t.columns.closesAt, dataIndex: 'closesAt', render: (v: string) => formatDateTimeShort(v) },
    { title: t.columns.state, key: 'state', render: (_, r) => <SubmissionStateTag row={r} /> },
    { title: t.columns.submittedAt, dataIndex: 'submittedAt', render: (v: string | null) => formatDateTimeShort(v) },
    {
      title: t.columns.actions,
      key: 'actions',
      render: (_, r) => (
        <Space size={0} wrap>
          {r.actions.includes('create') ? (
            <Button type="link" size="small" loading={start.isPending} onClick={() => start.mutate(r)} data-testid="submission-start">
              {t.start}
            </Button>
          ) : null}
          {r.id ? (
            <Button type="link" size="small" onClick={() => setOpenId(r.id)} data-testid="submission-open">
              {r.actions.includes('edit') ? reportsStrings.submission.fill : reportsStrings.submission.view}
            </Button>
          ) : null}
        </Space>
      ),
    },
  ];

  return (
    <PageContainer title={t.title}>
      <SearchCard<SubmissionFilter>
        initialValues={filter}
        onSearch={(v) => list.applyFilter({ ...v, windowId: filter.windowId })}
        submitTestId="submissions-search"
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
                options={submissionStates.map((s) => ({ value: s, label: submissionStateLabels[s] }))}
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
      <PagedTable<SubmissionRow>
        query={query}
        params={list}
        rowKey={(r) => `${r.windowId}:${r.unitId}`}
        columns={columns}
        emptyText={t.empty}
        totalText={t.total}
      />
      <SubmissionDrawer
        id={openId}
        onClose={() => {
          setOpenId(null);
          if (params.id) navigate('/my-reports');
        }}
      />
    </PageContainer>
  );
}
