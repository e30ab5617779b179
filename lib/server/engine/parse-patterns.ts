import 'server-only';
import type { NamedColour } from './colors';
import type { Op } from './ops';

export type MatchContext = {
  colour: (ref: string | undefined) => NamedColour | undefined;
  mentionsBackground: boolean;
  setShadow: (value: 'on' | 'off') => void;
};

type Made = Op | Op[] | 'consume' | null;
type Matcher = { re: RegExp; make: (m: RegExpMatchArray, ctx: MatchContext) => Made };

// Building blocks. C = a colour placeholder from parse-text (⟦n⟧), captured.
const C = '\u27e6(\\d+)\u27e7';
const IMG = 'image ([1-9])';
const INT =
  '(slight(?:ly)?|subtle|subtly|gentle|gently|small|tiny|a (?:little|bit|touch|tad)(?: more)?|somewhat|much|a lot|way|very|far|strong(?:ly)?|heavy|heavily|big|really|extremely|significantly|dramatically)';
const THE_IMAGE = '(?:(?:it|the image|the photo|the picture|everything|image [1-9]) )?';
const PLAIN = '(?:(?:a|an|the) )?(?:(?:solid|plain|flat|clean|simple|pure|uniform|nice) )*';
const DIRECTION = '(vertical|horizontal|diagonal|radial|linear)';
const RES = '(4k|8k|uhd|2k|qhd|full hd|fhd|1080p|720p)';
/** Long side in pixels for the resolution names people use. */
const RESOLUTIONS: Record<string, number> = {
  '4k': 3840,
  uhd: 3840,
  '8k': 7680,
  '2k': 2560,
  qhd: 2560,
  'full hd': 1920,
  fhd: 1920,
  '1080p': 1920,
  '720p': 1280,
};

/** Intensity word -> multiplier of the op's default strength. */
function intensity(...words: (string | undefined)[]): number {
  const w = words.find((x) => x !== undefined);
  if (!w) return 1;
  return /slight|little|bit|touch|tad|subtl|somewhat|gentl|small|tiny/.test(w) ? 0.5 : 1.7;
}

const re = (source: string) => new RegExp(source, 'g');

const DIRECTIONS = ['vertical', 'horizontal', 'diagonal', 'radial'] as const;
type Direction = (typeof DIRECTIONS)[number];
const isDirection = (d: string | undefined): d is Direction => DIRECTIONS.includes(d as Direction);

function gradient(ctx: MatchContext, a: string | undefined, b: string | undefined, ...dirs: (string | undefined)[]): Op {
  return {
    kind: 'replaceBackground',
    fill: { type: 'gradient', from: ctx.colour(a), to: ctx.colour(b), direction: dirs.find(isDirection) },
  };
}

function colourFill(ctx: MatchContext, ref: string | undefined): Made {
  const colour = ctx.colour(ref);
  return colour ? { kind: 'replaceBackground', fill: { type: 'colour', colour } } : null;
}

function ratioOp(w: number, h: number, orientation: string | undefined): Made {
  if (!(w > 0 && h > 0)) return null;
  // Two pixel sizes ("1024x768") mean a size, not a ratio.
  if (w >= 64 && h >= 64) return { kind: 'resize', width: Math.round(w), height: Math.round(h) };
  let rw = w;
  let rh = h;
  if ((orientation === 'portrait' || orientation === 'vertical') && rw > rh) [rw, rh] = [rh, rw];
  if ((orientation === 'landscape' || orientation === 'horizontal') && rh > rw) [rw, rh] = [rh, rw];
  return { kind: 'crop', ratioW: rw, ratioH: rh, label: `${rw}:${rh}` };
}

const NAMED_RATIOS: Record<string, [number, number]> = {
  portrait: [4, 5],
  landscape: [3, 2],
  widescreen: [16, 9],
  cinematic: [21, 9],
  panoramic: [3, 1],
  panorama: [3, 1],
};

