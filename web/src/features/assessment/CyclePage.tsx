import { ArrowLeftOutlined, CalculatorOutlined, DownloadOutlined, SendOutlined } from '@ant-design/icons';
import {
  type AssessmentCycleDetail,
  type AssessmentIndicator,
  type AssessmentScore,
  assessmentCycleStateLabels,
  autoSourceLabels,
  indicatorMethodLabels,
} from '@dutyledger/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Descriptions,
  Divider,
  Drawer,
  Empty,
  Form,
  Input,
  InputNumber,
  Popconfirm,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { api } from '../../lib/api';
import { formatDateTime } from '../../lib/format';
import { applyServerErrors } from '../../lib/forms';
import { useDrawerWidth } from '../../lib/hooks';
import { showError, toastSuccess } from '../../lib/notify';
import { PageContainer } from '../../lib/ui';
import { assessmentKey, getCycle } from './api';
import { assessmentStrings } from './strings';

const t = assessmentStrings;
type UnitResult = AssessmentCycleDetail['units'][number];

/** Per-indicator comparison: the mean over the units that have a score. */
function average(values: (number | null)[]): string {
  const xs = values.filter((v): v is number => v !== null);
  return xs.length ? (Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 100) / 100).toString() : t.detail.empty;
}

function CellDrawer({
  cycle,
  unit,
  indicator,
  onClose,
}: {
  cycle: AssessmentCycleDetail;
  unit: UnitResult;
  indicator: AssessmentIndicator;
  onClose: () => void;
}) {
  const width = useDrawerWidth(560);
  const qc = useQueryClient();
  const [selfForm] = Form.useForm<{ note: string; evidence?: string }>();
  const [scoreForm] = Form.useForm<{ score?: number; occurrences?: number; comment?: string }>();
  const s: AssessmentScore | undefined = unit.scores.find((x) => x.indicatorId === indicator.id);
  const base = `/api/assessment/cycles/${cycle.id}/units/${unit.unitId}/indicators/${indicator.id}`;
  const done = async (msg: string, data: AssessmentCycleDetail) => {
    toastSuccess(msg);
    qc.setQueryData([...assessmentKey, 'cycle', cycle.id], data);
    await qc.invalidateQueries({ queryKey: assessmentKey });
    onClose();
  };
  const self = useMutation({
    mutationFn: (v: { note: string; evidence?: string }) =>
      api.post<AssessmentCycleDetail>(`${base}/self`, { note: v.note, evidence: v.evidence ?? '' }),
    onSuccess: (d) => done(t.cell.selfSaved, d),
    onError: (e) => applyServerErrors(selfForm, e),
  });
  const score = useMutation({
    mutationFn: (v: { score?: number; occurrences?: number; comment?: string }) =>
      api.post<AssessmentCycleDetail>(`${base}/score`, { ...v, comment: v.comment ?? '' }),
    onSuccess: (d) => done(t.cell.scoreSaved, d),
    onError: (e) => applyServerErrors(scoreForm, e),
  });
  const canSelf = indicator.method !== 'auto' && cycle.selfAssessUnitIds.includes(unit.unitId);
  const canScore = indicator.method !== 'auto' && cycle.canScore;
  return (
    <Drawer
      title={`${unit.unitName} · ${indicator.name}`}
      width={width}
      open
      onClose={onClose}
      destroyOnHidden
      data-testid="assessment-cell-drawer"
    >
      <Descriptions column={1} size="small" bordered>
        <Descriptions.Item label={t.cell.method}>
          {indicator.method ? indicatorMethodLabels[indicator.method] : ''}
          {indicator.autoSource ? `：${autoSourceLabels[indicator.autoSource]}` : ''}
          {indicator.method === 'deduction' && indicator.perOccurrence !== null
            ? `（${t.cell.perOccurrence(indicator.perOccurrence)}）`
            : ''}
        </Descriptions.Item>
        <Descriptions.Item label={t.cell.points}>{t.detail.points(indicator.points)}</Descriptions.Item>
        <Descriptions.Item label={t.cell.score}>
          <span data-testid="assessment-cell-score">{s?.score ?? t.detail.empty}</span>
        </Descriptions.Item>
        {s?.comment ? <Descriptions.Item label={t.cell.comment}>{s.comment}</Descriptions.Item> : null}
        {s?.scoredAt ? <Descriptions.Item label={t.cell.scoredAt}>{formatDateTime(s.scoredAt)}</Descriptions.Item> : null}
      </Descriptions>
      {indicator.method === 'auto' ? (
        <>
          <Divider orientation="left">{t.cell.evidence}</Divider>
          {s?.evidence ? (
            <div data-testid="assessment-evidence">
              <Typography.Paragraph>{s.evidence.summary}</Typography.Paragraph>
              {s.evidence.link ? <Link to={s.evidence.link}>{t.cell.records}</Link> : null}
            </div>
          ) : (
            <Empty description={t.cell.noEvidence} />
          )}
        </>
      ) : (
        <>
          <Divider orientation="left">{t.cell.self}</Divider>
          {canSelf ? (
            <Form
              form={selfForm}
              layout="vertical"
              initialValues={{ note: s?.selfNote ?? '', evidence: s?.selfEvidence ?? '' }}
              onFinish={(v) => self.mutate(v)}
            >
              <Form.Item
                name="note"
                label={t.cell.selfNote}
                rules={[{ required: true, whitespace: true, message: t.cell.selfNoteRequired }]}
              >
                <Input.TextArea rows={3} maxLength={2000} data-testid="assessment-self-note" />
              </Form.Item>
              <Form.Item name="evidence" label={t.cell.selfEvidence}>
                <Input.TextArea rows={2} maxLength={2000} />
              </Form.Item>
              <Button type="primary" htmlType="submit" loading={self.isPending} data-testid="assessment-self-save">
                {t.cell.selfSave}
              </Button>
            </Form>
          ) : s?.selfNote ? (
            <Descriptions column={1} size="small">
              <Descriptions.Item label={t.cell.selfNote}>{s.selfNote}</Descriptions.Item>
              <Descriptions.Item label={t.cell.selfEvidence}>{s.selfEvidence || t.detail.empty}</Descriptions.Item>
            </Descriptions>
          ) : (
            <Typography.Text type="secondary">{t.cell.noSelf}</Typography.Text>
          )}
          {canScore ? (
            <>
              <Divider orientation="left">{t.cell.scoring}</Divider>
              <Form
                form={scoreForm}
                layout="vertical"
                initialValues={{ score: s?.score ?? undefined, occurrences: s?.occurrences ?? undefined, comment: s?.comment ?? '' }}
                onFinish={(v) => score.mutate(v)}
              >
                {indicator.method === 'deduction' ? (
                  <Form.Item
                    name="occurrences"
                    label={t.cell.occurrences}
                    rules={[{ required: true, message: t.cell.occurrencesRequired }]}
                  >
                    <InputNumber min={0} precision={0} style={{ width: '100%' }} data-testid="assessment-occurrences" />
                  </Form.Item>
                ) : (
                  <Form.Item
                    name="score"
                    label={`${t.cell.scoreValue}（0–${indicator.points}）`}
                    rules={[{ required: true, message: t.cell.scoreRequired }]}
                  >
                    <InputNumber min={0} max={indicator.points} step={0.5} style={{ width: '100%' }} data-testid="assessment-score-input" />
                  </Form.Item>
                )}
                <Form.Item name="comment" label={t.cell.comment}>
                  <Input.TextArea rows={2} maxLength={2000} />
                </Form.Item>
                <Button type="primary" htmlType="submit" loading={score.isPending} data-testid="assessment-score-save">
                  {t.cell.scoreSave}
                </Button>
              </Form>
            </>
          ) : null}
        </>
      )}
    </Drawer>
  );
}

