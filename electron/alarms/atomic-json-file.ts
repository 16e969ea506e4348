/**
 * A small JSON document on disk, replaced atomically: written to a temporary file beside it,
 * fsynced, renamed over the old one, and the folder fsynced, so a crash leaves either the old
 * or the new document, never half of one. Writes are serialised in call order. Used by the
 * mock DataMiner's alarm state and the console settings (each its own file).
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';

/** What reading found: the document, nothing (first start), or a damaged file kept aside. */
export type JsonFileRead =
  { kind: 'value'; value: unknown } | { kind: 'missing' } | { kind: 'damaged'; movedTo: string };

async function fsyncFolder(dir: string): Promise<void> {
  let handle: fsp.FileHandle | undefined;
  try {
    handle = await fsp.open(dir, 'r');
    await handle.sync();
  } catch {
    // Windows cannot open a folder for this; its renames are durable on their own.
  } finally {
    await handle?.close();
  }
}

/** One JSON file, read once at start and replaced whole on every write. */
export class AtomicJsonFile {
  private chain: Promise<void> = Promise.resolve();
  private seq = 0;

  constructor(readonly file: string) {}

  /** Reads the document; an unparsable file is renamed aside and reported. */
  async read(): Promise<JsonFileRead> {
    let text: string;
    try {
      text = await fsp.readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
      throw error;
    }
    try {
      return { kind: 'value', value: JSON.parse(text) as unknown };
    } catch {
      return { kind: 'damaged', movedTo: await this.setAside() };
    }
  }

  /** Moves the current file aside (it is damaged or invalid) and returns where it went. */
  async setAside(): Promise<string> {
    const movedTo = `${this.file}.broken-${Date.now()}`;
    await fsp.rename(this.file, movedTo);
    await fsyncFolder(path.dirname(this.file));
    return movedTo;
  }

  /** Replaces the document; resolves once the new one is durable. Writes keep call order. */
  write(value: unknown): Promise<void> {
    const text = JSON.stringify(value);
    const run = this.chain.then(() => this.replace(text));
    // A failed write must not block the ones after it; the caller hears of its own failure.
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** Resolves once every write asked for so far has finished. */
  async settled(): Promise<void> {
    await this.chain;
  }

  private async replace(text: string): Promise<void> {
    const tmp = `${this.file}.tmp-${process.pid}-${++this.seq}`;
    const handle = await fsp.open(tmp, 'w', 0o600);
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fsp.rename(tmp, this.file);
    await fsyncFolder(path.dirname(this.file));
  }
}
