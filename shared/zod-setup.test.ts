import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { settingsUpdateSchema } from './schemas.js';

describe('zod as the app configures it', () => {
  it('is jitless once the schemas are loaded, so it never probes new Function', () => {
    expect(settingsUpdateSchema.safeParse({}).success).toBe(true);
    expect(z.config().jitless).toBe(true);
  });
});
