import { randomInt } from 'node:crypto';
import { newPassword } from '@dutyledger/contracts';
import { hash, verify } from '@node-rs/argon2';
import { invalid } from '../errors.js';

// argon2id (the library's default algorithm) with OWASP-recommended cost
const options = { memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, options);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** A hash to verify against when the username is unknown, so that timing does not tell which usernames exist. */
let dummyHash: Promise<string> | undefined;
export function dummyVerify(password: string): Promise<boolean> {
  dummyHash ??= hashPassword('dummy-Password-1');
  return dummyHash.then((h) => verifyPassword(h, password));
}

/** Throws a 400 with the policy's Chinese message when `password` does not satisfy it. */
export function assertPasswordPolicy(password: string, field = 'newPassword'): void {
  const result = newPassword.safeParse(password);
  if (!result.success) throw invalid({ [field]: result.error.issues[0]?.message ?? '密码不符合要求' });
}

/** A temporary password that satisfies the policy (given to a person whose account was created or reset). */
export function temporaryPassword(): string {
  const sets = ['ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnopqrstuvwxyz', '23456789', '#%+=?@'];
  const chars = sets.map((s) => s[randomInt(s.length)]);
  const all = sets.join('');
  while (chars.length < 12) chars.push(all[randomInt(all.length)]);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j], chars[i]];
  }
  return chars.join('');
}