export default function CyclePage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [cell, setCell] = useState<{ unitId: string; indicatorId: string } | null>(null);
  const query = useQuery({ queryKey: [...assessmentKey, 'cycle', id], queryFn: () => getCycle(id), enabled: !!id });
  const act = useMutation({
    mutationFn: (what: 'compute' | 'publish') => api.post<AssessmentCycleDetail>(`/api/assessment/cycles/${id}/${what}`),
    onSuccess: async (d, what) => {
      toastSuccess(what === 'compute' ? t.detail.computed : t.detail.published);
      qc.setQueryData([...assessmentKey, 'cycle', id], d);
      await qc.invalidateQueries({ queryKey: [...assessmentKey, 'list'] });
    },
    onError: (e) => showError(e),
  });
  const c = query.data;
  const leaves = (c?.indicators ?? []).filter((i) => i.method !== null);
  const top = (i: AssessmentIndicator): string => {
    let cur: AssessmentIndicator | undefined = i;
    while (cur?.parentId) cur = c?.indicators.find((x) => x.id === cur?.parentId);
    return cur?.name ?? '';
  };
  const groups = [...new Set(leaves.map(top))];
  const openUnit = c?.units.find((u) => u.unitId === cell?.unitId);
  const openInd = leaves.find((i) => i.id === cell?.indicatorId);
  return (
    <PageContainer
      title={c ? `${c.name}` : t.title}
      extra={
        <Space wrap>
          <Button icon={<ArrowLeftOutlined />} onClick={() => navigate('/assessment')}>
            {t.detail.back}
          </Button>
          {c?.canManage ? (
            <Button
              icon={<CalculatorOutlined />}
              loading={act.isPending && act.variables === 'compute'}
              onClick={() => act.mutate('compute')}
              data-testid="assessment-compute"
            >
              {t.detail.compute}
            </Button>
          ) : null}
          {c?.canManage ? (
            <Popconfirm title={t.detail.publishConfirm} onConfirm={() => act.mutate('publish')}>
              <Button type="primary" icon={<SendOutlined />} data-testid="assessment-publish">
                {t.detail.publish}
              </Button>
            </Popconfirm>
          ) : null}
          <Button icon={<DownloadOutlined />} href={`/api/assessment/cycles/${id}/export`} data-testid="assessment-export">
            {t.detail.export}
          </Button>
        </Space>
      }
    >
      {query.isError ? <Alert type="error" showIcon message={String((query.error as Error).message)} /> : null}
      {c ? (
        <Card size="small">
          <Space wrap style={{ marginBottom: 12 }}>
            <Tag color={c.state === 'published' ? 'green' : 'blue'}>{assessmentCycleStateLabels[c.state]}</Tag>
            <span>{c.frameworkName}</span>
            <span>{c.computedAt ? `${t.detail.computedAt} ${formatDateTime(c.computedAt)}` : t.detail.notComputed}</span>
          </Space>
          {c.state === 'open' && !c.canManage && !c.canScore ? (
            <Alert type="info" showIcon message={t.detail.hiddenUntilPublished} style={{ marginBottom: 12 }} />
          ) : null}
          <Table<UnitResult>
            rowKey="unitId"
            size="small"
            pagination={false}
            scroll={{ x: 'max-content' }}
            dataSource={c.units}
            locale={{ emptyText: t.detail.noUnits }}
            data-testid="assessment-table"
            summary={(rows) =>
              rows.length > 1 ? (
                <Table.Summary.Row>
                  <Table.Summary.Cell index={0} colSpan={2}>
                    {t.detail.average}
                  </Table.Summary.Cell>
                  <Table.Summary.Cell index={2}>{average(rows.map((u) => (u.rank ? u.total : null)))}</Table.Summary.Cell>
                  {leaves.map((ind, i) => (
                    <Table.Summary.Cell key={ind.id} index={3 + i}>
                      {average(rows.map((u) => u.scores.find((x) => x.indicatorId === ind.id)?.score ?? null))}
                    </Table.Summary.Cell>
                  ))}
                </Table.Summary.Row>
              ) : null
            }
            columns={[
              { title: t.detail.rank, dataIndex: 'rank', fixed: 'left', width: 60, render: (r: number) => r || t.detail.empty },
              { title: t.detail.unit, dataIndex: 'unitName', fixed: 'left' },
              {
                title: t.detail.totalScore,
                dataIndex: 'total',
                render: (v: number, u) => <strong data-testid={`assessment-total-${u.unitId}`}>{u.rank ? v : t.detail.empty}</strong>,
              },
              ...groups.map((g) => ({
                title: g,
                children: leaves
                  .filter((i) => top(i) === g)
                  .map((ind) => ({
                    key: ind.id,
                    title: (
                      <span title={ind.name} style={{ whiteSpace: 'normal', display: 'inline-block', maxWidth: 140 }}>
                        {ind.name}（{ind.points}）
                        {ind.method === 'auto' ? <Tag style={{ marginLeft: 4 }}>{indicatorMethodLabels.auto}</Tag> : null}
                      </span>
                    ),
                    render: (_: unknown, u: UnitResult) => {
                      const s = u.scores.find((x) => x.indicatorId === ind.id);
                      return (
                        <Button
                          type="link"
                          size="small"
                          onClick={() => setCell({ unitId: u.unitId, indicatorId: ind.id })}
                          data-testid={`assessment-cell-${u.unitId}-${ind.id}`}
                        >
                          {s?.score ?? (s?.selfNote ? t.cell.self : t.detail.empty)}
                        </Button>
                      );
                    },
                  })),
              })),
            ]}
          />
        </Card>
      ) : null}
      {c && openUnit && openInd ? <CellDrawer cycle={c} unit={openUnit} indicator={openInd} onClose={() => setCell(null)} /> : null}
    </PageContainer>
  );
}
