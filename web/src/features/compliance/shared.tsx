import type { ComplianceCell, ComplianceRule } from '@dutyledger/contracts';
import { Descriptions, Drawer, Empty, List, Space, Tag, Typography } from 'antd';
import { formatDateTimeShort } from '../../lib/format';
import { useDrawerWidth } from '../../lib/hooks';
import { complianceStrings } from './strings';

const t = complianceStrings;

/** 绿 done / 灰 notDue / 红 overdue. */
export const stateColors = { done: 'green', notDue: 'default', overdue: 'red' } as const;

export function CellTag({ cell, onClick, compact }: { cell: ComplianceCell; onClick?: () => void; compact?: boolean }) {
  return (
    <Tag
      color={stateColors[cell.state]}
      style={{ cursor: onClick ? 'pointer' : undefined, marginInlineEnd: 0 }}
      onClick={onClick}
      data-testid={`cell-${cell.state}`}
      title={cell.backfilled ? t.backfilledHint : undefined}
    >
      {compact ? cell.periodLabel.replace(/^\d+年/, '') || cell.periodLabel : t.states[cell.state]} {cell.count}/{cell.minCount}
      {cell.backfilled ? ` · ${t.backfilled}` : ''}
    </Tag>
  );
}

export function ruleCountText(rule: ComplianceRule): string {
  const what = rule.source === 'meeting' ? rule.kindNames.join('、') : t.sources.studyPlan;
  return t.rules.countText(rule.minCount, what, rule.tags);
}

/** The records behind one cell: what counted, when it happened, when it was entered (补录 marked). */
export function CellDrawer({
  cell,
  rule,
  unitName,
  onClose,
}: {
  cell: ComplianceCell | null;
  rule: ComplianceRule | undefined;
  unitName: string | undefined;
  onClose: () => void;
}) {
  const width = useDrawerWidth(560);
  return (
    <Drawer title={t.cell.title} open={!!cell} onClose={onClose} width={width} destroyOnHidden>
      {cell && rule ? (
        <Space direction="vertical" style={{ width: '100%' }} size="middle" data-testid="cell-drawer">
          <Descriptions column={1} size="small" bordered>
            <Descriptions.Item label={t.cell.unit}>{unitName}</Descriptions.Item>
            <Descriptions.Item label={t.cell.rule}>
              {rule.name}
              <div>
                <Typography.Text type="secondary">{ruleCountText(rule)}</Typography.Text>
              </div>
            </Descriptions.Item>
            {rule.basis ? <Descriptions.Item label={t.cell.basis}>{rule.basis}</Descriptions.Item> : null}
            <Descriptions.Item label={t.cell.period}>{cell.periodLabel}</Descriptions.Item>
            <Descriptions.Item label={t.cell.dueAt}>
              {formatDateTimeShort(new Date(new Date(cell.dueAt).getTime() - 60_000).toISOString())}
            </Descriptions.Item>
            <Descriptions.Item label={t.cell.state}>
              <Tag color={stateColors[cell.state]}>{t.states[cell.state]}</Tag>
            </Descriptions.Item>
            <Descriptions.Item label={t.cell.count}>
              {cell.count} / {cell.minCount}
            </Descriptions.Item>
          </Descriptions>
          <Typography.Text strong>{t.cell.records}</Typography.Text>
          {cell.records.length === 0 ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t.cell.noRecords} />
          ) : (
            <List
              size="small"
              bordered
              dataSource={cell.records}
              renderItem={(r) => (
                <List.Item data-testid="cell-record">
                  <List.Item.Meta
                    title={
                      <Space size={4} wrap>
                        <Tag>{t.sources[r.source]}</Tag>
                        {r.title}
                        {r.backfilled ? <Tag color="orange">{t.backfilled}</Tag> : null}
                      </Space>
                    }
                    description={`${t.cell.at}：${formatDateTimeShort(r.at)}　${t.cell.createdAt}：${formatDateTimeShort(r.createdAt)}`}
                  />
                </List.Item>
              )}
            />
          )}
        </Space>
      ) : null}
    </Drawer>
  );
}
