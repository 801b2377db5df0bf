import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

/** The parts of an OpenAPI 3.1 document the contract test reads. */
export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
}

interface Operation {
  responses: Record<string, { content?: Record<string, { schema?: object }> }>;
}

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/** Every operation the document names, as "METHOD /path". */
export const operationsOf = (doc: OpenApiDocument): string[] =>
  Object.entries(doc.paths).flatMap(([path, item]) => HTTP_METHODS.filter((m) => item[m]).map((m) => `${m.toUpperCase()} ${path}`));

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats.default(ajv);
const compiled = new Map<string, ValidateFunction>();

/**
 * Checks an answer against the schema the document gives for its operation, status and media type.
 * Objects are read as closed: a field the document does not name is a failure too, so the document
 * cannot fall behind the routes in either direction. Returns the problems, none when it matches.
 */
export function checkAnswer(doc: OpenApiDocument, operation: string, status: number, contentType: string, body: unknown): string[] {
  const [method, path] = operation.split(' ') as [string, string];
  const responses = doc.paths[path]?.[method.toLowerCase()]?.responses;
  if (!responses) return [`${operation} is not in the document`];
  const documented = responses[String(status)] ?? responses[`${String(status)[0]}XX`];
  if (!documented) return [`${operation} answered ${status}, which is not documented (documented: ${Object.keys(responses).join(', ')})`];
  const mediaType = contentType.split(';')[0]!.trim();
  const media = documented.content?.[mediaType];
  if (!media) return [`${operation} ${status} answered ${mediaType}; documented: ${Object.keys(documented.content ?? {}).join(', ') || 'no body'}`];
  if (mediaType !== 'application/json') return [];
  const key = `${operation} ${status}`;
  let validate = compiled.get(key);
  if (!validate) {
    validate = ajv.compile(closed(media.schema ?? {}));
    compiled.set(key, validate);
  }
  return validate(body)
    ? []
    : (validate.errors ?? []).map((e) => `${operation} ${status}: ${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}

/** A copy with additionalProperties: false on every object schema that lists properties and says nothing else. */
function closed(schema: unknown): object {
  if (Array.isArray(schema)) return schema.map(closed);
  if (typeof schema !== 'object' || schema === null) return schema as object;
  const copy: Record<string, unknown> = Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, closed(v)]));
  if ('properties' in copy && !('additionalProperties' in copy) && !('patternProperties' in copy)) copy.additionalProperties = false;
  return copy;
}
