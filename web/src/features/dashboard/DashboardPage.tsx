import { BookOutlined } from '@ant-design/icons';
import { type DashboardFigureKey, type DashboardFigures, dashboardFigureKeys, dashboardFigureLabels } from '@dutyledger/contracts';
import { Alert, Breadcrumb, Button, Card, Col, Empty, List, Row, Space, Spin, Statistic, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { formatDateTime, formatDateTimeShort } from '../../lib/format';
import { errorText } from '../../lib/notify';
import { useCan } from '../../lib/session';
import { PageContainer } from '../../lib/ui';
import { useDashboard } from './api';
import { EChart } from './EChart';
import { recordsLink } from './links';
import { dashboardStrings as t } from './strings';

type ChildRow = { unitId: string; name: string; type: string; figures: DashboardFigures };

const isPercent = (k: DashboardFigureKey) => k === 'complianceRate';
const warn = (k: DashboardFigureKey, v: number | null) =>
  v !== null && (k === 'complianceRate' ? v < 100 : k.startsWith('overdue') || k === 'missingReports') && v > 0;

function FigureCard({ k, value, unitId }: { k: DashboardFigureKey; value: number | null; unitId: string }) {
  const link = value === null ? null : recordsLink(k, unitId);
  const stat = (
    <Statistic
      title={dashboardFigureLabels[k]}
      value={value ?? t.noData}
      suffix={value !== null && isPercent(k) ? t.percent : undefined}
      valueStyle={warn(k, value) ? { color: '#cf1322' } : undefined}
    />
  );
  return (
    <Card size="small" hoverable={!!link} data-testid={`figure-${k}`}>
      {link ? <Link to={link}>{stat}</Link> : stat}
      {value === null ? <Typography.Text type="secondary">{t.notInstalled}</Typography.Text> : null}
    </Card>
  );
}

export default function DashboardPage() {
  const [sp] = useSearchParams();
  const navigate = useNavigate();
  const unitId = sp.get('unitId') ?? undefined;
  const q = useDashboard(unitId);
  const canLedger = useCan('ledger.export');
  const d = q.data;

  // figures some installed module measures (others stay hidden from the table and charts)
  const shown = useMemo(() => dashboardFigureKeys.filter((k) => d && d.figures[k] !== null), [d]);
  const barKey: DashboardFigureKey = shown.includes('complianceRate') ? 'complianceRate' : 'overdueTasks';

  const columns: ColumnsType<ChildRow> = [
    {
      title: t.unit,
      dataIndex: 'name',
      fixed: 'left',
      render: (name: string, r) => <Link to={`/dashboard?unitId=${r.unitId}`}>{name}</Link>,
    },
    ...shown.map((k) => ({
      title: dashboardFigureLabels[k],
      key: k,
      sorter: (a: ChildRow, b: ChildRow) => (a.figures[k] ?? -1) - (b.figures[k] ?? -1),
      render: (_: unknown, r: ChildRow) => {
        const v = r.figures[k];
        const text = v === null ? t.noData : isPercent(k) ? `${v}${t.percent}` : v;
        const link = v === null ? null : recordsLink(k, r.unitId);
        const content = warn(k, v) ? <Typography.Text type="danger">{text}</Typography.Text> : text;
        return link ? <Link to={link}>{content}</Link> : content;
      },
    })),
  ];

  const barOption = useMemo(
    () =>
      d && {
        tooltip: { trigger: 'axis' },
        grid: { left: 40, right: 16, top: 24, bottom: 72 },
        xAxis: { type: 'category', data: d.children.map((c) => c.name), axisLabel: { rotate: 40, interval: 0 } },
        yAxis: { type: 'value', max: isPercent(barKey) ? 100 : undefined },
        series: [
          {
            type: 'bar',
            name: dashboardFigureLabels[barKey],
            data: d.children.map((c) => c.figures[barKey] ?? 0),
            itemStyle: { color: barKey === 'complianceRate' ? '#389e0d' : '#cf1322' },
          },
        ],
      },
    [d, barKey],
  );
  const trendOption = useMemo(
    () =>
      d && {
        tooltip: { trigger: 'axis' },
        legend: { top: 0, data: [t.trendDone, t.trendMeetings] },
        grid: { left: 40, right: 16, top: 36, bottom: 32 },
        xAxis: { type: 'category', data: d.trend.months },
        yAxis: { type: 'value', minInterval: 1 },
        series: [
          { type: 'line', name: t.trendDone, data: d.trend.tasksDone, smooth: true },
          { type: 'line', name: t.trendMeetings, data: d.trend.meetingsHeld, smooth: true },
        ],
      },
    [d],
  );

  return (
    <PageContainer title={t.title}>
      {q.isError ? <Alert type="error" showIcon message={t.loadFailed} description={errorText(q.error)} /> : null}
      {q.isLoading ? <Spin /> : null}
      {d ? (
        <div data-testid="dashboard">
          <Breadcrumb
            style={{ marginBottom: 12 }}
            items={d.trail.map((u, i) => ({
              title: i === d.trail.length - 1 ? u.name : <Link to={`/dashboard?unitId=${u.id}`}>{u.name}</Link>,
            }))}
          />
          <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 8 }} wrap>
            <Typography.Title level={5} style={{ margin: 0 }} data-testid="dashboard-unit">
              {t.figuresTitle(d.unit.name, d.subtree)}
            </Typography.Title>
            {canLedger ? (
              <Link to={`/ledger?unitId=${d.unit.id}`} data-testid="dashboard-ledger">
                <Button icon={<BookOutlined />}>{t.ledger}</Button>
              </Link>
            ) : null}
          </Space>
          {d.figuresAsOf ? (
            <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }} data-testid="dashboard-as-of">
              {t.figuresAsOf(formatDateTime(d.figuresAsOf))}
            </Typography.Paragraph>
          ) : null}
          <Row gutter={[12, 12]} style={{ marginBottom: 12 }}>
            {dashboardFigureKeys.map((k) => (
              <Col key={k} xs={12} sm={8} lg={6} xl={Math.floor(24 / 7) + 1}>
                <FigureCard k={k} value={d.figures[k]} unitId={d.unit.id} />
              </Col>
            ))}
            <Col xs={12} sm={8} lg={6} xl={Math.floor(24 / 7) + 1}>
              <Card size="small" hoverable={!!d.assessment} data-testid="figure-assessment">
                {d.assessment ? (
                  <Link to={`/assessment/${d.assessment.cycleId}`}>
                    <Statistic title={t.assessment(d.assessment.year)} value={d.assessment.total} />
                    <Typography.Text type="secondary">{t.rank(d.assessment.rank, d.assessment.of)}</Typography.Text>
                  </Link>
                ) : (
                  <>
                    <Statistic title={t.assessmentNone} value={t.noData} />
                    <Typography.Text type="secondary">{t.assessmentNoneHint}</Typography.Text>
                  </>
                )}
              </Card>
            </Col>
          </Row>
          <Row gutter={[12, 12]} style={{ marginBottom: 12 }}>
            {d.subtree && d.children.length > 0 && barOption ? (
              <Col xs={24} lg={12}>
                <Card size="small" title={t.byChildTitle(dashboardFigureLabels[barKey])}>
                  <EChart option={barOption} testId="chart-children" />
                </Card>
              </Col>
            ) : null}
            {trendOption ? (
              <Col xs={24} lg={d.subtree && d.children.length > 0 ? 12 : 24}>
                <Card size="small" title={t.trendTitle}>
                  <EChart option={trendOption} testId="chart-trend" />
                </Card>
              </Col>
            ) : null}
          </Row>
          <Row gutter={[12, 12]}>
            {d.subtree ? (
              <Col xs={24} xl={16}>
                <Card size="small" title={t.childrenTitle}>
                  <Table<ChildRow>
                    size="small"
                    rowKey="unitId"
                    columns={columns}
                    dataSource={d.children}
                    pagination={false}
                    scroll={{ x: 'max-content' }}
                    locale={{ emptyText: <Empty description={t.childrenEmpty} /> }}
                    onRow={(r) => ({ onDoubleClick: () => navigate(`/dashboard?unitId=${r.unitId}`) })}
                    data-testid="dashboard-children"
                  />
                </Card>
              </Col>
            ) : null}
            <Col xs={24} xl={d.subtree ? 8 : 24}>
              <Card size="small" title={t.todoTitle}>
                <List
                  size="small"
                  dataSource={d.todo}
                  locale={{ emptyText: t.todoEmpty }}
                  data-testid="dashboard-todo"
                  renderItem={(item) => (
                    <List.Item>
                      <List.Item.Meta
                        title={<Link to={item.link}>{item.title}</Link>}
                        description={
                          <>
                            <Tag>{item.kindLabel}</Tag>
                            {item.unitName}
                            {item.due ? ` · ${t.due} ${formatDateTimeShort(item.due)}` : ''}
                            {item.overdue ? (
                              <Tag color="red" style={{ marginLeft: 8 }}>
                                {t.overdue}
                              </Tag>
                            ) : null}
                          </>
                        }
                      />
                    </List.Item>
                  )}
                />
              </Card>
            </Col>
          </Row>
        </div>
      ) : null}
    </PageContainer>
  );
}
