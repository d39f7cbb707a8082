/**
 * Checks values against GitHub's OpenAPI description (npm @octokit/openapi), so the simulator is held to
 * GitHub's real response shapes. A small validator for the subset of OpenAPI 3.0 schemas the issue
 * endpoints use: $ref, type, nullable, enum, properties, required, additionalProperties, items,
 * allOf/oneOf/anyOf, and the date-time and uri formats.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

type Schema = Record<string, unknown>;

interface OpenApiDocument {
  paths: Record<string, Record<string, { responses: Record<string, Schema> }>>;
}

export interface GitHubOpenApi {
  /** Every mismatch between `value` and the JSON schema of that operation's response (empty when valid). */
  checkResponse(path: string, method: string, status: number, value: unknown): string[];
}

export function loadGitHubOpenApi(): GitHubOpenApi {
  const file = createRequire(import.meta.url).resolve('@octokit/openapi/generated/api.github.com.json');
  const document = JSON.parse(readFileSync(file, 'utf8')) as OpenApiDocument & Schema;
  const resolve = (schema: Schema): Schema => {
    let current = schema;
    for (let hops = 0; typeof current['$ref'] === 'string'; hops += 1) {
      if (hops > 20) throw new Error(`$ref loop at ${String(current['$ref'])}`);
      current = pointer(document, current['$ref']);
    }
    return current;
  };
  return {
    checkResponse(path, method, status, value) {
      const operation = document.paths[path]?.[method.toLowerCase()];
      if (!operation) throw new Error(`no operation ${method} ${path} in GitHub's OpenAPI description`);
      const declared = operation.responses[String(status)];
      if (!declared) return [`${method} ${path} does not declare a ${status} response`];
      const content = resolve(declared)['content'] as Record<string, { schema: Schema }> | undefined;
      const schema = content?.['application/json']?.schema;
      if (!schema) throw new Error(`${method} ${path} ${status} has no JSON schema`);
      const errors: string[] = [];
      check(schema, value, '$', errors, resolve);
      return errors;
    },
  };
}

function pointer(document: Schema, ref: string): Schema {
  if (!ref.startsWith('#/')) throw new Error(`only local $refs are supported: ${ref}`);
  let node: unknown = document;
  for (const raw of ref.slice(2).split('/')) {
    const key = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    node = (node as Record<string, unknown>)[key];
    if (node === undefined) throw new Error(`unresolved $ref ${ref}`);
  }
  return node as Schema;
}

function check(
  raw: Schema,
  value: unknown,
  at: string,
  errors: string[],
  resolve: (s: Schema) => Schema,
): void {
  const schema = resolve(raw);
  if (value === null) {
    if (schema['nullable'] !== true && !acceptsNullThroughComposition(schema, resolve))
      errors.push(`${at}: null is not allowed`);
    return;
  }
  const before = errors.length;
  checkComposition(schema, value, at, errors, resolve);
  if (Array.isArray(schema['enum']) && !schema['enum'].includes(value)) {
    errors.push(`${at}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema['enum'])}`);
  }
  const type = schema['type'];
  if (typeof type === 'string' && !hasType(value, type)) {
    errors.push(`${at}: expected ${type}, got ${describe(value)}`);
    return;
  }
  if (errors.length > before) return;
  if (typeof value === 'string') checkFormat(schema['format'], value, at, errors);
  if (Array.isArray(value) && schema['items']) {
    value.forEach((item, index) =>
      check(schema['items'] as Schema, item, `${at}[${index}]`, errors, resolve),
    );
  }
  if (isObject(value)) checkObject(schema, value, at, errors, resolve);
}

function acceptsNullThroughComposition(schema: Schema, resolve: (s: Schema) => Schema): boolean {
  const branches = [schema['oneOf'], schema['anyOf']].filter(Array.isArray).flat() as Schema[];
  return branches.some((branch) => resolve(branch)['nullable'] === true);
}

function checkComposition(
  schema: Schema,
  value: unknown,
  at: string,
  errors: string[],
  resolve: (s: Schema) => Schema,
): void {
  for (const part of (schema['allOf'] as Schema[] | undefined) ?? []) check(part, value, at, errors, resolve);
  const passing = (branches: Schema[]) =>
    branches.filter((branch) => {
      const branchErrors: string[] = [];
      check(branch, value, at, branchErrors, resolve);
      return branchErrors.length === 0;
    }).length;
  const oneOf = schema['oneOf'] as Schema[] | undefined;
  if (oneOf) {
    const count = passing(oneOf);
    if (count !== 1) errors.push(`${at}: matches ${count} of the oneOf schemas, expected exactly 1`);
  }
  const anyOf = schema['anyOf'] as Schema[] | undefined;
  if (anyOf && passing(anyOf) === 0) errors.push(`${at}: matches none of the anyOf schemas`);
}

function checkObject(
  schema: Schema,
  value: Record<string, unknown>,
  at: string,
  errors: string[],
  resolve: (s: Schema) => Schema,
): void {
  const properties = (schema['properties'] as Record<string, Schema> | undefined) ?? {};
  for (const name of (schema['required'] as string[] | undefined) ?? []) {
    if (!(name in value)) errors.push(`${at}: missing required property ${name}`);
  }
  const additional = schema['additionalProperties'];
  for (const [name, item] of Object.entries(value)) {
    const property = properties[name];
    if (property) check(property, item, `${at}.${name}`, errors, resolve);
    else if (additional === false) errors.push(`${at}: unexpected property ${name}`);
    else if (isObject(additional)) check(additional, item, `${at}.${name}`, errors, resolve);
  }
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function checkFormat(format: unknown, value: string, at: string, errors: string[]): void {
  if (format === 'date-time' && !DATE_TIME.test(value))
    errors.push(`${at}: ${JSON.stringify(value)} is not a date-time`);
  if (format === 'uri' && !URL.canParse(value)) errors.push(`${at}: ${JSON.stringify(value)} is not a uri`);
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number';
    case 'array':
      return Array.isArray(value);
    case 'object':
      return isObject(value);
    default:
      return typeof value === type;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  return Array.isArray(value) ? 'array' : typeof value;
}
