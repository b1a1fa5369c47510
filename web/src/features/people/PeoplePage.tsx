import { DownOutlined, PlusOutlined } from '@ant-design/icons';
import { type RoleKey, roleKeys, roles } from '@dutyledger/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Dropdown, Input, type MenuProps, Select, Space, Tag, Tooltip, TreeSelect } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo, useState } from 'react';
import { api, buildQuery } from '../../lib/api';
import { formatDateTimeShort, isFuture } from '../../lib/format';
import { useIsMobile } from '../../lib/hooks';
import { PagedTable, SearchCard, useListParams } from '../../lib/list';
import { showError, toastSuccess } from '../../lib/notify';
import { useCan, useCurrentMe } from '../../lib/session';
import type { Person, TemporaryPasswordResult } from '../../lib/types';
import { PageContainer, RoleTags } from '../../lib/ui';
import { unitTreeSelectData } from '../../lib/units';
import { useUnits } from '../org/api';
import { type PeopleFilter, peopleKey, usePeople } from './api';
import { PersonCreateDrawer } from './PersonCreateDrawer';
import { PersonEditModal } from './PersonEditModal';
import { PostsDrawer } from './PostsDrawer';
import { peopleStrings as t } from './strings';
import { TempPasswordModal } from './TempPasswordModal';

function readFilter(sp: URLSearchParams): PeopleFilter {
  const role = sp.get('role');
  const active = sp.get('active');
  return {
    q: sp.get('q') || undefined,
    unitId: sp.get('unitId') || undefined,
    role: role && (roleKeys as readonly string[]).includes(role) ? (role as RoleKey) : undefined,
    active: active === 'true' || active === 'false' ? active : undefined,
  };
}

function StatusTags({ p }: { p: Person }) {
  const locked = isFuture(p.lockedUntil);
  return (
    <Space size={4} wrap>
      {p.active ? <Tag color="green">{t.status.active}</Tag> : <Tag>{t.status.inactive}</Tag>}
      {locked ? (
        <Tooltip title={t.status.lockedUntil(formatDateTimeShort(p.lockedUntil))}>
          <Tag color="red">{t.status.locked}</Tag>
        </Tooltip>
      ) : null}
      {p.mustChangePassword ? <Tag color="orange">{t.status.mustChange}</Tag> : null}
    </Space>
  );
}

type ActionKey = 'edit' | 'posts' | 'reset' | 'deactivate' | 'activate' | 'unlock';

