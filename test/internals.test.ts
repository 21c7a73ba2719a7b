// keyforge uses a few libraries' internals, each in one file; these tests fail loudly when an
// upgrade changes what that file relies on (each names the file to update):
// - src/http/validation.ts: zod's core `_safeParse`, called with an error class of ours;
// - src/db/postgres/pipeline.ts: node-postgres's socket at `client.connection.stream`, and its
//   `pipeline` option;
// - src/vendors/bytebeam/transit-cache.ts: transit-js's writer cache option and decoder
//   handler table (test/vendors/bytebeam-transit-safety.test.ts);
// - scripts/bundle-patches.ts: the calls in argon2's and better-sqlite3's sources that find
//   their compiled files.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Socket } from 'node:net';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ADDON_PATCHES } from '../scripts/bundle-patches.js';
import { zodValidatorCompiler, RequestValidationError } from '../src/http/validation.js';

describe("zod's core _safeParse (src/http/validation.ts)", () => {
  it('is a function that reports failures with the class it is given', () => {
    expect(typeof z.core._safeParse).toBe('function');
    class Issues {
      constructor(readonly issues: z.core.$ZodIssue[]) {}
    }
    const parse = z.core._safeParse(Issues as unknown as z.core.$ZodErrorClass);
    const result = parse(z.object({ name: z.string() }), { name: 1 }) as { success: boolean; error?: unknown };
    expect(result.success).toBe(false);
    expect(result.error).toBeInstanceOf(Issues);
    expect((result.error as Issues).issues).toMatchObject([{ code: 'invalid_type', path: ['name'] }]);
  });

  it('gives the validator compiler the issues intact', () => {
    const validate = zodValidatorCompiler({
      schema: z.object({ name: z.string().min(2) }),
      httpPart: 'body',
      method: 'POST',
      url: '/',
    });
    const failed = validate({ name: 'a' }) as { error: RequestValidationError };
    expect(failed.error).toBeInstanceOf(RequestValidationError);
    expect(failed.error.issues).toMatchObject([{ code: 'too_small', minimum: 2, path: ['name'] }]);
    expect(validate({ name: 'ab' })).toEqual({ value: { name: 'ab' } });
  });
});

describe("node-postgres's socket and pipeline mode (src/db/postgres/pipeline.ts)", () => {
  it('keeps the socket at client.connection.stream', () => {
    const client = new pg.Client({});
    expect((client as unknown as { connection: { stream: unknown } }).connection.stream).toBeInstanceOf(Socket);
  });

  it('takes the pipeline option', () => {
    const client = new pg.Client({ pipeline: true } as pg.ClientConfig);
    expect((client as unknown as { pipeline: boolean }).pipeline).toBe(true);
  });
});

describe("the native addons' lookups the bundle rewrites (scripts/bundle-patches.ts)", () => {
  it.each(ADDON_PATCHES.map((patch) => [patch.name, patch] as const))(
    '%s still finds its compiled file with the call the patch replaces',
    (_name, patch) => {
      const source = readFileSync(
        join(dirname(createRequire(import.meta.url).resolve(patch.name)), patch.file),
        'utf8',
      );
      expect(source.split(patch.lookup).length - 1, `${patch.name}/${patch.file} calls ${patch.lookup} once`).toBe(1);
    },
  );
});
