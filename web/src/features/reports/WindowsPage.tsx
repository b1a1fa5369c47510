import { PlusOutlined } from '@ant-design/icons';
import {
  type ReportKind,
  type ReportWindow,
  reportKindLabels,
  reportKinds,
  type WindowPhase,
  windowPhaseLabels,
  windowPhases,
} from '@dutyledger/contracts';
import { Button, Input, InputNumber, Select, Space, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { buildQuery } from '../../lib/api';
import { formatDateTimeShort } from '../../lib/format';
import { PagedTable, SearchCard, useListParams } from '../../lib/list';
import { useCan } from '../../lib/session';
import { PageContainer } from '../../lib/ui';
import { useWindows, type WindowFilter } from './api';
import { OpenWindowDrawer } from './OpenWindowDrawer';
import { reportsStrings } from './strings';
import { TemplatesDrawer } from './TemplatesDrawer';

const t = reportsStrings.windows;
const phaseColors: Record<WindowPhase, string> = { upcoming: 'default', open: 'processing', closed: 'default' };

function readFilter(sp: URLSearchParams): WindowFilter {
  const kind = sp.get('kind');
  const phase = sp.get('phase');
  const year = Number(sp.get('year'));
  return {
    q: sp.get('q') || undefined,
    kind: kind && (reportKinds as readonly string[]).includes(kind) ? (kind as ReportKind) : undefined,
    phase: phase && (windowPhases as readonly string[]).includes(phase) ? (phase as WindowPhase) : undefined,
    year: Number.isInteger(year) && year >= 2000 && year <= 2100 ? year : undefined,
  };
}

export default function WindowsPage() {
  const list = useListParams(readFilter);
  const { filter, page, pageSize } = list;
  const query = useWindows(filter, page, pageSize);
  const canOpen = useCan('reportWindow.manage');
  const [opening, setOpening] = useState(false);
  const [templatesOpen, setTemplatesOpen] = useState(false);
  const navigate = useNavigate();

  const columns: ColumnsType<ReportWindow> = [
    { title: t.columns.title, dataIndex: 'title', onCell: () => ({ style: { minWidth: 200 } }) },
    { title: t.columns.kind, dataIndex: 'kindLabel' },
    { title: t.columns.period, key: 'period', render: (_, r) => r.period.label },
    { title: t.columns.unit, dataIndex: 'unitName' },
    { title: t.columns.closesAt, dataIndex: 'closesAt', render: (v: string) => formatDateTimeShort(v) },
    { title: t.columns.phase, dataIndex: 'phase', render: (_, r) => <Tag color={phaseColors[r.phase]}>{r.phaseLabel}</Tag> },
    { title: t.columns.progress, key: 'progress', render: (_, r) => `${r.submittedCount}/${r.targetCount}` },
    {
      title: t.columns.actions,
      key: 'actions',
      render: (_, r) => (
        <Space size={0} wrap>
          {r.canManage ? (
            <Button type="link" size="small" onClick={() => navigate(`/reports/windows/${r.id}`)} data-testid="window-board">
              {t.board}
            </Button>
          ) : null}
          <Button type="link" size="small" onClick={() => navigate(`/my-reports?windowId=${r.id}`)} data-testid="window-fill">
            {t.fill}
          </Button>
        </Space>
      ),
    },
  ];

  return (
    <PageContainer
      title={t.title}
      extra={
        <Space wrap>
          <Button onClick={() => setTemplatesOpen(true)} data-testid="templates-open">
            {reportsStrings.templates.open}
          </Button>
          {canOpen ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpening(true)} data-testid="window-open">
              {t.open}
            </Button>
          ) : null}
        </Space>
      }
    >
      <SearchCard<WindowFilter>
        initialValues={filter}
        onSearch={(v) => list.applyFilter({ ...v })}
        submitTestId="windows-search"
        exportHref={`/api/report-windows/export${buildQuery({ ...filter })}`}
        fields={[
          {
            name: 'q',
            label: t.search.q,
            children: <Input allowClear placeholder={t.search.qPlaceholder} maxLength={100} data-testid="windows-q" />,
          },
          {
            name: 'kind',
            label: t.search.kind,
            children: (
              <Select
                allowClear
                placeholder={t.search.kindPlaceholder}
                options={reportKinds.map((k) => ({ value: k, label: reportKindLabels[k] }))}
              />
            ),
          },
          {
            name: 'phase',
            label: t.search.phase,
            col: { xs: 12, lg: 4 },
            children: (
              <Select
                allowClear
                placeholder={t.search.phasePlaceholder}
                options={windowPhases.map((p) => ({ value: p, label: windowPhaseLabels[p] }))}
              />
            ),
          },
          {
            name: 'year',
            label: t.search.year,
            col: { xs: 12, lg: 4 },
            children: <InputNumber min={2000} max={2100} placeholder={t.search.yearPlaceholder} style={{ width: '100%' }} />,
          },
        ]}
      />
      <PagedTable<ReportWindow> query={query} params={list} rowKey="id" columns={columns} emptyText={t.empty} totalText={t.total} />
      <TemplatesDrawer open={templatesOpen} onClose={() => setTemplatesOpen(false)} />
      <OpenWindowDrawer open={opening} onClose={() => setOpening(false)} onOpened={(id) => navigate(`/reports/windows/${id}`)} />
    </PageContainer>
  );
}
