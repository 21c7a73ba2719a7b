// Once per `npm test`: builds the console page into dist/ui/ (about a tenth of a second), so
// the tests that serve it, and the browser test, see the current sources, not an older build.
import { buildConsole } from '../scripts/build-console.js';

export default async function setup(): Promise<void> {
  await buildConsole();
}
