import { roleKeys, roles } from '@dutyledger/contracts';
import { Form, Input, Select, TreeSelect } from 'antd';
import { useMemo } from 'react';
import { useCan } from '../../lib/session';
import type { Unit } from '../../lib/types';
import { unitTreeSelectData } from '../../lib/units';
import { peopleStrings as t } from './strings';

/** Role options; system roles (三员) only for a post that may grant them. */
export function useRoleOptions() {
  const canGrantSystem = useCan('role.grantSystem');
  return useMemo(
    () =>
      roleKeys.map((k) => ({
        value: k,
        label: roles[k].system ? `${roles[k].label}（系统）` : roles[k].label,
        disabled: roles[k].system && !canGrantSystem,
      })),
    [canGrantSystem],
  );
}

/**
 * The fields of a post (unit, scope root, title, roles). `prefix` nests them (`['post', 'unitId']`) so that the
 * server's dotted field errors (`post.title`) land on them.
 */
export function PostFields({ units, prefix, testIdPrefix }: { units: Unit[]; prefix?: string; testIdPrefix: string }) {
  const name = (field: string) => (prefix ? [prefix, field] : field);
  const roleOptions = useRoleOptions();
  const canGrantSystem = useCan('role.grantSystem');
  const treeData = useMemo(() => unitTreeSelectData(units, (u) => !u.active), [units]);
  const scopeData = useMemo(() => unitTreeSelectData(units, (u) => !u.active), [units]);
  return (
    <>
      <Form.Item name={name('unitId')} label={t.form.unit} rules={[{ required: true, message: t.form.unitRequired }]}>
        <TreeSelect
          data-testid={`${testIdPrefix}-unit`}
          treeData={treeData}
          showSearch
          treeNodeFilterProp="title"
          treeDefaultExpandAll
          listHeight={320}
          placeholder={t.form.unitRequired}
        />
      </Form.Item>
      <Form.Item name={name('scopeRootId')} label={t.form.scopeRoot} extra={t.form.scopeRootHint}>
        <TreeSelect
          data-testid={`${testIdPrefix}-scope`}
          treeData={scopeData}
          showSearch
          allowClear
          treeNodeFilterProp="title"
          treeDefaultExpandAll
          listHeight={320}
          placeholder={t.form.scopeRootPlaceholder}
        />
      </Form.Item>
      <Form.Item
        name={name('title')}
        label={t.form.title}
        rules={[
          { required: true, whitespace: true, message: t.form.titleRequired },
          { max: 50, message: t.form.titleMax },
        ]}
      >
        <Input placeholder={t.form.titlePlaceholder} maxLength={50} data-testid={`${testIdPrefix}-title`} />
      </Form.Item>
      <Form.Item
        name={name('roles')}
        label={t.form.roles}
        extra={canGrantSystem ? undefined : t.form.systemRoleHint}
        rules={[
          { required: true, type: 'array', min: 1, message: t.form.rolesRequired },
          { type: 'array', max: 8, message: t.form.rolesMax },
        ]}
      >
        <Select
          mode="multiple"
          options={roleOptions}
          placeholder={t.form.rolesRequired}
          data-testid={`${testIdPrefix}-roles`}
          optionFilterProp="label"
        />
      </Form.Item>
    </>
  );
}

export interface PostValues {
  unitId: string;
  scopeRootId?: string | null;
  title: string;
  roles: (typeof roleKeys)[number][];
}

export function toPostBody(v: PostValues) {
  return {
    unitId: v.unitId,
    scopeRootId: v.scopeRootId || undefined,
    title: v.title.trim(),
    roles: v.roles,
  };
}
