// Basic against a stock Fastify app (basic-reference.ts): no venv needed, it always runs.
import { basicReference } from './basic-reference.js';
import { differentialSuite } from './suite.js';
import { listening } from './references.js';

differentialSuite('basic', () => listening(basicReference()), 240_003);