export default function PeoplePage() {
  const me = useCurrentMe();
  const mobile = useIsMobile();
  const list = useListParams(readFilter);
  const { filter, page, pageSize } = list;
  const qc = useQueryClient();
  const { modal } = App.useApp();

  const canManage = useCan('person.manage');
  const canPosts = useCan('post.manage');
  const canUnlock = useCan('person.unlock');

  const peopleQuery = usePeople(filter, page, pageSize);
  const { data } = peopleQuery;
  const { data: units } = useUnits(false);
  const unitTree = useMemo(() => unitTreeSelectData(units ?? []), [units]);

  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<Person | null>(null);
  const [postsOf, setPostsOf] = useState<Person | null>(null);
  const [temp, setTemp] = useState<{ result: TemporaryPasswordResult; kind: 'created' | 'reset' } | null>(null);
  // the drawer shows the fresh copy of the person after each change
  const postsPerson = postsOf ? (data?.items.find((p) => p.id === postsOf.id) ?? postsOf) : null;

  const action = useMutation({
    mutationFn: async ({ key, person }: { key: ActionKey; person: Person }) => {
      const base = `/api/people/${person.id}`;
      if (key === 'reset') return api.post<TemporaryPasswordResult>(`${base}/reset-password`);
      if (key === 'deactivate' || key === 'activate' || key === 'unlock') return api.post<unknown>(`${base}/${key}`);
      return null;
    },
    onSuccess: async (res, { key }) => {
      if (key === 'reset' && res) setTemp({ result: res as TemporaryPasswordResult, kind: 'reset' });
      if (key === 'deactivate') toastSuccess(t.actions.deactivated);
      if (key === 'activate') toastSuccess(t.actions.activated);
      if (key === 'unlock') toastSuccess(t.actions.unlocked);
      await qc.invalidateQueries({ queryKey: peopleKey });
    },
    onError: (e) => showError(e),
  });

  const confirmAction = (key: ActionKey, person: Person) => {
    const texts: Partial<Record<ActionKey, { title: string; content?: string; danger?: boolean }>> = {
      reset: { title: t.actions.resetConfirm, content: t.actions.resetHint, danger: true },
      deactivate: { title: t.actions.deactivateConfirm, danger: true },
      activate: { title: t.actions.activateConfirm },
      unlock: { title: t.actions.unlockConfirm },
    };
    const text = texts[key];
    if (!text) return;
    modal.confirm({
      title: text.title,
      content: text.content
        ? `${person.displayName}（${person.username}）：${text.content}`
        : `${person.displayName}（${person.username}）`,
      okButtonProps: { danger: text.danger },
      onOk: () => action.mutateAsync({ key, person }).catch(() => undefined),
    });
  };

  const runAction = (key: ActionKey, person: Person) => {
    if (key === 'edit') setEditing(person);
    else if (key === 'posts') setPostsOf(person);
    else confirmAction(key, person);
  };

  const actionsFor = (p: Person): { key: ActionKey; label: string; danger?: boolean }[] => {
    const list: { key: ActionKey; label: string; danger?: boolean }[] = [];
    if (canManage) list.push({ key: 'edit', label: t.actions.edit });
    if (canPosts) list.push({ key: 'posts', label: t.actions.posts });
    if (canManage) list.push({ key: 'reset', label: t.actions.resetPassword });
    if (canUnlock && isFuture(p.lockedUntil)) list.push({ key: 'unlock', label: t.actions.unlock });
    if (canManage && p.id !== me.id)
      list.push(
        p.active ? { key: 'deactivate', label: t.actions.deactivate, danger: true } : { key: 'activate', label: t.actions.activate },
      );
    return list;
  };
  const hasActions = canManage || canPosts || canUnlock;

  const columns: ColumnsType<Person> = [
    { title: t.columns.displayName, dataIndex: 'displayName', width: 110, fixed: mobile ? undefined : 'left' },
    { title: t.columns.username, dataIndex: 'username', width: 130 },
    {
      title: t.columns.posts,
      key: 'posts',
      render: (_, p) =>
        p.posts.length ? (
          <Space direction="vertical" size={2}>
            {p.posts.map((post) => (
              <span key={post.id}>
                {post.unitName} · {post.title} <RoleTags roles={post.roles} />
              </span>
            ))}
          </Space>
        ) : (
          <span style={{ color: '#999' }}>{t.noPost}</span>
        ),
    },
    { title: t.columns.phone, dataIndex: 'phone', width: 130, render: (v: string | null) => v || '—' },
    { title: t.columns.status, key: 'status', width: 150, render: (_, p) => <StatusTags p={p} /> },
  ];
  if (hasActions)
    columns.push({
      title: t.columns.actions,
      key: 'actions',
      width: 220,
      fixed: mobile ? undefined : 'right',
      render: (_, p) => {
        const list = actionsFor(p);
        const shown = list.slice(0, 2);
        const rest = list.slice(2);
        const menu: MenuProps = {
          items: rest.map((a) => ({ key: a.key, label: a.label, danger: a.danger })),
          onClick: ({ key }) => runAction(key as ActionKey, p),
        };
        return (
          <Space size={0} wrap>
            {shown.map((a) => (
              <Button
                key={a.key}
                type="link"
                size="small"
                danger={a.danger}
                onClick={() => runAction(a.key, p)}
                data-testid={`person-${a.key}`}
              >
                {a.label}
              </Button>
            ))}
            {rest.length ? (
              <Dropdown menu={menu} trigger={['click']}>
                <Button type="link" size="small" data-testid="person-more">
                  {t.actions.more} <DownOutlined />
                </Button>
              </Dropdown>
            ) : null}
          </Space>
        );
      },
    });

  return (
    <PageContainer
      title={t.title}
      extra={
        canManage ? (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="person-create">
            {t.create}
          </Button>
        ) : null
      }
    >
      <SearchCard<PeopleFilter>
        initialValues={filter}
        onSearch={list.applyFilter}
        submitTestId="people-search"
        exportHref={`/api/people/export${buildQuery({ ...filter })}`}
        fields={[
          {
            name: 'q',
            label: t.search.q,
            col: { xs: 24, sm: 12, lg: 6 },
            children: <Input allowClear placeholder={t.search.qPlaceholder} maxLength={100} data-testid="people-q" />,
          },
          {
            name: 'unitId',
            label: t.search.unit,
            col: { xs: 24, sm: 12, lg: 6 },
            children: (
              <TreeSelect
                allowClear
                showSearch
                treeNodeFilterProp="title"
                treeData={unitTree}
                treeDefaultExpandAll
                listHeight={320}
                placeholder={t.search.unitPlaceholder}
              />
            ),
          },
          {
            name: 'role',
            label: t.search.role,
            col: { xs: 12, sm: 12, lg: 4 },
            children: (
              <Select
                allowClear
                placeholder={t.search.rolePlaceholder}
                options={roleKeys.map((k) => ({ value: k, label: roles[k].label }))}
              />
            ),
          },
          {
            name: 'active',
            label: t.search.active,
            col: { xs: 12, sm: 12, lg: 4 },
            children: (
              <Select
                allowClear
                placeholder={t.search.activePlaceholder}
                options={[
                  { value: 'true', label: t.search.activeTrue },
                  { value: 'false', label: t.search.activeFalse },
                ]}
              />
            ),
          },
        ]}
        actionsCol={{ xs: 24, lg: 4 }}
      />
      <PagedTable<Person> query={peopleQuery} params={list} rowKey="id" columns={columns} emptyText={t.empty} totalText={t.total} />
      <PersonCreateDrawer
        open={creating}
        units={units ?? []}
        defaultUnitId={filter.unitId}
        onClose={() => setCreating(false)}
        onCreated={(result) => setTemp({ result, kind: 'created' })}
      />
      <PersonEditModal person={editing} onClose={() => setEditing(null)} />
      <PostsDrawer person={postsPerson} units={units ?? []} onClose={() => setPostsOf(null)} />
      <TempPasswordModal result={temp?.result ?? null} kind={temp?.kind ?? 'created'} onClose={() => setTemp(null)} />
    </PageContainer>
  );
}
