import { DEMO_PASSWORD, type DemoLogin } from '../seed/demo.js';
import { formatTable } from './common.js';

/** The demo accounts as a table for the terminal. */
export function formatDemoLogins(logins: DemoLogin[]): string {
  return [
    `演示账号 Demo logins (密码 password: ${DEMO_PASSWORD})`,
    formatTable(
      ['用户名 username', '姓名 name', '角色 role', '单位 unit', '说明 note'],
      logins.map((l) => [l.username, l.displayName, l.role, l.unit, l.note]),
    ),
  ].join('\n');
}
