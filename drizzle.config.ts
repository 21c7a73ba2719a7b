// drizzle-kit, once per engine: `npm run db:generate` runs it twice and writes migrations/sqlite/
// and migrations/postgres/ from each dialect's schema; DRIZZLE_DIALECT=postgresql picks the second.
import { defineConfig } from 'drizzle-kit';

export default process.env.DRIZZLE_DIALECT === 'postgresql'
  ? defineConfig({ dialect: 'postgresql', schema: './src/db/postgres/schema.ts', out: './migrations/postgres' })
  : defineConfig({ dialect: 'sqlite', schema: './src/db/sqlite/schema.ts', out: './migrations/sqlite' });
