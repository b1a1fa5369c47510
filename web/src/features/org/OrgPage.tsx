import { ApartmentOutlined, CheckCircleOutlined, DragOutlined, EditOutlined, PlusOutlined, StopOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Breadcrumb,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Flex,
  Input,
  Popconfirm,
  Row,
  Skeleton,
  Space,
  Switch,
  Table,
  Tag,
  Tree,
  Typography,
} from 'antd';
import type { DataNode } from 'antd/es/tree';
import { type Key, type ReactNode, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { api } from '../../lib/api';
import { isFuture } from '../../lib/format';
import { useIsMobile } from '../../lib/hooks';
import { errorText, showError, toastSuccess } from '../../lib/notify';
import { useCan } from '../../lib/session';
import type { Person, Unit } from '../../lib/types';
import { PageContainer, RoleTags } from '../../lib/ui';
import { buildUnitForest, type UnitNode } from '../../lib/units';
import { unitsKey, useUnit, useUnitPeople, useUnits } from './api';
import { MoveUnitModal } from './MoveUnitModal';
import { orgStrings as t } from './strings';
import { UnitFormDrawer, type UnitFormMode } from './UnitFormDrawer';

function highlight(name: string, q: string): ReactNode {
  if (!q) return name;
  const i = name.toLowerCase().indexOf(q.toLowerCase());
  if (i < 0) return name;
  return (
    <>
      {name.slice(0, i)}
      <span style={{ color: '#f5222d', fontWeight: 600 }}>{name.slice(i, i + q.length)}</span>
      {name.slice(i + q.length)}
    </>
  );
}

interface TreeModel {
  data: DataNode[];
  /** keys to expand while searching (ancestors of matches) */
  matchExpand: Key[];
  matches: number;
}

function toTree(forest: UnitNode[], q: string): TreeModel {
  const matchExpand: Key[] = [];
  let matches = 0;
  const needle = q.trim().toLowerCase();
  const walk = (nodes: UnitNode[]): DataNode[] => {
    const out: DataNode[] = [];
    for (const n of nodes) {
      const children = walk(n.children);
      const hit = !!needle && n.unit.name.toLowerCase().includes(needle);
      if (hit) matches++;
      if (needle && !hit && children.length === 0) continue;
      if (needle && children.length) matchExpand.push(n.unit.id);
      out.push({
        key: n.unit.id,
        title: (
          <span style={{ color: n.unit.active ? undefined : '#999' }}>
            {highlight(n.unit.name, q.trim())}
            {n.unit.active ? null : (
              <Tag style={{ marginInlineStart: 6 }} bordered={false}>
                {t.inactive}
              </Tag>
            )}
          </span>
        ),
        children: children.length ? children : undefined,
        isLeaf: children.length === 0,
      });
    }
    return out;
  };
  return { data: walk(forest), matchExpand, matches };
}

function PersonStatus({ p }: { p: Person }) {
  if (!p.active) return <Tag>{t.people.statusInactive}</Tag>;
  if (isFuture(p.lockedUntil)) return <Tag color="red">{t.people.statusLocked}</Tag>;
  return <Tag color="green">{t.people.statusActive}</Tag>;
}

function UnitPeople({ unitId }: { unitId: string }) {
  const canRead = useCan('person.read');
  const { data, isPending, isError, error } = useUnitPeople(unitId, canRead);
  if (!canRead) return null;
  return (
    <Card title={t.people.title} size="small" style={{ marginTop: 16 }}>
      {isError ? <Alert type="error" showIcon message={errorText(error)} /> : null}
      <Table<Person>
        rowKey="id"
        size="small"
        loading={isPending}
        dataSource={data?.items ?? []}
        pagination={false}
        scroll={{ x: true }}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t.people.empty} /> }}
        columns={[
          { title: t.people.name, dataIndex: 'displayName', width: 120 },
          { title: t.people.username, dataIndex: 'username', width: 140 },
          {
            title: t.people.post,
            key: 'posts',
            render: (_, p) =>
              p.posts
                .filter((post) => post.unitId === unitId)
                .map((post) => (
                  <div key={post.id}>
                    {post.title} <RoleTags roles={post.roles} />
                  </div>
                )),
          },
          { title: t.people.status, key: 'status', width: 90, render: (_, p) => <PersonStatus p={p} /> },
        ]}
      />
      {data && data.total > data.items.length ? (
        <div style={{ marginTop: 8 }}>
          <Link to={`/people?unitId=${unitId}`}>{t.people.more(data.total)}</Link>
        </div>
      ) : null}
    </Card>
  );
}

