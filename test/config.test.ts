import { describe, expect, it } from 'vitest';
import { ConfigError, demoEnabled, HELP, parseConfig, SETTINGS } from '../src/config.js';

describe('parseConfig', () => {
  it('uses the documented defaults', () => {
    const { config, help } = parseConfig([], {});
    expect(help).toBe(false);
    expect(config).toEqual({
      port: 4010,
      host: '127.0.0.1',
      db: './keyforge.db',
      dbPool: 10,
      hashProfile: 'owasp',
      auth: 'strict',
      logLevel: 'info',
      bodyLimit: 1048576,
      journalSize: 1000,
      rateLimit: 0,
    });
    expect(demoEnabled(config)).toBe(true);
  });

  it('reads environment variables', () => {
    const { config } = parseConfig([], {
      PORT: '5000',
      KEYFORGE_DB: ':memory:',
      KEYFORGE_HASH_PROFILE: 'fast',
      KEYFORGE_DEMO: '0',
    });
    expect(config).toMatchObject({ port: 5000, db: ':memory:', hashProfile: 'fast', demo: false });
  });

  it('lets flags override the environment', () => {
    const { config } = parseConfig(['--port', '0', '--hash-profile=fast', '--admin-token', 'from-flag-123'], {
      PORT: '5000',
      KEYFORGE_HASH_PROFILE: 'owasp',
      KEYFORGE_ADMIN_TOKEN: 'from-env-1234',
    });
    expect(config).toMatchObject({ port: 0, hashProfile: 'fast', adminToken: 'from-flag-123' });
  });

  it('turns demo credentials off with --no-demo and off loopback by default', () => {
    expect(parseConfig(['--no-demo'], {}).config.demo).toBe(false);
    expect(demoEnabled(parseConfig(['--host', '0.0.0.0'], {}).config)).toBe(false);
    expect(demoEnabled(parseConfig(['--host', '0.0.0.0', '--demo'], {}).config)).toBe(true);
  });

  it.each([
    [['--port', '70000'], {}, 'invalid --port / PORT: must be at most 65535 (got "70000")'],
    [['--port', 'abc'], {}, 'invalid --port / PORT: must be a number (got "abc")'],
    [['--port', '-1'], {}, 'invalid --port / PORT: must be at least 0 (got "-1")'],
    [['--port', '-65536'], {}, 'invalid --port / PORT: must be at least 0 (got "-65536")'],
    [['--port=-2'], {}, 'invalid --port / PORT: must be at least 0 (got "-2")'],
    [[], { PORT: '-1' }, 'invalid --port / PORT: must be at least 0 (got "-1")'],
    [['--port', ' '], {}, 'invalid --port / PORT: must be a number'],
    [['--port', '1.5'], {}, 'invalid --port / PORT: must be an integer'],
    [['--db-pool', '-3'], {}, 'invalid --db-pool / KEYFORGE_DB_POOL: must be at least 1'],
    [['--body-limit', '100'], {}, 'invalid --body-limit / KEYFORGE_BODY_LIMIT: must be at least 1024'],
    [[], { KEYFORGE_HASH_PROFILE: 'slow' }, 'invalid --hash-profile / KEYFORGE_HASH_PROFILE'],
    [['--auth', 'maybe'], {}, 'invalid --auth / KEYFORGE_AUTH'],
    [['--admin-token', 'short'], {}, 'invalid --admin-token / KEYFORGE_ADMIN_TOKEN: must be at least 8 characters'],
    [['--bogus'], {}, "Unknown option '--bogus'"],
  ])('rejects %j %j with one line naming the setting', (argv, env, message) => {
    expect(() => parseConfig(argv, env)).toThrow(ConfigError);
    try {
      parseConfig(argv, env);
    } catch (err) {
      expect((err as Error).message).toContain(message);
      expect((err as Error).message).not.toContain('\n');
    }
  });

  it('recognises --help', () => {
    expect(parseConfig(['--help'], {}).help).toBe(true);
  });

  it('never says a negative number is an ambiguous option, nor that it received NaN', () => {
    for (const argv of [
      ['--port', '-1'],
      ['--journal-size', '-10'],
      ['--port', 'abc'],
      ['--rate-limit', 'many'],
    ]) {
      expect(() => parseConfig(argv, {})).toThrow(/^invalid --[a-z-]+ \/ [A-Z_]+: must be /);
      expect(() => parseConfig(argv, {})).not.toThrow(/ambiguous|NaN/);
    }
  });
});

describe('--help', () => {
  it('lists every flag with its environment variable, --demo and --no-demo included', () => {
    for (const { flag, env } of SETTINGS) {
      expect(HELP).toContain(`--${flag} `);
      expect(HELP).toContain(env);
    }
    expect(HELP).toContain('--demo / --no-demo');
    expect(HELP).toContain('--help');
  });

  it('states the minimums and ranges the settings enforce', () => {
    expect(HELP).toMatch(/--body-limit .*1024-67108864/);
    expect(HELP).toMatch(/--admin-token .*at least 8 characters/);
    expect(HELP).toMatch(/--port .*0-65535/);
    expect(HELP).toContain('Exit status');
  });
});
