// Once per `npm test`: whether the differential replays against stock FastAPI can run. They need
// the venv of scripts/differential-venv.sh; without it they are skipped with this one message —
// unless KEYFORGE_TEST_REQUIRED=1 (CI), where a missing venv fails the run.
import type { TestProject } from 'vitest/node';
import { VENV_HINT, venvExists } from './venv.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The FastAPI reference apps' venv exists (build/differential-venv). */
    differentialVenv: boolean;
  }
}

export default function setup(project: TestProject): void {
  const exists = venvExists();
  if (!exists && process.env.KEYFORGE_TEST_REQUIRED === '1') {
    throw new Error(`KEYFORGE_TEST_REQUIRED=1 but build/differential-venv is missing: ${VENV_HINT}`);
  }
  if (!exists)
    console.warn(
      `Differential suites against stock FastAPI (test/differential/) skipped: build/differential-venv is missing; ${VENV_HINT}`,
    );
  project.provide('differentialVenv', exists);
}
