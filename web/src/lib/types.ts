import type { auditEntry, auditVerify, loginLogEntry, notification, Person, Unit } from '@dutyledger/contracts';

/** The output type of a zod schema, without importing zod into the web bundle. */
type Out<T extends { _output: unknown }> = T['_output'];

export type {
  Me,
  Person,
  Post,
  PostSummary,
  RoleKey,
  Unit,
  UnitType,
} from '@dutyledger/contracts';

export type Notification = Out<typeof notification>;
export type AuditEntry = Out<typeof auditEntry>;
export type AuditVerify = Out<typeof auditVerify>;
export type LoginLogEntry = Out<typeof loginLogEntry>;

/** GET /api/units/:id */
export type UnitDetail = Unit & { ancestors: { id: string; name: string }[] };

/** POST /api/people, POST /api/people/:id/reset-password */
export interface TemporaryPasswordResult {
  person: Person;
  temporaryPassword: string;
}
