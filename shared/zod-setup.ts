/**
 * zod configured before any schema exists: `jitless` stops zod from probing `new Function`
 * (its fast object parser), which the renderer's Content-Security-Policy refuses and reports
 * as a violation on every start. Imported first by `schemas.ts`, which every bundle loads.
 */
import { z } from 'zod';

z.config({ jitless: true });
