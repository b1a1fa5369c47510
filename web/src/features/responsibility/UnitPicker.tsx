import { TreeSelect } from 'antd';
import { useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import { useCurrentMe } from '../../lib/session';
import { unitTreeSelectData } from '../../lib/units';
import { useUnits } from '../org/api';
import { respStrings } from './strings';

/** The unit a page shows: `?unit=` in the URL, else the current post's scope root. */
export function useSelectedUnit(): [string | undefined, (id: string) => void] {
  const me = useCurrentMe();
  const [sp, setSp] = useSearchParams();
  const fallback = me.posts.find((p) => p.id === me.currentPostId)?.scopeRootId;
  const unitId = sp.get('unit') || fallback;
  const set = (id: string) => {
    const next = new URLSearchParams(sp);
    next.set('unit', id);
    next.delete('page');
    setSp(next);
  };
  return [unitId, set];
}

export function UnitPicker({ value, onChange, testId }: { value?: string; onChange: (id: string) => void; testId?: string }) {
  const { data: units, isLoading } = useUnits(false);
  const tree = useMemo(() => unitTreeSelectData(units ?? []), [units]);
  return (
    <TreeSelect
      showSearch
      treeNodeFilterProp="title"
      treeDefaultExpandAll={false}
      treeDefaultExpandedKeys={value ? [value] : undefined}
      loading={isLoading}
      value={value}
      onChange={(v: string) => v && onChange(v)}
      treeData={tree}
      placeholder={respStrings.common.unitPlaceholder}
      style={{ minWidth: 220, maxWidth: '100%' }}
      popupMatchSelectWidth={false}
      data-testid={testId}
    />
  );
}
