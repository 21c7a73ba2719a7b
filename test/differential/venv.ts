// Where scripts/differential-venv.sh puts the Python venv the FastAPI reference apps run in.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const VENV_PYTHON = fileURLToPath(new URL('../../build/differential-venv/bin/python', import.meta.url));
export const venvExists = (): boolean => existsSync(VENV_PYTHON);
export const VENV_HINT =
  'create it with `bash scripts/differential-venv.sh` (needs python3 and a reachable package index)';