function UnitDetailCard({
  unitId,
  onSelect,
  onCreate,
  onEdit,
  onMove,
}: {
  unitId: string;
  onSelect: (id: string) => void;
  onCreate: (u: Unit) => void;
  onEdit: (u: Unit) => void;
  onMove: (u: Unit) => void;
}) {
  const { data: unit, isPending, isError, error } = useUnit(unitId);
  const canManage = useCan('unit.manage');
  const qc = useQueryClient();
  const toggle = useMutation({
    mutationFn: (active: boolean) => api.post<Unit>(`/api/units/${unitId}/${active ? 'activate' : 'deactivate'}`),
    onSuccess: async (_d, active) => {
      toastSuccess(active ? t.actions.activated : t.actions.deactivated);
      await qc.invalidateQueries({ queryKey: unitsKey });
    },
    onError: (e) => showError(e),
  });

  if (isPending)
    return (
      <Card>
        <Skeleton active />
      </Card>
    );
  if (isError || !unit)
    return (
      <Card>
        <Empty description={errorText(error, t.selectHint)} />
      </Card>
    );

  const actions = canManage ? (
    <Space wrap>
      <Button type="primary" icon={<PlusOutlined />} onClick={() => onCreate(unit)} disabled={!unit.active} data-testid="unit-create">
        {t.actions.create}
      </Button>
      <Button icon={<EditOutlined />} onClick={() => onEdit(unit)} data-testid="unit-edit">
        {t.actions.edit}
      </Button>
      <Button icon={<DragOutlined />} onClick={() => onMove(unit)} disabled={!unit.parentId} data-testid="unit-move">
        {t.actions.move}
      </Button>
      {unit.active ? (
        <Popconfirm
          title={t.actions.deactivateConfirm}
          description={t.actions.deactivateHint}
          onConfirm={() => toggle.mutateAsync(false).catch(() => undefined)}
          okButtonProps={{ danger: true }}
        >
          <Button danger icon={<StopOutlined />} loading={toggle.isPending} disabled={!unit.parentId} data-testid="unit-deactivate">
            {t.actions.deactivate}
          </Button>
        </Popconfirm>
      ) : (
        <Popconfirm title={t.actions.activateConfirm} onConfirm={() => toggle.mutateAsync(true).catch(() => undefined)}>
          <Button icon={<CheckCircleOutlined />} loading={toggle.isPending} data-testid="unit-activate">
            {t.actions.activate}
          </Button>
        </Popconfirm>
      )}
    </Space>
  ) : null;

  return (
    <>
      <Card
        title={
          <Space>
            <ApartmentOutlined />
            <span data-testid="unit-detail-name">{unit.name}</span>
            {unit.active ? null : <Tag>{t.inactive}</Tag>}
          </Space>
        }
      >
        {unit.ancestors.length ? (
          <Breadcrumb
            style={{ marginBottom: 12 }}
            items={[
              ...unit.ancestors.map((a) => ({
                key: a.id,
                title: <Typography.Link onClick={() => onSelect(a.id)}>{a.name}</Typography.Link>,
              })),
              { key: unit.id, title: unit.name },
            ]}
          />
        ) : null}
        <Descriptions column={{ xs: 1, sm: 2 }} size="small" bordered>
          <Descriptions.Item label={t.detail.name}>{unit.name}</Descriptions.Item>
          <Descriptions.Item label={t.detail.type}>{unit.type}</Descriptions.Item>
          <Descriptions.Item label={t.detail.status}>
            {unit.active ? <Tag color="green">{t.active}</Tag> : <Tag>{t.inactive}</Tag>}
          </Descriptions.Item>
          <Descriptions.Item label={t.detail.children}>{unit.childCount}</Descriptions.Item>
          <Descriptions.Item label={t.detail.path} span={2}>
            {unit.ancestors.length ? unit.ancestors.map((a) => a.name).join(' / ') : unit.parentId ? '—' : t.detail.top}
          </Descriptions.Item>
        </Descriptions>
        {actions ? <div style={{ marginTop: 16 }}>{actions}</div> : null}
      </Card>
      <UnitPeople unitId={unit.id} />
    </>
  );
}