function rotation(verb: string, amount: string | undefined, way: string | undefined): Made {
  const ccw = way !== undefined && /counter|anti|ccw|left/.test(way);
  if (amount === undefined) {
    if (/^tilt/.test(verb)) return { kind: 'rotate', degrees: ccw ? -5 : 5, seeded: true };
    // "turn" alone is too common ("turn it blue") to mean a rotation without a direction.
    if (/^turn/.test(verb) && way === undefined) return null;
    return { kind: 'rotate', degrees: ccw ? -90 : 90 };
  }
  const deg = Number(amount);
  if (!Number.isFinite(deg) || deg % 360 === 0) return null;
  return { kind: 'rotate', degrees: ccw ? -deg : deg };
}

export const MATCHERS: Matcher[] = [
  // Shadow switches first: "remove the shadow" must not read as a background removal.
  {
    re: re('\\b(?:no|without|remove|skip|lose|drop the|get rid of)(?: the| any| a)? (?:(?:soft|drop|contact|cast) )*shadows?\\b'),
    make: (_m, ctx) => {
      ctx.setShadow('off');
      return 'consume';
    },
  },
  {
    re: re(
      '\\b(?:(?:with|add|plus|include) )?(?:an? )?(?:(?:soft|subtle|gentle|realistic|light|natural|drop|contact|ground|cast) )*shadows?\\b',
    ),
    make: (_m, ctx) => {
      ctx.setShadow('on');
      return 'consume';
    },
  },

  // Layouts of several references.
  {
    re: re('\\b(?:(?:in|into|as|make) (?:an? )?)?(?:2x2 )?(?:grid|collage|contact sheet|mosaic|tiled?)\\b'),
    make: () => ({ kind: 'layout', mode: 'grid' }),
  },
  {
    re: re(
      '\\b(?:side[ -]*by[ -]*side|next to each other|in a row|diptych|before[ /-]+(?:and[ /-]+)?after|(?:combine|join|merge|concatenate) (?:the |these |both |all )?(?:images|image [1-9](?: (?:and|with) image [1-9])*))\\b',
    ),
    make: () => ({ kind: 'layout', mode: 'row' }),
  },
  {
    re: re(`\\b${IMG} (?:next to|beside|alongside) ${IMG}\\b`),
    make: () => ({ kind: 'layout', mode: 'row' }),
  },
  {
    re: re('\\b(?:stack(?:ed)?(?: vertically)?|one above the other|on top of each other|in a column|above each other|top and bottom)\\b'),
    make: () => ({ kind: 'layout', mode: 'column' }),
  },

  // Composites: the subject of one image onto another.
  {
    re: re(
      `\\b(?:place|put|paste|insert|composite|add|drop|move|set|stick|position|transfer|bring) (?:the )?(?:[a-z-]+ ){0,3}?(?:(?:of|from|in) )?${IMG} (?:on|onto|into|in|to|over|on top of|in front of|against|inside) (?:the )?(?:(?:background|scene|backplate|setting|room) )?(?:(?:of|in|from) )?${IMG}\\b`,
    ),
    make: (m) => ({ kind: 'place', subject: Number(m[1]) - 1, onto: Number(m[2]) - 1 }),
  },
  {
    re: re(`\\b${IMG} (?:on|onto|over|on top of|in front of|against|into) (?:the )?(?:(?:background|scene) )?(?:(?:of|from) )?${IMG}\\b`),
    make: (m) => ({ kind: 'place', subject: Number(m[1]) - 1, onto: Number(m[2]) - 1 }),
  },
  {
    re: re(
      `\\b(?:use )?${IMG} as (?:the |a )?(?:new )?(?:background|scene|backplate|setting)\\b|\\b(?:replace|swap|change) (?:the )?background (?:with|for|to) (?:(?:that|the one|the background|the scene) (?:of|in|from) )?${IMG}\\b|\\b(?:on|onto|against) the (?:background|scene|setting) (?:of|from|in) ${IMG}\\b`,
    ),
    make: (m) => {
      const onto = Number(m[1] ?? m[2] ?? m[3]) - 1;
      return { kind: 'place', subject: onto === 0 ? 1 : 0, onto };
    },
  },

  // Colour transfer.
  {
    re: re(
      `\\b(?:(?:take|use|match|transfer|copy|apply|borrow|steal|adopt|give it|with) )?(?:the )?(?:color )?(?:palette|colors|color (?:grade|grading|scheme|tones?|look|mood|palette)|tones|grade|grading|look|mood) (?:of|from|in) ${IMG}(?: (?:to|onto|on) ${IMG})?\\b`,
    ),
    make: (m) => ({ kind: 'palette', from: Number(m[1]) - 1, to: m[2] ? Number(m[2]) - 1 : undefined }),
  },
  {
    re: re(
      `\\b(?:color[ -]*(?:grade|grading|match|matched)|match (?:the )?colors?|palette transfer) (?:it |${IMG} )?(?:to|like|with|from)(?: match)? ${IMG}\\b`,
    ),
    make: (m) => ({ kind: 'palette', from: Number(m[2]) - 1, to: m[1] ? Number(m[1]) - 1 : undefined }),
  },

  // Backgrounds. Removal first so "remove the white background" is not a replacement.
  {
    re: re(
      `\\b(?:${INT} )?(?:blur|blurred|blurry|soften|defocus(?:ed)?|out[ -]of[ -]focus) (?:the )?background\\b|\\bbackground (?:blur|blurred|out of focus)\\b|\\bbokeh\\b|\\bportrait mode\\b|\\bshallow depth of field\\b`,
    ),
    make: (m) => ({ kind: 'blurBackground', amount: intensity(m[1]) }),
  },
  {
    re: re(
      `\\b(?:remove|delete|erase|drop|cut out|get rid of|strip|take out|lose|knock out|eliminate|clear) (?:the |its |any )?(?:(?:${C}|existing|current|old|original) )?background\\b|\\bbackground (?:removal|removed|remover|cut ?out|gone|off)\\b|\\bcut[ -]?out\\b|\\btransparent(?: background| png)?\\b|\\b(?:no |without (?:a |the )?)background\\b|\\bisolate (?:the )?(?:subject|product|object|item|person|foreground)\\b`,
    ),
    make: () => ({ kind: 'removeBackground' }),
  },
  {
    re: re(`${C}(?: ?(?:to|and|-|/|into) ?${C})? (?:${DIRECTION} )?gradient\\b(?: background)?`),
    make: (m, ctx) => gradient(ctx, m[1], m[2], m[3]),
  },
  {
    re: re(
      `\\b(?:${DIRECTION} )?gradient\\b(?: background)?(?: (?:going )?from ${C} (?:to|into|and) ${C}| (?:of|in|with) ${C}(?: (?:and|to) ${C})?)?(?: ${DIRECTION}(?:ly)?)?`,
    ),
    make: (m, ctx) => gradient(ctx, m[2] ?? m[4], m[3] ?? m[5], m[1], m[6]),
  },
  {
    re: re(
      `(?:${C} )?(?:photo )?\\bstudio\\b(?: ${C})?(?: (?:background|look|shot|setup|lighting|light|sweep|style))?|\\b(?:product shot|packshot|pack shot|e-?commerce(?: shot)?)\\b|\\bseamless (?:${C} )?(?:background|sweep|paper)\\b`,
    ),
    make: (m, ctx) => ({
      kind: 'replaceBackground',
      fill: { type: 'studio', colour: ctx.colour(m[1] ?? m[2] ?? m[3]) },
    }),
  },
  {
    re: re(`\\bbackground from ${C} (?:to|into) ${C}`),
    make: (m, ctx) => colourFill(ctx, m[2]),
  },
  {
    re: re(`\\bbackground(?: color)?(?: ?(?:with|to|into|in|as|for|=|:|of|should be|is))? ?${PLAIN}${C}(?: (?:one|color|background))?`),
    make: (m, ctx) => colourFill(ctx, m[1]),
  },
  {
    re: re(`${PLAIN}${C} (?:(?:solid|plain|flat|colored) )?background\\b`),
    make: (m, ctx) => colourFill(ctx, m[1]),
  },
  {
    re: re(`\\b(?:replace|fill|swap) (?:it|that) (?:with|by|for) ${PLAIN}${C}`),
    make: (m, ctx) => (ctx.mentionsBackground ? colourFill(ctx, m[1]) : null),
  },
  {
    re: re(`\\b(?:on|onto|against|over) ${PLAIN}${C}(?= ?(?:$|[,.;!]|and\\b|with\\b|then\\b))`),
    make: (m, ctx) => colourFill(ctx, m[1]),
  },

  // Colour the subject, or the whole picture.
  {
    re: re(
      `\\b(?:recolor|color|paint|dye|turn|make|change)(?: the color of)? (?:the )?(subject|product|object|item|foreground|shirt|car|bag|shoes?|dress|it) (?:to |into |in )?(?:(?:a|an) )?${C}|\\brecolor (?:it )?(?:to |in |into )?${C}`,
    ),
    make: (m, ctx) => {
      const colour = ctx.colour(m[2] ?? m[3]);
      if (!colour) return null;
      return m[1] === 'it' ? { kind: 'tint', colour, amount: 1.4 } : { kind: 'recolourSubject', colour };
    },
  },
  {
    re: re(
      `\\b(?:${INT} )?(?:tint|tinted|wash|cast|filter|overlay|hue|tone|toned|grade|graded) ${THE_IMAGE}(?:with|in|of|to)? ?(?:(?:a|an) )?(?:(slight|subtle|light|strong|heavy) )?${C}(?: (?:tint|wash|cast|filter|overlay|hue|tone))?|(?:(?:a|an) )?(?:(slight|subtle|strong|heavy) )?${C} (?:tint|wash|cast|filter|overlay|hue|tone|toned|tinted)\\b|\\b(?:make|turn) ${THE_IMAGE}(?:more |look )?${C}`,
    ),
    make: (m, ctx) => {
      const colour = ctx.colour(m[3] ?? m[5] ?? m[6]);
      return colour ? { kind: 'tint', colour, amount: intensity(m[1], m[2], m[4]) } : null;
    },
  },

  // Tone.
  {
    re: re(
      '\\bgreyscale\\b|\\b(?:fully|completely|entirely) desaturated?\\b|\\bdesaturated? (?:it )?(?:fully|completely|entirely)\\b|\\b(?:remove|strip|drop) (?:the |all )?colors?\\b|\\bno colors?\\b',
    ),
    make: () => ({ kind: 'greyscale' }),
  },
  {
    re: re('\\bsepia(?:[ -]+ton(?:e|ed))?\\b|\\bold[ -]+(?:photo|photograph|timey|fashioned)\\b|\\bantique\\b|\\bvintage\\b'),
    make: () => ({ kind: 'sepia' }),
  },
  {
    re: re(
      `\\b(?:${INT} )?(?:(more|less) )?(warm(?:er|th)?|cozier|golden|cool(?:er)?|cold(?:er)?|colder|icy)\\b(?: (?:tones?|colors?|look|light|white balance))?(?: ${INT})?`,
    ),
    make: (m) => {
      const warm = /warm|coz|golden/.test(m[3] ?? '');
      const dir = (warm ? 1 : -1) * (m[2] === 'less' ? -1 : 1);
      return { kind: 'warmth', direction: dir > 0 ? 1 : -1, amount: intensity(m[1], m[4]) };
    },
  },
  {
    re: re(
      `\\b(?:${INT} )?(?:(less (?:bright|light|exposed))|(brighter|brighten(?:ed)?|lighter|lighten(?:ed)?|more (?:bright|light|exposure|exposed)|(?:increase|boost|raise) (?:the )?(?:brightness|exposure)|(?:brightness|exposure) up|overexposed?|make ${THE_IMAGE}bright)|(darker|darken(?:ed)?|dimmer|dim|(?:reduce|lower|decrease) (?:the )?(?:brightness|exposure)|(?:brightness|exposure) down|underexposed?|moodier|make ${THE_IMAGE}dark))\\b(?:(?: it| the image)? ${INT})?`,
    ),
    make: (m) => ({ kind: 'brightness', direction: m[3] ? 1 : -1, amount: intensity(m[1], m[5]) }),
  },
  {
    re: re(
      `\\b(?:${INT} )?(?:(?:(less|lower|reduce[ds]?|decrease[ds]?|low|soft(?:er)?|flatter|weaker) (?:the )?contrast|contrast down|flat(?:ter)? look|flatten)|(?:more|higher|increase[ds]?|boost(?:ed)?|add|stronger|high|raise|enhance[ds]?) (?:the )?contrast|contrast(?:y| up| boost)?|punch(?:y|ier))\\b(?:(?: it| the image)? ${INT})?`,
    ),
    make: (m) => ({ kind: 'contrast', direction: m[2] !== undefined || /flat|down/.test(m[0]) ? -1 : 1, amount: intensity(m[1], m[3]) }),
  },
  {
    re: re(
      `\\b(?:${INT} )?(?:(?:less|lower|reduce[ds]?|decrease[ds]?|weaker) (?:the )?(?:saturation|saturated|vibrance|vivid|colorful|colors?)|muted|desaturated?|washed[ -]out|faded|subdued|dull(?:er)?)\\b(?:(?: it| the image)? ${INT})?`,
    ),
    make: (m) => ({ kind: 'saturation', direction: -1, amount: intensity(m[1], m[2]) }),
  },
  {
    re: re(
      `\\b(?:${INT} )?(?:(?:more|higher|increase[ds]?|boost(?:ed)?|add|stronger|raise|enhance[ds]?) (?:the )?(?:saturation|vibrance|colors?|colorfulness)|(?:more )?(?:saturated|saturate|vivid|vibrant|colorful)|colors? pop|pop)\\b(?:(?: it| the image)? ${INT})?`,
    ),
    make: (m) => ({ kind: 'saturation', direction: 1, amount: intensity(m[1], m[2]) }),
  },
  {
    re: re(
      `\\b(?:${INT} )?(?:sharpen(?:ed)?|sharper|crisper|crisp|unblur|deblur|less blurry|more detail(?:ed)?|enhance (?:the )?details?)\\b(?:(?: it| the image)? ${INT})?`,
    ),
    make: (m) => ({ kind: 'sharpen', amount: intensity(m[1], m[2]) }),
  },
  {
    re: re(`\\b(?:${INT} )?(?:(?:gaussian )?blur(?:red|ry)?|soften|out of focus|defocus(?:ed)?|dreamy)\\b(?:(?: it| the image)? ${INT})?`),
    make: (m) => ({ kind: 'blur', amount: intensity(m[1], m[2]) }),
  },

  // Geometry.
  {
    re: re(
      `\\b(?:flip(?:ped)?|mirror(?:ed)?|reflect(?:ed)?) ${THE_IMAGE}(?:vertical(?:ly)?|upside[ -]down|top[ -]+(?:to[ -]+)?bottom)\\b|\\bvertical (?:flip|mirror)\\b|\\b(?:turn (?:it )?)?upside[ -]down\\b`,
    ),
    make: () => ({ kind: 'flip', axis: 'vertical' }),
  },
  {
    re: re(
      `\\b(?:flip(?:ped)?|mirror(?:ed)?|flop(?:ped)?|reflect(?:ed)?)\\b(?: ${THE_IMAGE}(?:horizontal(?:ly)?|sideways|left[ -]+(?:to[ -]+)?right))?|\\bhorizontal (?:flip|mirror)\\b|\\bmirror image\\b`,
    ),
    make: () => ({ kind: 'flip', axis: 'horizontal' }),
  },
  {
    re: re(`\\b(quarter|half) turn\\b(?: (clockwise|counter[ -]?clockwise|anti[ -]?clockwise|to the left|to the right|left|right))?`),
    make: (m) => rotation('rotate', m[1] === 'half' ? '180' : '90', m[2]),
  },
  {
    re: re(
      `\\b(rotat(?:e|ed|ion)|tilt(?:ed)?|spin|turn(?:ed)?) ${THE_IMAGE}(?:by )?(?:(-?\\d+(?:\\.\\d+)?) ?(?:degrees?|deg)? ?)?(clockwise|counter[ -]?clockwise|anti[ -]?clockwise|ccw|cw|to the left|to the right|left|right)?`,
    ),
    make: (m) => rotation(m[1] ?? '', m[2], m[3]),
  },
  {
    re: re(
      `\\b(?:(?:crop|cut|trim|reframe|frame|make|format|resize|change|aspect ratio|ratio)(?: it| the image| image [1-9])?(?: to| into| as| of)?(?: an?)? )?(?:(portrait|landscape|vertical|horizontal) )?(\\d+(?:\\.\\d+)?)(?::| ?x ?|/| by )(\\d+(?:\\.\\d+)?)(?: (aspect(?: ratio)?|ratio|format|crop|portrait|landscape|pixels|px))*\\b`,
    ),
    make: (m) => ratioOp(Number(m[2]), Number(m[3]), m[1] ?? m[4]),
  },
  {
    re: re(
      '\\b(?:(?:crop|cut|trim|reframe|make|format)(?: it| the image)?(?: to| into| as)?(?: an?)? )?square(?: (?:crop|format|aspect|ratio|image))?\\b',
    ),
    make: () => ({ kind: 'crop', ratioW: 1, ratioH: 1, label: 'square' }),
  },
  {
    re: re(
      '\\b(?:crop|format|orientation|make(?: it)?)(?: to| as| in| into)?(?: an?)? (portrait|landscape|widescreen|cinematic|panoramic|panorama)\\b(?: (?:crop|format|orientation))?|\\b(portrait|landscape|widescreen|cinematic|panoramic) (?:crop|format|orientation|ratio|aspect)\\b|\\b(widescreen)\\b',
    ),
    make: (m) => {
      const name = m[1] ?? m[2] ?? m[3] ?? '';
      const ratio = NAMED_RATIOS[name];
      return ratio ? { kind: 'crop', ratioW: ratio[0], ratioH: ratio[1], label: `${name} ${ratio[0]}:${ratio[1]}` } : null;
    },
  },
  {
    re: re(
      `\\b(?:(\\d+(?:\\.\\d+)?) ?x )?(?:upscaled?|upscaling|up-?res|upsize|enlarge|super[ -]?resolution|increase (?:the )?(?:resolution|size)|higher resolution|hi-?res|high[ -]res(?:olution)?|make (?:it )?(?:bigger|larger)|scale (?:it )?up|(double|quadruple) (?:the )?(?:size|resolution)|(double|quadruple))\\b(?: it| the image| image [1-9])?(?: (?:by |to )?(\\d+(?:\\.\\d+)?) ?(?:x|times)\\b)?(?: (?:to|in|at) ${RES})?(?: for print(?:ing)?)?|\\b(\\d(?:\\.\\d+)?) ?x (?:bigger|larger|enlargement|resolution|size)\\b|\\b(?:for print(?:ing)?|print[ -]ready)\\b|\\b(?:make (?:it )?|in |to )${RES}`,
    ),
    make: (m) => {
      const res = m[5] ?? m[7];
      if (res) {
        const longSide = RESOLUTIONS[res] ?? 3840;
        return { kind: 'upscale', factor: 0, longSide, label: res };
      }
      const word = m[2] ?? m[3];
      const factor = Number(m[1] ?? m[4] ?? m[6] ?? (word === 'quadruple' ? 4 : 2));
      return Number.isFinite(factor) && factor > 1 ? { kind: 'upscale', factor: Math.min(factor, 8) } : null;
    },
  },
];
