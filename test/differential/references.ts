// The two sides of a differential replay, each listening on a free port of 127.0.0.1: keyforge
// (the real app, fast argon2, in-memory SQLite) and a vendor's reference — a stock FastAPI app
// on uvicorn in the venv scripts/differential-venv.sh builds, or the stock Fastify app for Basic.
// Whatever a test started is stopped after it, and a reference process dies with the worker.
import { spawn, type ChildProcess } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { inject } from 'vitest';
import { buildTestApp } from '../helper.js';
import { VENV_PYTHON } from './venv.js';

const HERE = fileURLToPath(new URL('.', import.meta.url));

export interface Side {
  port: number;
  close(): Promise<void>;
}

const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

/** Starts `test/differential/<app>` on uvicorn and resolves once it prints its port. */
export function startFastApiReference(app: string): Promise<Side> {
  const child = spawn(VENV_PYTHON, [app], {
    cwd: HERE,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
  });
  children.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  exited.then(() => children.delete(child));
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${app} did not start:\n${output}`)), 15_000);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const port = /^(\d+)\n/.exec(output)?.[1];
      if (port === undefined) return;
      clearTimeout(timer);
      resolve({
        port: Number(port),
        close: async () => {
          child.stdin!.end(); // reference_server.py stops when its stdin closes
          const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
          await exited;
          clearTimeout(killer);
        },
      });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${app} exited with ${code}:\n${output}`));
    });
  });
}

/** A Fastify app (keyforge, or Basic's stock reference) listening on a free port. */
export async function listening(app: FastifyInstance): Promise<Side> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { port: (app.server.address() as AddressInfo).port, close: () => app.close() };
}

/** keyforge as a real listener, so Node's HTTP server (Expect, framing) is part of the comparison. */
export async function startKeyforge(): Promise<Side> {
  return listening(await buildTestApp());
}

/**
 * Whether this file's FastAPI replays can run. Without the venv they are skipped, with one
 * message from global setup (differential-setup.ts); where KEYFORGE_TEST_REQUIRED=1 (CI) the
 * setup has already failed the run.
 */
export const fastApiReferencesAvailable = (): boolean => inject('differentialVenv');
