type Schema = Record<string, unknown>;
type Param = { name: string; in: string; required?: boolean; description?: string; schema?: Schema };
type Op = {
  operationId: string;
  summary: string;
  description?: string;
  parameters?: Param[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, { description: string; content?: Record<string, { schema: Schema }> }>;
};
export type ApiDoc = {
  info: { title: string; version: string; description?: string };
  paths: Record<string, Record<string, Op>>;
  components: { schemas: Record<string, Schema> };
};

/** A short type label of a JSON schema: `string`, `Run`, `array of Variation`, `png | jpeg`. */
function typeOf(s: Schema | undefined): string {
  if (!s) return 'any';
  if (typeof s.$ref === 'string') return s.$ref.split('/').pop()!;
  if (Array.isArray(s.enum)) return s.enum.map(String).join(' | ');
  if ('const' in s) return JSON.stringify(s.const);
  if (Array.isArray(s.anyOf)) return (s.anyOf as Schema[]).map(typeOf).join(' | ');
  if (s.type === 'array') return `array of ${typeOf(s.items as Schema)}`;
  return typeof s.type === 'string' ? s.type : 'object';
}

function SchemaTable({ schema }: { schema: Schema }) {
  const props = (schema.properties ?? {}) as Record<string, Schema>;
  const required = new Set((schema.required ?? []) as string[]);
  return (
    <table className="mt-2 w-full table-fixed text-left text-sm [overflow-wrap:anywhere]">
      <thead className="text-muted">
        <tr>
          <th className="py-1 font-medium">Field</th>
          <th className="font-medium">Type</th>
          <th className="font-medium">Notes</th>
        </tr>
      </thead>
      <tbody>
        {Object.entries(props).map(([name, p]) => (
          <tr key={name} className="border-t border-line align-top">
            <td className="py-1 pr-3">
              <code>{name}</code>
              {required.has(name) ? '' : '?'}
            </td>
            <td className="pr-3">
              <code>{typeOf(p)}</code>
            </td>
            <td className="text-muted">{typeof p.description === 'string' ? p.description : ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Server-rendered: the CSP allows no third-party script, and a reference needs none. */
export function ApiReference({ doc }: { doc: ApiDoc }) {
  const ops = Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ path, method, op })));
  return (
    <div className="mt-6 space-y-8">
      {doc.info.description && <p className="max-w-3xl text-sm">{doc.info.description}</p>}
      <nav aria-label="Operations">
        <ul className="space-y-1 text-sm">
          {ops.map(({ path, method, op }) => (
            <li key={op.operationId}>
              <a href={`#${op.operationId}`} className="hover:underline">
                <code className="uppercase">{method}</code> <code className="break-all">{path}</code>
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {ops.map(({ path, method, op }) => (
        <section
          key={op.operationId}
          id={op.operationId}
          aria-labelledby={`${op.operationId}-h`}
          className="rounded-lg border border-line bg-panel p-4"
        >
          <h2 id={`${op.operationId}-h`} className="break-all font-mono text-sm font-semibold">
            <span className="uppercase">{method}</span> {path}
          </h2>
          <p className="mt-1 text-sm">{op.summary}</p>
          {op.description && <p className="text-sm text-muted">{op.description}</p>}
          {op.parameters && op.parameters.length > 0 && (
            <>
              <h3 className="mt-3 text-sm font-medium">Parameters</h3>
              <ul className="text-sm">
                {op.parameters.map((p) => (
                  <li key={`${p.in}-${p.name}`}>
                    <code>{p.name}</code>{' '}
                    <span className="text-muted">
                      ({p.in}
                      {p.required ? ', required' : ''})
                    </span>{' '}
                    <code>{typeOf(p.schema)}</code>
                    {p.description ? ` — ${p.description}` : ''}
                  </li>
                ))}
              </ul>
            </>
          )}
          {op.requestBody && (
            <>
              <h3 className="mt-3 text-sm font-medium">Body</h3>
              {Object.entries(op.requestBody.content).map(([type, c]) => (
                <p key={type} className="text-sm">
                  <code>{type}</code>: <code>{typeOf(c.schema)}</code>
                </p>
              ))}
            </>
          )}
          <h3 className="mt-3 text-sm font-medium">Responses</h3>
          <ul className="text-sm">
            {Object.entries(op.responses).map(([status, r]) => (
              <li key={status}>
                <code>{status}</code> {r.description}
                {r.content && Object.values(r.content)[0] ? (
                  <>
                    {' '}
                    → <code>{typeOf(Object.values(r.content)[0]!.schema)}</code>
                  </>
                ) : null}
              </li>
            ))}
          </ul>
        </section>
      ))}
      <section aria-labelledby="schemas-h">
        <h2 id="schemas-h" className="text-lg font-semibold">
          Schemas
        </h2>
        {Object.entries(doc.components.schemas).map(([name, schema]) => (
          <div key={name} id={`schema-${name}`} className="mt-4">
            <h3 className="font-mono text-sm font-semibold">{name}</h3>
            <SchemaTable schema={schema} />
          </div>
        ))}
      </section>
    </div>
  );
}
