/**
 * Colours and fill patterns of the charts. Okabe–Ito (Okabe & Ito 2008, "Color Universal Design"): eight colours that
 * stay distinct for the common colour-vision deficiencies. The darker ones come first (they reach 3:1 against white,
 * WCAG 1.4.11); every shape also has a dark outline, a pattern of its own and a text label, so that no information
 * is carried by colour alone, and grey-scale printing keeps series apart.
 */
export const OKABE_ITO = [
  '#0072B2', // blue
  '#D55E00', // vermillion
  '#009E73', // bluish green
  '#CC79A7', // reddish purple
  '#E69F00', // orange
  '#56B4E9', // sky blue
  '#F0E442', // yellow
  '#000000', // black
] as const;

/** An increase (red-orange) and a decrease (green) in waterfalls and deltas; the sign is also written. */
export const INCREASE = '#D55E00';
export const DECREASE = '#009E73';
export const NEUTRAL = '#0072B2';
export const OUTLINE = '#1a1a1a';
export const AXIS = '#595959';

export const colourOf = (i: number): string => OKABE_ITO[i % OKABE_ITO.length]!;

/** Pattern kinds, one per series index (cycled); `solid` draws nothing over the colour. */
export const PATTERNS = [
  'solid',
  'diagonal',
  'dots',
  'horizontal',
  'crosshatch',
  'vertical',
  'antidiagonal',
  'grid',
] as const;
export type PatternKind = (typeof PATTERNS)[number];
export const patternOf = (i: number): PatternKind => PATTERNS[i % PATTERNS.length]!;
