import { describe, expect, it } from 'vitest';
import {
  COLORS,
  COLOR_NAMES,
  chooseColor,
  isColorName,
  UnsupportedColorError,
} from '../src/colors.js';

describe('the color table', () => {
  it('holds exactly the six colors of the original app, with their hex codes', () => {
    expect(COLORS).toEqual({
      red: '#e74c3c',
      green: '#16a085',
      blue: '#2980b9',
      blue2: '#30336b',
      pink: '#be2edd',
      darkblue: '#130f40',
    });
    expect(COLOR_NAMES).toEqual(['red', 'green', 'blue', 'blue2', 'pink', 'darkblue']);
  });

  it('is case-sensitive and ignores inherited keys', () => {
    expect(isColorName('red')).toBe(true);
    expect(isColorName('Red')).toBe(false);
    expect(isColorName('toString')).toBe(false);
  });
});

describe('chooseColor', () => {
  it('takes --color over APP_COLOR', () => {
    expect(chooseColor({ flag: 'pink', env: 'red' })).toEqual({
      name: 'pink',
      hex: '#be2edd',
      source: 'flag',
    });
  });

  it('takes APP_COLOR when there is no flag', () => {
    expect(chooseColor({ env: 'darkblue' })).toEqual({
      name: 'darkblue',
      hex: '#130f40',
      source: 'env',
    });
  });

  it('treats an empty APP_COLOR as unset and picks at random', () => {
    const color = chooseColor({ env: '', randomIndex: () => 4 });
    expect(color).toEqual({ name: 'pink', hex: '#be2edd', source: 'random' });
  });

  it('picks at random from the table, each color reachable', () => {
    const seen = COLOR_NAMES.map((_, index) => chooseColor({ randomIndex: () => index }).name);
    expect(seen).toEqual(COLOR_NAMES);
    for (let i = 0; i < 50; i += 1) {
      const { name, hex, source } = chooseColor({});
      expect(COLORS[name]).toBe(hex);
      expect(source).toBe('random');
    }
  });

  it.each([
    [{ flag: 'purple' }, 'purple'],
    [{ flag: 'Red' }, 'Red'],
    [{ env: 'BLUE' }, 'BLUE'],
    [{ flag: '', env: 'red' }, ''],
  ])('rejects %o with the original message', (inputs, received) => {
    expect(() => chooseColor(inputs)).toThrow(UnsupportedColorError);
    expect(() => chooseColor(inputs)).toThrow(
      `Color not supported. Received '${received}' expected one of red,green,blue,blue2,pink,darkblue`,
    );
  });

  it('does not fall back to APP_COLOR when the flag is invalid', () => {
    expect(() => chooseColor({ flag: 'nope', env: 'red' })).toThrow("Received 'nope'");
  });
});
