// Per-request log lines exist only from --log-level debug on, so they carry the debug level.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { buildTestApp } from '../helper.js';

async function logLinesAt(logLevel: 'debug' | 'info'): Promise<Array<{ level: number; msg: string }>> {
  let logs = '';
  const logStream = new Writable({ write: (chunk, _enc, done) => ((logs += chunk.toString()), done()) });
  const app = await buildTestApp({ logLevel }, { logStream });
  try {
    await app.inject({ url: '/_keyforge/health' });
    await app.inject({ url: '/nowhere' });
    await app.inject({
      method: 'POST',
      url: '/v1/api_keys',
      headers: { authorization: 'Api-Key kfdemo01.BasetenDemoKey000000000000000000' },
      payload: {},
    });
  } finally {
    await app.close();
  }
  return logs
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as { level: number; msg: string });
}

describe('request log lines', () => {
  it('are written at debug level (20) when --log-level is debug', async () => {
    const lines = await logLinesAt('debug');
    const requestLines = lines.filter((l) => l.msg === 'incoming request' || l.msg === 'request completed');
    expect(requestLines.length).toBeGreaterThanOrEqual(6);
    expect(new Set(requestLines.map((l) => l.level))).toEqual(new Set([20]));
  });

  it('are not written at info level', async () => {
    const lines = await logLinesAt('info');
    expect(lines.filter((l) => l.msg === 'incoming request' || l.msg === 'request completed')).toEqual([]);
  });
});
