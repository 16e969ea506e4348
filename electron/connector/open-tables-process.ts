/**
 * Tests only: a child process that opens the data folder's tables (importing the journals of
 * the earlier release), prints "opened" and waits to be killed. The upgrade test kills it at
 * chosen moments of the import to prove that the import happens exactly once.
 *
 *   node --import tsx electron/connector/open-tables-process.ts <data folder>
 */
import { TicketTables } from './ticket-tables.js';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: open-tables-process.ts <data folder>');
process.stdout.write('opening\n');
const tables = TicketTables.open(dataDir);
process.stdout.write(`opened ${tables.tickets.size}\n`);
setInterval(() => undefined, 1000);
