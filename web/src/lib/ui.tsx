import { type RoleKey, roles } from '@dutyledger/contracts';
import { Flex, Tag, Typography } from 'antd';
import type { CSSProperties, ReactNode } from 'react';
import { useIsMobile } from './hooks';

/** Title row + content of a page inside the shell. */
export function PageContainer({ title, extra, children }: { title: ReactNode; extra?: ReactNode; children: ReactNode }) {
  const mobile = useIsMobile();
  return (
    <div>
      <Flex justify="space-between" align="center" wrap gap={8} style={{ marginBottom: mobile ? 8 : 16 }}>
        <Typography.Title level={mobile ? 5 : 4} style={{ margin: 0 }}>
          {title}
        </Typography.Title>
        {extra ? (
          <Flex gap={8} wrap>
            {extra}
          </Flex>
        ) : null}
      </Flex>
      {children}
    </div>
  );
}

const roleColors: Record<RoleKey, string> = {
  unitAdmin: 'blue',
  clerk: 'cyan',
  leader: 'red',
  assessor: 'purple',
  inspector: 'volcano',
  sysAdmin: 'geekblue',
  secAdmin: 'gold',
  auditor: 'magenta',
};

export function roleLabel(key: string): string {
  return (roles as Record<string, { label: string } | undefined>)[key]?.label ?? key;
}

export function RoleTags({ roles: keys, style }: { roles: readonly string[]; style?: CSSProperties }) {
  return (
    <span style={style}>
      {keys.map((k) => (
        <Tag key={k} color={roleColors[k as RoleKey] ?? 'default'} style={{ marginInlineEnd: 4 }}>
          {roleLabel(k)}
        </Tag>
      ))}
    </span>
  );
}
