import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { OPERATIONS, openApiDocument } from './openapi';

function routeFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? routeFiles(full) : name === 'route.ts' ? [full] : [];
  });
}

describe('the OpenAPI document', () => {
  const doc = openApiDocument() as {
    openapi: string;
    paths: Record<string, Record<string, { responses: object; operationId: string }>>;
    components: { schemas: Record<string, unknown> };
  };

  it('is a valid OpenAPI 3.1 document, and survives JSON', async () => {
    const validator = new Validator();
    const result = await validator.validate(JSON.parse(JSON.stringify(doc)));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('lists every /api/v1 route file (and nothing else)', () => {
    const root = path.resolve('app/api/v1');
    const documented = new Set(OPERATIONS.map((o) => o.path.replace(/\{(\w+)\}/g, '[$1]')));
    const files = routeFiles(root)
      .map((f) => `/api/v1/${path.relative(root, path.dirname(f)).split(path.sep).join('/')}`)
      .filter((p) => p !== '/api/v1/openapi.json');
    expect(new Set(files)).toEqual(documented);
  });

  it('gives every operation an id, a success response and the error responses', () => {
    const ids = new Set<string>();
    for (const item of Object.values(doc.paths)) {
      for (const op of Object.values(item)) {
        ids.add(op.operationId);
        expect(Object.keys(op.responses).some((s) => s.startsWith('2'))).toBe(true);
        expect(op.responses).toHaveProperty('401');
      }
    }
    expect(ids.size).toBe(OPERATIONS.length);
  });

  it('resolves every $ref to a component', () => {
    const refs = JSON.stringify(doc).match(/"\$ref":"[^"]+"/g) ?? [];
    for (const r of refs) {
      const name = r.slice('"$ref":"#/components/schemas/'.length, -1);
      expect(doc.components.schemas, r).toHaveProperty(name);
    }
  });
});
