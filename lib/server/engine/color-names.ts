import 'server-only';

/**
 * The CSS named colours (CSS Color Module Level 4, all 148), packed as name:hex to keep
 * the file short, plus everyday names designers use that CSS lacks (cream, charcoal...).
 */
const CSS_COLOURS =
  'aliceblue:f0f8ff antiquewhite:faebd7 aqua:00ffff aquamarine:7fffd4 azure:f0ffff beige:f5f5dc ' +
  'bisque:ffe4c4 black:000000 blanchedalmond:ffebcd blue:0000ff blueviolet:8a2be2 brown:a52a2a ' +
  'burlywood:deb887 cadetblue:5f9ea0 chartreuse:7fff00 chocolate:d2691e coral:ff7f50 ' +
  'cornflowerblue:6495ed cornsilk:fff8dc crimson:dc143c cyan:00ffff darkblue:00008b darkcyan:008b8b ' +
  'darkgoldenrod:b8860b darkgray:a9a9a9 darkgreen:006400 darkgrey:a9a9a9 darkkhaki:bdb76b ' +
  'darkmagenta:8b008b darkolivegreen:556b2f darkorange:ff8c00 darkorchid:9932cc darkred:8b0000 ' +
  'darksalmon:e9967a darkseagreen:8fbc8f darkslateblue:483d8b darkslategray:2f4f4f ' +
  'darkslategrey:2f4f4f darkturquoise:00ced1 darkviolet:9400d3 deeppink:ff1493 deepskyblue:00bfff ' +
  'dimgray:696969 dimgrey:696969 dodgerblue:1e90ff firebrick:b22222 floralwhite:fffaf0 ' +
  'forestgreen:228b22 fuchsia:ff00ff gainsboro:dcdcdc ghostwhite:f8f8ff gold:ffd700 ' +
  'goldenrod:daa520 gray:808080 green:008000 greenyellow:adff2f grey:808080 honeydew:f0fff0 ' +
  'hotpink:ff69b4 indianred:cd5c5c indigo:4b0082 ivory:fffff0 khaki:f0e68c lavender:e6e6fa ' +
  'lavenderblush:fff0f5 lawngreen:7cfc00 lemonchiffon:fffacd lightblue:add8e6 lightcoral:f08080 ' +
  'lightcyan:e0ffff lightgoldenrodyellow:fafad2 lightgray:d3d3d3 lightgreen:90ee90 ' +
  'lightgrey:d3d3d3 lightpink:ffb6c1 lightsalmon:ffa07a lightseagreen:20b2aa lightskyblue:87cefa ' +
  'lightslategray:778899 lightslategrey:778899 lightsteelblue:b0c4de lightyellow:ffffe0 lime:00ff00 ' +
  'limegreen:32cd32 linen:faf0e6 magenta:ff00ff maroon:800000 mediumaquamarine:66cdaa ' +
  'mediumblue:0000cd mediumorchid:ba55d3 mediumpurple:9370db mediumseagreen:3cb371 ' +
  'mediumslateblue:7b68ee mediumspringgreen:00fa9a mediumturquoise:48d1cc ' +
  'mediumvioletred:c71585 midnightblue:191970 mintcream:f5fffa mistyrose:ffe4e1 moccasin:ffe4b5 ' +
  'navajowhite:ffdead navy:000080 oldlace:fdf5e6 olive:808000 olivedrab:6b8e23 orange:ffa500 ' +
  'orangered:ff4500 orchid:da70d6 palegoldenrod:eee8aa palegreen:98fb98 paleturquoise:afeeee ' +
  'palevioletred:db7093 papayawhip:ffefd5 peachpuff:ffdab9 peru:cd853f pink:ffc0cb plum:dda0dd ' +
  'powderblue:b0e0e6 purple:800080 rebeccapurple:663399 red:ff0000 rosybrown:bc8f8f ' +
  'royalblue:4169e1 saddlebrown:8b4513 salmon:fa8072 sandybrown:f4a460 seagreen:2e8b57 ' +
  'seashell:fff5ee sienna:a0522d silver:c0c0c0 skyblue:87ceeb slateblue:6a5acd slategray:708090 ' +
  'slategrey:708090 snow:fffafa springgreen:00ff7f steelblue:4682b4 tan:d2b48c teal:008080 ' +
  'thistle:d8bfd8 tomato:ff6347 turquoise:40e0d0 violet:ee82ee wheat:f5deb3 white:ffffff ' +
  'whitesmoke:f5f5f5 yellow:ffff00 yellowgreen:9acd32';

/** Names people type that CSS does not have; keys are written without spaces. */
const EXTRA_COLOURS =
  'navyblue:000080 offwhite:f8f6f0 cream:fffdd0 charcoal:36454f burgundy:800020 mustard:e1ad01 ' +
  'peach:ffcba4 emerald:50c878 cobalt:0047ab sage:9caf88 terracotta:e2725b rust:b7410e ' +
  'babyblue:89cff0 mint:98ff98 sand:c2b280 blush:de5d83 nude:e3bc9a champagne:f7e7ce ' +
  'ochre:cc7722 mauve:e0b0ff lilac:c8a2c8 taupe:483c32 graphite:383838 slate:708090 ' +
  'bone:e3dac9 stone:928e85 concrete:a3a3a3 ink:1b1b2f jet:343434 pitchblack:0a0a0a ' +
  'pearl:eae0c8 ivorywhite:fffff0 skin:f1c27d caramel:c68e17 mocha:967969 coffee:6f4e37';

function unpack(table: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const pair of table.split(' ')) {
    const [name, hex] = pair.split(':');
    if (name && hex) map.set(name, `#${hex}`);
  }
  return map;
}

/** name (lower case, no spaces) -> #rrggbb */
export const NAMED_COLOURS: ReadonlyMap<string, string> = new Map([...unpack(CSS_COLOURS), ...unpack(EXTRA_COLOURS)]);

/** Words that shift a named colour's lightness or chroma: "light blue", "deep red". */
export const COLOUR_MODIFIERS: Readonly<Record<string, { light: number; sat: number }>> = {
  light: { light: 0.18, sat: 0 },
  pale: { light: 0.25, sat: -0.25 },
  pastel: { light: 0.22, sat: -0.2 },
  soft: { light: 0.1, sat: -0.15 },
  dark: { light: -0.18, sat: 0 },
  deep: { light: -0.12, sat: 0.1 },
  bright: { light: 0.05, sat: 0.2 },
  vivid: { light: 0, sat: 0.25 },
  muted: { light: 0, sat: -0.3 },
  dusty: { light: 0.02, sat: -0.35 },
};
