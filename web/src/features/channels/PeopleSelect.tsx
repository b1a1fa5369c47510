import { Select } from 'antd';
import { useMemo, useState } from 'react';
import { usePeopleSearch } from './api';
import { channelStrings } from './strings';

/** A person picker over /api/people (the people the caller may see), searchable by name. */
export function PeopleSelect({
  value,
  onChange,
  multiple,
  known = [],
  testId,
}: {
  value?: string | string[] | null;
  onChange?: (v: string | string[] | null) => void;
  multiple?: boolean;
  /** people already chosen (id → name), so their names show before any search */
  known?: { personId: string; displayName: string }[];
  testId?: string;
}) {
  const [q, setQ] = useState('');
  const { data, isFetching } = usePeopleSearch(q);
  const options = useMemo(() => {
    const map = new Map<string, string>();
    for (const k of known) map.set(k.personId, k.displayName);
    for (const p of data?.items ?? []) {
      const post = p.posts[0];
      map.set(p.id, post ? `${p.displayName}（${post.unitName}）` : p.displayName);
    }
    return [...map].map(([value, label]) => ({ value, label }));
  }, [data, known]);
  return (
    <Select
      mode={multiple ? 'multiple' : undefined}
      allowClear
      showSearch
      filterOption={false}
      onSearch={setQ}
      loading={isFetching}
      placeholder={channelStrings.channels.form.peoplePlaceholder}
      options={options}
      value={value ?? undefined}
      onChange={(v) => onChange?.(v ?? null)}
      data-testid={testId}
    />
  );
}
