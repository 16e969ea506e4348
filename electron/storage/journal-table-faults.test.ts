/**
 * JournalTable when the disk fails under it (review F3, F4, F7): writes cut short, an
 * fdatasync that fails, a cut-back that fails, commits queued behind a failed one, and the
 * folder fsyncs that make new files and renames durable.
 */
import { mkdtemp, readFile, realpath, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { injectFsFaults, type FsFaults } from './fs-faults.js';
import { JournalTable, moveAside } from './journal-table.js';

let faults: FsFaults | undefined;
afterEach(() => {
  faults?.restore();
  faults = undefined;
});

async function tempFile(): Promise<string> {
  const dir = await realpath(await mkdtemp(path.join(tmpdir(), 'journal-faults-')));
  return path.join(dir, 'rows.jsonl');
}

describe('a failed append leaves no trace (F3)', () => {
  it('a write cut short by a full disk is cut off; the next line stays readable', async () => {
    const file = await tempFile();
    const t = await JournalTable.open<string>(file);
    await t.commit([{ key: 'a', value: 'saved' }]);
    const sizeBefore = (await stat(file)).size;
    faults = injectFsFaults();
    faults.add({ file, call: 'write', partialBytes: 7 });
    await expect(t.commit([{ key: 'b', value: 'lost' }])).rejects.toThrow(/ENOSPC/);
    expect((await stat(file)).size).toBe(sizeBefore);
    expect(t.has('b')).toBe(false);
    await t.commit([{ key: 'c', value: 'after' }]);
    await t.close();
    const again = await JournalTable.open<string>(file);
    expect(again.recovery).toBeNull();
    expect([...again.keys()]).toEqual(['a', 'c']);
  });

  it('lines whose fdatasync failed are cut off again: memory and file agree', async () => {
    const file = await tempFile();
    const t = await JournalTable.open<string>(file);
    await t.commit([{ key: 'a', value: 'saved' }]);
    faults = injectFsFaults();
    faults.add({ file, call: 'datasync', code: 'EIO' });
    await expect(t.commit([{ key: 'a', value: 'changed' }])).rejects.toThrow(/EIO/);
    expect(t.get('a')).toBe('saved');
    await t.close();
    const again = await JournalTable.open<string>(file);
    expect(again.get('a')).toBe('saved');
    expect(await readFile(file, 'utf8')).toBe('{"k":"a","v":"saved"}\n');
  });

  it('when the cut-back fails too, every later commit is refused until the table is reopened', async () => {
    const file = await tempFile();
    const t = await JournalTable.open<string>(file);
    await t.commit([{ key: 'a', value: 'saved' }]);
    faults = injectFsFaults();
    faults.add({ file, call: 'write', partialBytes: 5 });
    faults.add({ file, call: 'ftruncate', code: 'EIO' });
    await expect(t.commit([{ key: 'b', value: 'lost' }])).rejects.toThrow(/ENOSPC/);
    await expect(t.commit([{ key: 'c', value: 'refused' }])).rejects.toThrow(
      /rows\.jsonl could not be repaired after a failed write .*until the app restarts/,
    );
    expect(t.has('c')).toBe(false);
    await t.close();
    faults.restore();
    const again = await JournalTable.open<string>(file);
    // The fragment left behind is reported as damage and dropped; the saved row stays.
    expect(again.recovery).toMatchObject({ badLines: 1, keptRows: 1 });
    await again.commit([{ key: 'd', value: 'works' }]);
    expect([...again.keys()]).toEqual(['a', 'd']);
  });
});

describe('a failed commit never brings back an older value (F7)', () => {
  it('a commit queued behind a failed one on the same key fails with it', async () => {
    const file = await tempFile();
    const t = await JournalTable.open<string>(file);
    await t.commit([{ key: 'x', value: 'v0' }]);
    faults = injectFsFaults();
    faults.add({ file, call: 'datasync', code: 'EIO' });
    let later: Promise<void> | undefined;
    const first = t.commit([{ key: 'x', value: 'v1' }], {
      // Lands in the next batch, while the first one waits for its fdatasync.
      onWritten: () => {
        later = t.commit([{ key: 'x', value: 'v2' }]);
      },
    });
    await expect(first).rejects.toThrow(/EIO/);
    if (!later) throw new Error('the second commit was not made');
    await expect(later).rejects.toThrow(/EIO/);
    const inMemory = t.get('x');
    await t.close();
    const again = await JournalTable.open<string>(file);
    expect(again.get('x')).toBe(inMemory);
    expect(inMemory).toBe('v0');
  });
});

describe('durable folder entries and compaction (F4)', () => {
  it('fsyncs the folder once when the file is created, not per append', async () => {
    const file = await tempFile();
    faults = injectFsFaults();
    const t = await JournalTable.open<number>(file);
    for (let i = 0; i < 5; i++) await t.commit([{ key: `k${i}`, value: i }]);
    const dir = path.dirname(file);
    expect(faults.synced.filter((p) => p === dir)).toHaveLength(1);
    expect(faults.synced.filter((p) => p === file)).toHaveLength(5);
    // The folder entry was made durable after the first file fsync.
    expect(faults.synced.indexOf(dir)).toBe(1);
    await t.close();
  });

  it('fsyncs the folder after compaction renames the file, and after moving a file aside', async () => {
    const file = await tempFile();
    await writeFile(file, '{"k":"a","v":0}\n');
    faults = injectFsFaults();
    const t = await JournalTable.open<number>(file, { slack: 0 });
    const dir = path.dirname(file);
    for (let i = 1; i <= 3; i++) await t.commit([{ key: 'a', value: i }]);
    expect(faults.synced.filter((p) => p === dir).length).toBeGreaterThanOrEqual(1);
    expect((await readFile(file, 'utf8')).trim().split('\n').length).toBeLessThan(3);
    await t.close();
    const before = faults.synced.length;
    moveAside(file);
    expect(faults.synced.slice(before)).toEqual([dir]);
  });

  it('compaction copies only rows already written: a change whose write then fails is not kept', async () => {
    const file = await tempFile();
    await writeFile(file, '{"k":"a","v":"a0"}\n{"k":"b","v":"b0"}\n');
    const t = await JournalTable.open<string>(file, { slack: 0 });
    faults = injectFsFaults();
    let later: Promise<void> | undefined;
    // Three lines over two rows, each fsync'd: the table compacts after this batch, while the
    // change made in onWritten still waits for its write.
    await t.commit(
      [
        { key: 'a', value: 'a1' },
        { key: 'a', value: 'a2' },
      ],
      {
        onWritten: () => {
          later = t.commit([
            { key: 'b', value: 'b-unsaved' },
            { key: 'a', delete: true },
          ]);
          faults?.add({ file, call: 'write', code: 'ENOSPC' });
        },
      },
    );
    if (!later) throw new Error('the second commit was not made');
    await expect(later).rejects.toThrow(/ENOSPC/);
    expect(t.get('b')).toBe('b0');
    expect(t.get('a')).toBe('a2');
    await t.close();
    faults.restore();
    const again = await JournalTable.open<string>(file);
    expect(again.get('b')).toBe('b0');
    expect(again.get('a')).toBe('a2');
  });
});
