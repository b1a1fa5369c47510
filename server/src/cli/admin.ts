/** `create-admin`: the first account of a new installation (or another system-role account). */
import { createPersonBody, type RoleKey, roles as roleDefs } from '@dutyledger/contracts';
import { eq, isNull } from 'drizzle-orm';
import type { Config } from '../config.js';
import { hashPassword, temporaryPassword } from '../core/auth/password.js';
import { inTx, systemActor } from '../core/context.js';
import { people, units } from '../core/schema.js';
import { runMigrations } from '../db/client.js';
import { createPersonUnchecked, createRootUnit } from '../modules/org/service.js';
import { CliError, openForCli } from './common.js';

const systemRoles = ['sysAdmin', 'secAdmin', 'auditor'] as const;

export interface CreateAdminInput {
  username: string;
  name: string;
  unitName?: string;
  role?: string;
}

export async function createAdminCommand(config: Config, input: CreateAdminInput): Promise<void> {
  const username = createPersonBody.shape.username.safeParse(input.username);
  if (!username.success) throw new CliError(`--username: ${username.error.issues[0]?.message}`, 2);
  const name = createPersonBody.shape.displayName.safeParse(input.name);
  if (!name.success) throw new CliError(`--name: ${name.error.issues[0]?.message}`, 2);
  const role = (input.role ?? 'sysAdmin') as RoleKey;
  if (!(systemRoles as readonly string[]).includes(role)) throw new CliError(`--role must be one of ${systemRoles.join(', ')}`, 2);
  const unitName = input.unitName?.trim();

  const password = temporaryPassword();
  const passwordHash = await hashPassword(password);
  const database = await openForCli(config);
  try {
    await runMigrations(database);
    const ctx = { db: database.db, actor: systemActor, config };
    const result = await inTx(ctx, async (tx) => {
      const [taken] = await tx.db.select({ id: people.id }).from(people).where(eq(people.username, username.data)).limit(1);
      if (taken) throw new CliError(`用户名 ${username.data} 已存在 (username already exists)`);
      const roots = await tx.db.select({ id: units.id, name: units.name }).from(units).where(isNull(units.parentId));
      let root: { id: string; name: string; created?: boolean };
      if (roots.length === 0) {
        if (!unitName)
          throw new CliError(
            '数据库中还没有单位，请用 --unit-name 指定顶级单位名称，如 "中共某某县委员会" (no unit yet: pass --unit-name)',
            2,
          );
        const created = await createRootUnit(tx, { name: unitName, type: '党委' });
        root = { id: created.id, name: created.name, created: true };
      } else if (unitName) {
        const match = roots.find((r) => r.name === unitName);
        if (!match) throw new CliError(`没有名为 ${unitName} 的顶级单位；现有顶级单位：${roots.map((r) => r.name).join('、')}`);
        root = match;
      } else if (roots.length === 1) {
        root = roots[0]!;
      } else {
        throw new CliError(`有多个顶级单位，请用 --unit-name 指定：${roots.map((r) => r.name).join('、')}`, 2);
      }
      await createPersonUnchecked(tx, {
        username: username.data,
        displayName: name.data,
        passwordHash,
        mustChangePassword: true,
        posts: [{ unitId: root.id, scopeRootId: root.id, title: roleDefs[role].label, roles: [role] }],
      });
      return root;
    });
    if (result.created) console.log(`已创建顶级单位 created root unit: ${result.name}`);
    console.log(
      `已创建账户 created account ${username.data} (${name.data}), ${roleDefs[role].label} ${role} of ${result.name}\n` +
        `临时密码 temporary password: ${password}\n` +
        '首次登录须修改密码 (the password must be changed at first login)',
    );
  } finally {
    await database.close();
  }
}
