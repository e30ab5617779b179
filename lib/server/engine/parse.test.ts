import { describe, expect, it } from 'vitest';
import { parseInstruction } from './parse';

const kinds = (text: string) => parseInstruction(text).ops.map((o) => o.kind);

describe('offline engine: instruction parsing', () => {
  it.each([
    ['Remove the background', ['removeBackground']],
    ['remove bg', ['removeBackground']],
    ['Cut out the product, transparent PNG', ['removeBackground']],
    ['REPLACE THE BACKDROP WITH NAVY', ['replaceBackground']],
    ['navy blue background', ['replaceBackground']],
    ['put it on white', ['replaceBackground']],
    ['gradient from navy to teal', ['replaceBackground']],
    ['white studio', ['replaceBackground']],
    ['blur the background', ['blurBackground']],
    ['B&W', ['greyscale']],
    ['black & white', ['greyscale']],
    ['Grayscale', ['greyscale']],
    ['grey scale', ['greyscale']],
    ['monochrome', ['greyscale']],
    ['sepia', ['sepia']],
    ['a bit warmer', ['warmth']],
    ['cooler', ['warmth']],
    ['brighten it', ['brightness']],
    ['darker', ['brightness']],
    ['more contrast', ['contrast']],
    ['less contrast', ['contrast']],
    ['more vivid', ['saturation']],
    ['muted', ['saturation']],
    ['blur', ['blur']],
    ['sharpen', ['sharpen']],
    ['mirror', ['flip']],
    ['flip it upside down', ['flip']],
    ['rotate 90 degrees', ['rotate']],
    ['crop to 16:9', ['crop']],
    ['square', ['crop']],
    ['upscale 4x', ['upscale']],
    ['tint it teal', ['tint']],
    ['recolour the product red', ['recolourSubject']],
    ['place the subject of image 1 onto image 2', ['place']],
    ['use the second image as the background', ['place']],
    ['take the palette of image 2', ['palette']],
    ['side-by-side', ['layout']],
    ['grid', ['layout']],
  ])('"%s"', (text, expected) => {
    expect(kinds(text)).toEqual(expected);
  });

  it('reads colours: names, modifiers, hex', () => {
    const op = parseInstruction('replace the background with light blue').ops[0];
    expect(op?.kind === 'replaceBackground' && op.fill.type === 'colour' && op.fill.colour.rgb).toEqual({ r: 173, g: 216, b: 230 });
    const hex = parseInstruction('background #1E3A8A').ops[0];
    expect(hex?.kind === 'replaceBackground' && hex.fill.type === 'colour' && hex.fill.colour).toMatchObject({
      exact: true,
      rgb: { r: 30, g: 58, b: 138 },
    });
    const grad = parseInstruction('gradient from navy to teal').ops[0];
    expect(grad?.kind === 'replaceBackground' && grad.fill.type === 'gradient' && [grad.fill.from?.label, grad.fill.to?.label]).toEqual([
      'navy',
      'teal',
    ]);
  });

  it('reads angles, directions, ratios and factors', () => {
    expect(parseInstruction('rotate 15 degrees counter-clockwise').ops[0]).toMatchObject({ kind: 'rotate', degrees: -15 });
    expect(parseInstruction('rotate left').ops[0]).toMatchObject({ kind: 'rotate', degrees: -90 });
    expect(parseInstruction('portrait 4:5').ops[0]).toMatchObject({ kind: 'crop', ratioW: 4, ratioH: 5 });
    expect(parseInstruction('crop to portrait 16:9').ops[0]).toMatchObject({ kind: 'crop', ratioW: 9, ratioH: 16 });
    expect(parseInstruction('upscale 2x for print').ops[0]).toMatchObject({ kind: 'upscale', factor: 2 });
    expect(parseInstruction('flip vertically').ops[0]).toMatchObject({ kind: 'flip', axis: 'vertical' });
    expect(parseInstruction('much brighter').ops[0]).toMatchObject({ kind: 'brightness', direction: 1, amount: 1.7 });
    expect(parseInstruction('slightly less saturated').ops[0]).toMatchObject({ kind: 'saturation', direction: -1, amount: 0.5 });
  });

  it('reads resolutions and intensities written after the verb', () => {
    expect(parseInstruction('upscale to 4K').ops[0]).toMatchObject({ kind: 'upscale', longSide: 3840 });
    expect(parseInstruction('blur it heavily').ops[0]).toMatchObject({ kind: 'blur', amount: 1.7 });
    expect(parseInstruction('slight blur').ops[0]).toMatchObject({ kind: 'blur', amount: 0.5 });
    expect(kinds('no background please')).toEqual(['removeBackground']);
    expect(kinds('background: #fff')).toEqual(['replaceBackground']);
    expect(kinds('colour grade to match image 2')).toEqual(['palette']);
  });

  it('combines operations and keeps their order of appearance', () => {
    expect(kinds('remove the background and make it black and white')).toEqual(['removeBackground', 'greyscale']);
    expect(kinds('crop to 1:1, sepia, then flip horizontally')).toEqual(['crop', 'sepia', 'flip']);
    expect(kinds('flip it, then crop to 16:9')).toEqual(['flip', 'crop']);
  });

  it('reads shadow switches', () => {
    expect(parseInstruction('white studio with a soft shadow').shadow).toBe('on');
    expect(parseInstruction('put a soft drop shadow under it, white studio').shadow).toBe('on');
    expect(parseInstruction('studio, remove the drop shadow').shadow).toBe('off');
    expect(parseInstruction('white studio, no shadow').shadow).toBe('off');
    expect(parseInstruction('white studio').shadow).toBe('auto');
  });

  it('skips negated phrases and reports unknown fragments', () => {
    const p = parseInstruction("don't blur it, just make it warmer and add a dragon");
    expect(p.ops.map((o) => o.kind)).toEqual(['warmth']);
    expect(p.negated).toEqual(['blur']);
    expect(p.ignored).toEqual(['add a dragon']);
    expect(parseInstruction('make it pretty').ops).toEqual([]);
  });

  it('collects image references by number or ordinal', () => {
    expect(parseInstruction('put the first image on image #2').mentionedImages).toEqual([0, 1]);
  });
});
