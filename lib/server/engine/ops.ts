import 'server-only';
import type { NamedColour } from './colors';

/** What the user's words asked for: one op per understood phrase, before any planning. */
export type BackgroundFill =
  | { type: 'colour'; colour: NamedColour }
  | {
      type: 'gradient';
      from?: NamedColour;
      to?: NamedColour;
      direction?: 'vertical' | 'horizontal' | 'diagonal' | 'radial';
    }
  | { type: 'studio'; colour?: NamedColour };

/** 0-based image indexes; "image 1" is 0. */
export type Op =
  | { kind: 'layout'; mode: 'row' | 'column' | 'grid' }
  | { kind: 'place'; subject: number; onto: number }
  | { kind: 'palette'; from: number; to?: number }
  | { kind: 'removeBackground' }
  | { kind: 'replaceBackground'; fill: BackgroundFill }
  | { kind: 'blurBackground'; amount: number }
  | { kind: 'recolourSubject'; colour: NamedColour }
  | { kind: 'tint'; colour: NamedColour; amount: number }
  | { kind: 'greyscale' }
  | { kind: 'sepia' }
  | { kind: 'warmth'; direction: 1 | -1; amount: number }
  | { kind: 'brightness'; direction: 1 | -1; amount: number }
  | { kind: 'contrast'; direction: 1 | -1; amount: number }
  | { kind: 'saturation'; direction: 1 | -1; amount: number }
  | { kind: 'blur'; amount: number }
  | { kind: 'sharpen'; amount: number }
  | { kind: 'flip'; axis: 'horizontal' | 'vertical' }
  /** Clockwise degrees; `seeded` = the user said "tilt" without an angle. */
  | { kind: 'rotate'; degrees: number; seeded?: boolean }
  | { kind: 'crop'; ratioW: number; ratioH: number; label: string }
  | { kind: 'resize'; width: number; height: number }
  /** `longSide` (with factor 0) when the words named a resolution: "upscale to 4k". */
  | { kind: 'upscale'; factor: number; longSide?: number; label?: string };

export type OpKind = Op['kind'];

/** An op with where it appeared in the instruction, for "in the order you wrote it" rules. */
export type PlacedOp = Op & { at: number };

export type ParsedInstruction = {
  ops: PlacedOp[];
  shadow: 'on' | 'off' | 'auto';
  /** Fragments of the instruction nothing matched, quoted back in notes. */
  ignored: string[];
  /** Every "image N" the text mentions (0-based, sorted, unique). */
  mentionedImages: number[];
  /** Phrases that matched an operation but were negated ("don't blur"), quoted in notes. */
  negated: string[];
};
