import { mkdtemp, readFile, readdir, writeFile, appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { JournalTable } from './journal-table.js';

async function tempFile(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'journal-'));
  return path.join(dir, 'rows.jsonl');
}

describe('JournalTable', () => {
  it('keeps committed rows across a reopen, in insertion order', async () => {
    const file = await tempFile();
    const a = await JournalTable.open<{ n: number }>(file);
    await a.commit([
      { key: 'x', value: { n: 1 } },
      { key: 'y', value: { n: 2 } },
    ]);
    await a.commit([
      { key: 'x', value: { n: 3 } },
      { key: 'y', delete: true },
    ]);
    await a.close();
    const b = await JournalTable.open<{ n: number }>(file);
    expect([...b.keys()]).toEqual(['x']);
    expect(b.get('x')).toEqual({ n: 3 });
  });

  it('groups concurrent commits and resolves each of them', async () => {
    const file = await tempFile();
    const t = await JournalTable.open<number>(file);
    await Promise.all(Array.from({ length: 50 }, (_, i) => t.commit([{ key: `k${i}`, value: i }])));
    await t.close();
    const lines = (await readFile(file, 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(50);
  });

  it('keeps a complete last line that lost only its newline, silently', async () => {
    const file = await tempFile();
    await writeFile(file, '{"k":"a","v":1}\n{"k":"b","v":2}');
    const t = await JournalTable.open<number>(file);
    expect(t.recovery).toBeNull();
    expect([...t.keys()]).toEqual(['a', 'b']);
    await t.commit([{ key: 'c', value: 3 }]);
    await t.close();
    const again = await JournalTable.open<number>(file);
    expect([...again.keys()]).toEqual(['a', 'b', 'c']);
  });

  it('reports a cut last line as one record lost, keeps the file aside, appends cleanly', async () => {
    const file = await tempFile();
    await writeFile(file, '{"k":"a","v":1}\n{"k":"b","v":');
    const t = await JournalTable.open<number>(file);
    expect(t.recovery).toMatchObject({ badLines: 1, keptRows: 1 });
    const names = await readdir(path.dirname(file));
    expect(names.filter((n) => /^rows\.jsonl\.broken-/.test(n))).toHaveLength(1);
    expect([...t.keys()]).toEqual(['a']);
    await t.commit([{ key: 'c', value: 3 }]);
    await t.close();
    const again = await JournalTable.open<number>(file);
    expect([...again.keys()]).toEqual(['a', 'c']);
  });

  it('moves a corrupted file aside with a time stamp and keeps the readable rows', async () => {
    const file = await tempFile();
    await writeFile(file, '{"k":"a","v":1}\nGARBAGE\n{"k":"b","v":2}\n');
    const t = await JournalTable.open<number>(file);
    expect(t.recovery).toMatchObject({ badLines: 1, keptRows: 2 });
    const names = await readdir(path.dirname(file));
    expect(names.some((n) => /^rows\.jsonl\.broken-\d{4}-\d\d-\d\dT/.test(n))).toBe(true);
    expect([...t.keys()]).toEqual(['a', 'b']);
  });

  it('leaves a damaged file in place until its repaired version replaces it', async () => {
    const file = await tempFile();
    const damaged = '{"k":"a","v":1}\nGARBAGE\n{"k":"b","v":2}\n';
    await writeFile(file, damaged);
    // The repaired version cannot be written: as if the process died before it replaced the file.
    const { mkdir, rm } = await import('node:fs/promises');
    await mkdir(`${file}.tmp`);
    await expect(JournalTable.open<number>(file)).rejects.toThrow();
    expect(await readFile(file, 'utf8')).toBe(damaged);
    const kept = (await readdir(path.dirname(file))).filter((n) =>
      n.startsWith('rows.jsonl.broken-'),
    );
    expect(kept).toHaveLength(1);
    expect(await readFile(path.join(path.dirname(file), kept[0] ?? ''), 'utf8')).toBe(damaged);
    // The next start finds the damage again and repairs it.
    await rm(`${file}.tmp`, { recursive: true });
    const t = await JournalTable.open<number>(file);
    expect(t.recovery).toMatchObject({ badLines: 1, keptRows: 2 });
    expect([...t.keys()]).toEqual(['a', 'b']);
  });

  it('reads an empty line in the middle line by line, losing nothing', async () => {
    const file = await tempFile();
    await writeFile(file, '{"k":"a","v":1}\n\n{"k":"b","v":2}\n{"k":"a","d":1}\n');
    const t = await JournalTable.open<number>(file);
    expect(t.recovery).toBeNull();
    expect([...t.keys()]).toEqual(['b']);
    expect(t.get('b')).toBe(2);
  });

  it('counts a row its validator refuses as lost, even in a file that parses whole', async () => {
    const file = await tempFile();
    await writeFile(file, '{"k":"a","v":1}\n{"k":"b","v":"two"}\n{"k":"c","v":3}\n');
    const t = await JournalTable.open<number>(file, {
      validate: (v): v is number => typeof v === 'number',
    });
    expect(t.recovery).toMatchObject({ badLines: 1, keptRows: 2 });
    expect([...t.keys()]).toEqual(['a', 'c']);
  });

  it('keeps text with multi-byte characters and escaped newlines intact', async () => {
    const file = await tempFile();
    const a = await JournalTable.open<string>(file);
    await a.commit([
      { key: 'é', value: 'Température\nélevée 😀' },
      { key: 'x', value: 'plain' },
    ]);
    await a.close();
    const b = await JournalTable.open<string>(file);
    expect(b.get('é')).toBe('Température\nélevée 😀');
    expect([...b.keys()]).toEqual(['é', 'x']);
  });

  it('resolves a non-durable commit and a durable one made right after it', async () => {
    const file = await tempFile();
    const t = await JournalTable.open<number>(file);
    await t.commit([{ key: 'a', value: 1 }]);
    await t.commit([{ key: 'b', value: 2 }], { durable: false });
    await t.commit([{ key: 'c', value: 3 }]);
    await t.close();
    const again = await JournalTable.open<number>(file);
    expect([...again.keys()]).toEqual(['a', 'b', 'c']);
  });

  it('tells when the lines are written, before the commit resolves, and not when it fails', async () => {
    const file = await tempFile();
    const t = await JournalTable.open<number>(file);
    const events: string[] = [];
    await t
      .commit([{ key: 'a', value: 1 }], { onWritten: () => events.push('written') })
      .then(() => events.push('durable'));
    expect(events).toEqual(['written', 'durable']);
    expect(await readFile(file, 'utf8')).toBe('{"k":"a","v":1}\n');
    await t.close();
    const { rm, mkdir } = await import('node:fs/promises');
    await rm(file);
    await mkdir(file);
    let written = false;
    await expect(
      t.commit([{ key: 'b', value: 2 }], { onWritten: () => (written = true) }),
    ).rejects.toThrow();
    expect(written).toBe(false);
  });

  it('compacts when dead lines outnumber live rows', async () => {
    const file = await tempFile();
    const t = await JournalTable.open<number>(file, { slack: 10 });
    for (let i = 0; i < 100; i++) await t.commit([{ key: 'same', value: i }]);
    await t.close();
    const lines = (await readFile(file, 'utf8')).trim().split('\n');
    expect(lines.length).toBeLessThan(20);
    const again = await JournalTable.open<number>(file);
    expect(again.get('same')).toBe(99);
  });

  it('rolls back the in-memory change when the write fails', async () => {
    const file = await tempFile();
    const t = await JournalTable.open<number>(file);
    await t.commit([{ key: 'a', value: 1 }]);
    await t.close();
    // Replace the file by a directory so that opening it for append fails.
    const { rm, mkdir } = await import('node:fs/promises');
    await rm(file);
    await mkdir(file);
    await expect(t.commit([{ key: 'b', value: 2 }])).rejects.toThrow();
    expect(t.has('b')).toBe(false);
    await appendFile(path.join(file, 'x'), '');
  });
});
