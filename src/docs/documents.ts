// Every generated document's settings by name: each vendor's from its dialect, and the admin API's.
import { adminDocument } from '../admin/document.js';
import { DIALECTS } from '../vendors/index.js';
import type { DocumentName, DocumentSettings } from './settings.js';

export const DOCUMENTS = Object.fromEntries([
  ...DIALECTS.map((d) => [d.name, d.document] as const),
  ['keyforge', adminDocument] as const,
]) as Record<DocumentName, DocumentSettings>;
