import { describe, expect, it } from 'vitest';
import { DEFAULT_DATAMINER_PORT, parseDataMinerArgs } from './dataminer-cli.js';

describe('npm run dataminer options', () => {
  it('default to 127.0.0.1, the default port and a data folder here', () => {
    expect(parseDataMinerArgs([])).toEqual({
      kind: 'run',
      options: {
        host: '127.0.0.1',
        port: DEFAULT_DATAMINER_PORT,
        dataDir: 'dataminer-data',
        initialAlarms: 500,
        changesPerSecond: 1,
        seed: 1,
        clearedSeconds: 60,
      },
    });
  });

  it('take the host, port, data folder and sizes', () => {
    const parsed = parseDataMinerArgs(
      ['--host', '0.0.0.0', '--port', '0', '--data-dir', '/srv/dm', '--alarms', '2000'].concat([
        '--rate',
        '0.5',
        '--seed',
        '9',
      ]),
    );
    expect(parsed).toEqual({
      kind: 'run',
      options: {
        host: '0.0.0.0',
        port: 0,
        dataDir: '/srv/dm',
        initialAlarms: 2000,
        changesPerSecond: 0.5,
        seed: 9,
        clearedSeconds: 60,
      },
    });
  });

  it('refuse bad values and unknown options with a sentence', () => {
    expect(parseDataMinerArgs(['--port', '70000'])).toEqual({
      kind: 'error',
      message: '--port must be a number, not "70000"',
    });
    expect(parseDataMinerArgs(['--alarms', '1.5'])).toMatchObject({ kind: 'error' });
    expect(parseDataMinerArgs(['--port'])).toEqual({
      kind: 'error',
      message: '--port needs a value',
    });
    expect(parseDataMinerArgs(['--colour', 'red'])).toEqual({
      kind: 'error',
      message: 'unknown option --colour',
    });
    expect(parseDataMinerArgs(['--help'])).toEqual({ kind: 'help' });
  });
});
