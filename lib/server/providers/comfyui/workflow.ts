import 'server-only';
import fs from 'node:fs';
import { z } from 'zod';
import { ProviderError } from '../errors';

/**
 * The operator's ComfyUI workflow template (COMFYUI_WORKFLOW): an API-format workflow
 * ("Save (API Format)" / "Export (API)" in ComfyUI: `{ "<node id>": { class_type, inputs } }`,
 * https://docs.comfy.org/development/comfyui-server/comms_routes) with placeholders:
 *
 *   "{{instruction}}"  "{{negative_prompt}}"   text; may sit inside a longer string
 *   "{{image_1}}" … "{{image_4}}"               replaced by the uploaded file names (LoadImage.image)
 *   {{seed}} {{width}} {{height}} {{strength}} {{guidance}}
 *                                               numbers; bare or quoted, optionally with a default
 *                                               used when the run has no value: "{{guidance:2.5}}"
 *
 * Substitution happens on the parsed JSON tree in one pass, so an instruction containing quotes,
 * braces or "{{seed}}" stays plain text and can never add nodes or fill another placeholder.
 */

type ComfyNode = { class_type: string; inputs: Record<string, unknown>; _meta?: unknown };
export type ComfyWorkflow = Record<string, ComfyNode>;

const TEXT = ['instruction', 'negative_prompt'] as const;
const NUMBERS = ['seed', 'width', 'height', 'strength', 'guidance'] as const;
const IMAGES = ['image_1', 'image_2', 'image_3', 'image_4'] as const;
type NumberName = (typeof NUMBERS)[number];
const KNOWN = new Set<string>([...TEXT, ...NUMBERS, ...IMAGES]);

const TOKEN = /\{\{\s*([A-Za-z0-9_]+)\s*(?::\s*([^{}]*?)\s*)?\}\}/g;
const WHOLE = /^\{\{\s*([A-Za-z0-9_]+)\s*(?::\s*([^{}]*?)\s*)?\}\}$/;

type WorkflowInfo = {
  /** Highest {{image_N}} the workflow loads: more references than this are refused. */
  maxImages: number;
  uses: { seed: boolean; negativePrompt: boolean; strength: boolean; guidance: boolean; size: boolean };
};

export type WorkflowTemplate = { ok: true; workflow: ComfyWorkflow; info: WorkflowInfo } | { ok: false; reason: string };

const apiFormat = z.record(
  z.string(),
  z.object({ class_type: z.string().min(1), inputs: z.record(z.string(), z.unknown()) }).passthrough(),
);

/** Wraps placeholders written bare (`"seed": {{seed}}`, not valid JSON) in quotes, outside strings only. */
export function quoteBarePlaceholders(raw: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (inString) {
      out += c;
      if (c === '\\') out += raw[++i] ?? '';
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
      out += c;
    } else if (c === '{' && raw[i + 1] === '{') {
      const end = raw.indexOf('}}', i);
      if (end < 0) return raw;
      out += JSON.stringify(raw.slice(i, end + 2));
      i = end + 1;
    } else out += c;
  }
  return out;
}

export function parseWorkflowTemplate(raw: string): WorkflowTemplate {
  let json: unknown;
  try {
    json = JSON.parse(quoteBarePlaceholders(raw));
  } catch (e) {
    return { ok: false, reason: `not valid JSON (${(e as Error).message})` };
  }
  if (json && typeof json === 'object' && 'nodes' in json && 'links' in json) {
    return { ok: false, reason: 'this is the UI format; export the workflow with "Save (API Format)" instead' };
  }
  const parsed = apiFormat.safeParse(json);
  if (!parsed.success || Object.keys(parsed.data).length === 0) {
    return { ok: false, reason: 'not an API-format workflow ({"<node id>": {"class_type", "inputs"}})' };
  }
  const names = new Set<string>();
  const problems: string[] = [];
  walkStrings(parsed.data, (s) => {
    for (const m of s.matchAll(TOKEN)) {
      const [, name = '', fallback] = m;
      names.add(name);
      if (!KNOWN.has(name)) problems.push(`unknown placeholder {{${name}}}`);
      if (fallback !== undefined && !(NUMBERS as readonly string[]).includes(name)) problems.push(`{{${name}}} cannot have a default`);
      if (fallback !== undefined && !Number.isFinite(Number(fallback)))
        problems.push(`{{${name}:${fallback}}}: the default is not a number`);
    }
  });
  if (!names.has('instruction')) problems.push('it has no {{instruction}} placeholder');
  if (!names.has('image_1')) problems.push('it has no {{image_1}} placeholder');
  if (problems.length) return { ok: false, reason: problems.join('; ') };
  const maxImages = Math.max(...IMAGES.map((n, i) => (names.has(n) ? i + 1 : 0)));
  return {
    ok: true,
    workflow: parsed.data as ComfyWorkflow,
    info: {
      maxImages,
      uses: {
        seed: names.has('seed'),
        negativePrompt: names.has('negative_prompt'),
        strength: names.has('strength'),
        guidance: names.has('guidance'),
        size: names.has('width') || names.has('height'),
      },
    },
  };
}

