import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fillWorkflow, parseWorkflowTemplate, quoteBarePlaceholders, type ComfyWorkflow } from './workflow';
import { ProviderError } from '../errors';

const BARE = `{
  "1": {"class_type": "LoadImage", "inputs": {"image": "{{image_1}}"}},
  "2": {"class_type": "CLIPTextEncode", "inputs": {"text": "photo, {{instruction}}, 4k", "clip": ["9", 0]}},
  "3": {"class_type": "KSampler", "inputs": {"seed": {{seed}}, "cfg": {{ guidance : 6.5 }}, "denoise": "{{strength}}", "note": "a {{brace}} in a string stays"}},
  "4": {"class_type": "EmptyLatentImage", "inputs": {"width": {{width:1024}}, "height": {{height:1024}}, "batch_size": 1}}
}`;

function ok(raw: string): { workflow: ComfyWorkflow } {
  const t = parseWorkflowTemplate(raw);
  if (!t.ok) throw new Error(t.reason);
  return t;
}

describe('ComfyUI workflow templates', () => {
  it('quotes bare placeholders outside strings only', () => {
    const quoted = quoteBarePlaceholders(BARE);
    expect(quoted).toContain('"seed": "{{seed}}"');
    expect(quoted).toContain('"cfg": "{{ guidance : 6.5 }}"');
    expect(quoted).toContain('"note": "a {{brace}} in a string stays"');
    expect(() => JSON.parse(quoted)).not.toThrow();
  });

  it('rejects unknown placeholders so typos do not reach the GPU', () => {
    const t = parseWorkflowTemplate(BARE);
    expect(t.ok).toBe(false);
    if (!t.ok) expect(t.reason).toContain('unknown placeholder {{brace}}');
  });

  it('fills numbers as numbers, text inside strings, and defaults when the run has no value', () => {
    const { workflow } = ok(BARE.replace('{{brace}}', 'brace'));
    const filled = fillWorkflow(workflow, { instruction: 'add "snow" {{seed}}', seed: 12, images: ['a.png'], strength: 0.4 });
    expect(filled['1']?.inputs.image).toBe('a.png');
    expect(filled['2']?.inputs.text).toBe('photo, add "snow" {{seed}}, 4k');
    expect(filled['3']?.inputs).toMatchObject({ seed: 12, cfg: 6.5, denoise: 0.4 });
    expect(filled['4']?.inputs).toMatchObject({ width: 1024, height: 1024 });
    // The template itself is untouched, so the cached copy serves the next run.
    expect(workflow['3']?.inputs.seed).toBe('{{seed}}');
  });

  it('a numeric placeholder without value or default is a bad_input naming it', () => {
    const { workflow } = ok(BARE.replace('{{brace}}', 'brace'));
    let caught: unknown;
    try {
      fillWorkflow(workflow, { instruction: 'x', seed: 1, images: ['a.png'] });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(ProviderError);
    expect((caught as ProviderError).code).toBe('bad_input');
    expect((caught as ProviderError).message).toContain('strength');
  });

  it('reads the shipped example: three optional references, every tunable wired', () => {
    const t = parseWorkflowTemplate(fs.readFileSync(path.join(import.meta.dirname, 'workflow.example.json'), 'utf8'));
    expect(t.ok).toBe(true);
    if (t.ok)
      expect(t.info).toEqual({ maxImages: 3, uses: { seed: true, negativePrompt: true, strength: true, guidance: true, size: false } });
  });

  it('refuses defaults on text placeholders and non-numeric defaults', () => {
    const t = parseWorkflowTemplate(
      '{"1": {"class_type": "X", "inputs": {"a": "{{instruction:hi}}", "b": "{{image_1}}", "c": "{{seed:abc}}"}}}',
    );
    expect(t.ok).toBe(false);
    if (!t.ok) expect(t.reason).toMatch(/\{\{instruction\}\} cannot have a default.*\{\{seed:abc\}\}: the default is not a number/);
  });
});
