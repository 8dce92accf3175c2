/**
 * The six colors of the Flask app this rewrites (see README), in the order
 * its error message lists them.
 */
export const COLORS = {
  red: '#e74c3c',
  green: '#16a085',
  blue: '#2980b9',
  blue2: '#30336b',
  pink: '#be2edd',
  darkblue: '#130f40',
} as const;

export type ColorName = keyof typeof COLORS;

/** Where the process's color came from, reported in the start log line. */
export type ColorSource = 'flag' | 'env' | 'random';

export interface ChosenColor {
  readonly name: ColorName;
  readonly hex: string;
  readonly source: ColorSource;
}

export const COLOR_NAMES = Object.keys(COLORS) as readonly ColorName[];

/** Thrown for a color outside the table; the message is the Flask app's, word for word. */
export class UnsupportedColorError extends Error {
  constructor(readonly received: string) {
    super(`Color not supported. Received '${received}' expected one of ${COLOR_NAMES.join(',')}`);
    this.name = 'UnsupportedColorError';
  }
}

/** Case-sensitive, like the Flask app: `Red` is not `red`. */
export function isColorName(value: string): value is ColorName {
  return Object.hasOwn(COLORS, value);
}

export interface ColorChoiceInputs {
  /** The `--color` argument, if given. */
  readonly flag?: string | undefined;
  /** `APP_COLOR`; an empty string counts as unset. */
  readonly env?: string | undefined;
  /** Picks an index in `[0, count)`; injectable so tests can pin the random pick. */
  readonly randomIndex?: (count: number) => number;
}

/**
 * `--color` beats `APP_COLOR` beats a random pick. Called once per process,
 * so the color stays fixed for every request.
 */
export function chooseColor(inputs: ColorChoiceInputs): ChosenColor {
  const { flag, env, randomIndex = (count) => Math.floor(Math.random() * count) } = inputs;
  if (flag !== undefined) return named(flag, 'flag');
  if (env !== undefined && env !== '') return named(env, 'env');
  const name = COLOR_NAMES[randomIndex(COLOR_NAMES.length)];
  if (name === undefined)
    throw new RangeError('randomIndex returned an index outside the color table');
  return { name, hex: COLORS[name], source: 'random' };
}

function named(value: string, source: ColorSource): ChosenColor {
  if (!isColorName(value)) throw new UnsupportedColorError(value);
  return { name: value, hex: COLORS[value], source };
}
