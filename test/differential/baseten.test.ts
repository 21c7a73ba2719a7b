// Baseten against a stock FastAPI 0.142 / pydantic 2.13 app on uvicorn (baseten_app.py).
import { differentialSuite } from './suite.js';
import { fastApiReferencesAvailable, startFastApiReference } from './references.js';

differentialSuite('baseten', () => startFastApiReference('baseten_app.py'), 240_001, fastApiReferencesAvailable());
