// Imtegrate against a stock FastAPI 0.142 / pydantic 2.13 app on uvicorn (imtegrate_app.py).
import { differentialSuite } from './suite.js';
import { fastApiReferencesAvailable, startFastApiReference } from './references.js';

differentialSuite('imtegrate', () => startFastApiReference('imtegrate_app.py'), 240_002, fastApiReferencesAvailable());
