/**
 * Roles and the permission table: the one place that says who may do what.
 * A role marked `subtree` reaches every descendant of its post's scope root; otherwise it acts in the
 * scope root unit only. Never siblings or ancestors.
 */
export const permissions = [
  'unit.read',
  'unit.manage',
  'person.read',
  'person.manage',
  'post.manage',
  'role.grantSystem',
  'person.unlock',
  'audit.read',
  'notification.configure',
  'attachment.read',
  'attachment.write',
  'plan.manage',
  'task.assign',
  'task.read',
  'task.work',
  'meeting.read',
  'meeting.write',
  'meetingKind.manage',
] as const;
export type Permission = (typeof permissions)[number];

export const roleKeys = ['unitAdmin', 'clerk', 'leader', 'assessor', 'inspector', 'sysAdmin', 'secAdmin', 'auditor'] as const;
export type RoleKey = (typeof roleKeys)[number];

export interface RoleDef {
  label: string;
  subtree: boolean;
  /** one of the three separated system roles (三员分立) */
  system: boolean;
  permissions: readonly Permission[];
}

const businessRead: Permission[] = ['unit.read', 'person.read', 'attachment.read', 'task.read', 'meeting.read'];

export const roles: Record<RoleKey, RoleDef> = {
  unitAdmin: {
    label: '单位管理员',
    subtree: true,
    system: false,
    permissions: [
      ...businessRead,
      'unit.manage',
      'person.manage',
      'post.manage',
      'notification.configure',
      'attachment.write',
      'plan.manage',
      'task.assign',
      'task.work',
      'meeting.write',
      'meetingKind.manage',
    ],
  },
  clerk: {
    label: '经办',
    subtree: false,
    system: false,
    permissions: [...businessRead, 'attachment.write', 'task.assign', 'task.work', 'meeting.write'],
  },
  leader: {
    label: '领导',
    subtree: true,
    system: false,
    permissions: [...businessRead, 'attachment.write', 'plan.manage', 'task.assign', 'task.work', 'meeting.write'],
  },
  assessor: { label: '考核', subtree: true, system: false, permissions: [...businessRead, 'attachment.write'] },
  inspector: { label: '巡察/纪检', subtree: true, system: false, permissions: [...businessRead, 'attachment.write'] },
  sysAdmin: {
    label: '系统管理员',
    subtree: true,
    system: true,
    permissions: ['unit.read', 'unit.manage', 'person.read', 'person.manage', 'notification.configure'],
  },
  secAdmin: {
    label: '安全管理员',
    subtree: true,
    system: true,
    permissions: ['unit.read', 'person.read', 'post.manage', 'role.grantSystem', 'person.unlock'],
  },
  auditor: { label: '安全审计员', subtree: true, system: true, permissions: ['audit.read'] },
};

export function roleHas(role: RoleKey, perm: Permission): boolean {
  return roles[role].permissions.includes(perm);
}
