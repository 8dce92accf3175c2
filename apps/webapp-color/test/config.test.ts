import { describe, expect, it } from 'vitest';
import { webappColor } from '@webapp-color/deploy-specs/definition';
import { COLORS } from '../src/colors.js';
import { InvalidHostError, InvalidLogLevelError, readConfig } from '../src/config.js';
import { LOG_LEVELS } from '../src/logger.js';

describe('readConfig', () => {
  it('defaults to the container port of the delivery definition and version dev', () => {
    const config = readConfig([], {});
    expect(config.port).toBe(webappColor.container.port);
    expect(config.version).toBe('dev');
    expect(config.color.source).toBe('random');
    expect(Object.keys(COLORS)).toContain(config.color.name);
  });

  it('reads --color X and --color=X, which beat APP_COLOR', () => {
    expect(readConfig(['--color', 'red'], { APP_COLOR: 'blue' }).color).toMatchObject({
      name: 'red',
      source: 'flag',
    });
    expect(readConfig(['--color=blue2'], { APP_COLOR: 'blue' }).color.name).toBe('blue2');
  });

  it('reads APP_COLOR, APP_VERSION, PORT and LOG_LEVEL', () => {
    const config = readConfig([], {
      APP_COLOR: 'green',
      APP_VERSION: 'abc1234',
      PORT: '3000',
      LOG_LEVEL: 'warn',
    });
    expect(config).toEqual({
      color: { name: 'green', hex: '#16a085', source: 'env' },
      version: 'abc1234',
      port: 3000,
      logLevel: 'warn',
    });
  });

  it('treats empty APP_COLOR, APP_VERSION, PORT and LOG_LEVEL as unset', () => {
    const config = readConfig([], { APP_COLOR: '', APP_VERSION: '', PORT: '', LOG_LEVEL: '' });
    expect(config.color.source).toBe('random');
    expect(config.version).toBe('dev');
    expect(config.port).toBe(webappColor.container.port);
    expect(config.logLevel).toBe('info');
  });

  it.each(LOG_LEVELS)('accepts LOG_LEVEL=%s', (level) => {
    expect(readConfig([], { LOG_LEVEL: level }).logLevel).toBe(level);
  });

  it.each(['INFO', 'verbose', ' info', '30'])(
    'rejects LOG_LEVEL=%j, naming the variable, the value and the allowed ones',
    (level) => {
      expect(() => readConfig([], { LOG_LEVEL: level })).toThrow(InvalidLogLevelError);
      expect(() => readConfig([], { LOG_LEVEL: level })).toThrow(
        `LOG_LEVEL must be one of fatal,error,warn,info,debug,trace,silent. Received '${level}'`,
      );
    },
  );

  it('accepts PORT=0 (any free port)', () => {
    expect(readConfig([], { PORT: '0' }).port).toBe(0);
  });

  it.each(['abc', '-1', '70000', '80.5'])('rejects PORT=%s', (port) => {
    expect(() => readConfig([], { PORT: port })).toThrow(`Received '${port}'`);
  });

  it('rejects unknown flags and an unknown color', () => {
    expect(() => readConfig(['--colour', 'red'], {})).toThrow();
    expect(() => readConfig(['--color', 'Red'], {})).toThrow(
      "Color not supported. Received 'Red' expected one of red,green,blue,blue2,pink,darkblue",
    );
  });

  it('listens on every interface unless --host names an address', () => {
    expect(readConfig([], {}).host).toBeUndefined();
    expect(readConfig(['--host', '127.0.0.1'], {}).host).toBe('127.0.0.1');
    expect(readConfig(['--host=::1'], {}).host).toBe('::1');
  });

  it.each(['localhost', '127.0.0.256', ''])('rejects --host %j', (host) => {
    expect(() => readConfig(['--host', host], {})).toThrow(InvalidHostError);
    expect(() => readConfig(['--host', host], {})).toThrow(
      `--host must be an IPv4 or IPv6 address, such as 127.0.0.1 or ::1. Received '${host}'`,
    );
  });
});
