/**
 * PostgreSQL's text cannot hold U+0000, so a NUL anywhere in a request's path parameters, query or
 * JSON body would reach the database as an error (a 500). The edge refuses it first: the path of
 * the first field (or key) that holds one, for a 400 that names it.
 */
export function fieldWithNul(value: unknown, path = '', depth = 0): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path || 'body' : undefined;
  // Bodies are small (BODY_LIMIT_BYTES); deeper nesting than any route accepts is refused by its validation.
  if (typeof value !== 'object' || value === null || depth > 8) return undefined;
  for (const [key, inner] of Object.entries(value)) {
    const at = path ? `${path}.${key}` : key;
    if (key.includes('\u0000')) return at;
    const found = fieldWithNul(inner, at, depth + 1);
    if (found) return found;
  }
  return undefined;
}