export default function OrgPage() {
  const mobile = useIsMobile();
  const [params, setParams] = useSearchParams();
  const [showInactive, setShowInactive] = useState(params.get('inactive') === '1');
  const [q, setQ] = useState('');
  const [expanded, setExpanded] = useState<Key[] | null>(null);
  const [formMode, setFormMode] = useState<UnitFormMode | null>(null);
  const [moving, setMoving] = useState<Unit | null>(null);
  const { data: units, isPending, isError, error } = useUnits(showInactive);
  const selectedId = params.get('unit') ?? undefined;

  const forest = useMemo(() => buildUnitForest(units ?? []), [units]);
  const tree = useMemo(() => toTree(forest, q), [forest, q]);

  const detailRef = useRef<HTMLDivElement>(null);
  const select = (id: string) => {
    const next = new URLSearchParams(params);
    next.set('unit', id);
    setParams(next, { replace: false });
    // on phones the detail is below the tree: bring it into view
    if (mobile) requestAnimationFrame(() => detailRef.current?.scrollIntoView({ behavior: 'smooth', block: 'start' }));
  };
  // after a post switch the old selection may be outside the new scope: wait for the list to pick another
  const selectedKnown = !!selectedId && !!units?.some((u) => u.id === selectedId);

  // Default: first root selected, roots and their children expanded.
  useEffect(() => {
    if (!units || !forest.length) return;
    if (!selectedId || !units.some((u) => u.id === selectedId)) {
      const next = new URLSearchParams(params);
      next.set('unit', forest[0].unit.id);
      setParams(next, { replace: true });
    }
  }, [units, forest, selectedId, params, setParams]);

  const defaultExpanded = useMemo<Key[]>(() => forest.map((n) => n.unit.id), [forest]);
  const expandedKeys = q.trim() ? tree.matchExpand : (expanded ?? defaultExpanded);

  const treeCard = (
    <Card size="small" styles={{ body: { padding: 12 } }}>
      <Flex vertical gap={8}>
        <Input.Search allowClear placeholder={t.search} value={q} onChange={(e) => setQ(e.target.value)} data-testid="org-search" />
        <Flex align="center" gap={8}>
          <Switch
            size="small"
            checked={showInactive}
            onChange={(v) => {
              setShowInactive(v);
              const next = new URLSearchParams(params);
              if (v) next.set('inactive', '1');
              else next.delete('inactive');
              setParams(next, { replace: true });
            }}
            data-testid="org-show-inactive"
          />
          <Typography.Text type="secondary">{t.showInactive}</Typography.Text>
        </Flex>
        <div data-testid="org-tree">
          {isPending ? (
            <Skeleton active paragraph={{ rows: 6 }} />
          ) : isError ? (
            <Alert type="error" showIcon message={errorText(error)} />
          ) : tree.data.length === 0 ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={q.trim() ? t.treeNoMatch : t.treeEmpty} />
          ) : (
            <Tree
              blockNode
              showLine={{ showLeafIcon: false }}
              treeData={tree.data}
              height={mobile ? 320 : 640}
              selectedKeys={selectedId ? [selectedId] : []}
              expandedKeys={expandedKeys}
              onExpand={(keys) => setExpanded(keys)}
              onSelect={(keys) => {
                if (keys.length) select(String(keys[0]));
              }}
            />
          )}
        </div>
      </Flex>
    </Card>
  );

  return (
    <PageContainer title={t.title}>
      <Row gutter={[16, 16]}>
        <Col xs={24} md={9} xl={7}>
          {treeCard}
        </Col>
        <Col xs={24} md={15} xl={17} ref={detailRef}>
          {selectedId && selectedKnown ? (
            <UnitDetailCard
              unitId={selectedId}
              onSelect={select}
              onCreate={(u) => setFormMode({ kind: 'create', parent: u })}
              onEdit={(u) => setFormMode({ kind: 'edit', unit: u })}
              onMove={setMoving}
            />
          ) : (
            <Card>{isPending ? <Skeleton active /> : <Empty description={t.selectHint} />}</Card>
          )}
        </Col>
      </Row>
      <UnitFormDrawer
        mode={formMode}
        onClose={() => setFormMode(null)}
        onSaved={(u) => {
          if (formMode?.kind === 'create' && u?.id) {
            setExpanded((prev) => Array.from(new Set([...(prev ?? defaultExpanded), formMode.parent.id])));
            select(u.id);
          }
        }}
      />
      <MoveUnitModal unit={moving} units={units ?? []} onClose={() => setMoving(null)} />
    </PageContainer>
  );
}
