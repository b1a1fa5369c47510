/** Text search helpers for SQL LIKE/ILIKE: user input never acts as a wildcard. */

/** Escapes LIKE's metacharacters (\ % _) in `s`. */
export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** ILIKE pattern "contains `q`". (Short Chinese queries do not use the trigram index; fine at county size.) */
export function containsPattern(q: string): string {
  return `%${escapeLike(q)}%`;
}