const cache = new Map<string, { stamp: string; template: WorkflowTemplate }>();

/** Reads and checks the template; cached until the file changes (configured() calls this often). */
export function loadWorkflowTemplate(path: string | undefined): WorkflowTemplate {
  if (!path) return { ok: false, reason: 'COMFYUI_WORKFLOW is not set' };
  let stamp: string;
  try {
    const st = fs.statSync(path);
    stamp = `${st.mtimeMs}:${st.size}`;
  } catch {
    return { ok: false, reason: `cannot read ${path}` };
  }
  const hit = cache.get(path);
  if (hit?.stamp === stamp) return hit.template;
  let raw: string;
  try {
    raw = fs.readFileSync(path, 'utf8');
  } catch {
    return { ok: false, reason: `cannot read ${path}` };
  }
  const template = parseWorkflowTemplate(raw);
  cache.set(path, { stamp, template });
  return template;
}

export type FillValues = {
  instruction: string;
  negativePrompt?: string;
  seed: number;
  /** Names ComfyUI gave the uploads, in reference order. */
  images: string[];
  width?: number;
  height?: number;
  strength?: number;
  guidance?: number;
};

const MISSING = Symbol('missing image');

/**
 * Fills the placeholders. A node that loads a reference this run does not have is removed,
 * with every link to it, so optional slots (e.g. image2/image3 of Qwen's edit encoder) can
 * be wired straight to LoadImage nodes and simply disappear for single-image runs.
 */
export function fillWorkflow(template: ComfyWorkflow, values: FillValues): ComfyWorkflow {
  const number = (name: NumberName, fallback: string | undefined): number => {
    const v = name === 'seed' ? values.seed : values[name];
    if (v !== undefined) return v;
    if (fallback !== undefined) return Number(fallback);
    throw new ProviderError({
      code: 'bad_input',
      message: `ComfyUI: the workflow needs a ${name} value; set one, or give a default in the workflow like {{${name}:1}}.`,
    });
  };
  const text = (name: string, fallback: string | undefined): string | number | typeof MISSING => {
    if (name === 'instruction') return values.instruction;
    if (name === 'negative_prompt') return values.negativePrompt ?? '';
    if ((NUMBERS as readonly string[]).includes(name)) return number(name as NumberName, fallback);
    const index = (IMAGES as readonly string[]).indexOf(name);
    return values.images[index] ?? MISSING;
  };
  const dropped = new Set<string>();
  const out: ComfyWorkflow = {};
  for (const [id, node] of Object.entries(template)) {
    let missing = false;
    const fill = (v: unknown): unknown => {
      if (typeof v === 'string') {
        const whole = WHOLE.exec(v);
        if (whole) {
          const r = text(whole[1] ?? '', whole[2]);
          if (r === MISSING) missing = true;
          return r === MISSING ? v : r;
        }
        return v.replace(TOKEN, (_m, name: string, fallback?: string) => {
          const r = text(name, fallback);
          if (r === MISSING) missing = true;
          return r === MISSING ? '' : String(r);
        });
      }
      if (Array.isArray(v)) return v.map(fill);
      if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fill(x)]));
      return v;
    };
    const inputs = fill(node.inputs) as Record<string, unknown>;
    if (missing) dropped.add(id);
    else out[id] = { ...node, inputs };
  }
  for (const node of Object.values(out)) {
    for (const [key, v] of Object.entries(node.inputs)) {
      // A link is [source node id, output index].
      if (Array.isArray(v) && v.length === 2 && dropped.has(String(v[0]))) delete node.inputs[key];
    }
  }
  return out;
}

function walkStrings(v: unknown, visit: (s: string) => void): void {
  if (typeof v === 'string') visit(v);
  else if (Array.isArray(v)) for (const x of v) walkStrings(x, visit);
  else if (v && typeof v === 'object') for (const x of Object.values(v)) walkStrings(x, visit);
}
