/**
 * Test support for what arrives over the network (the DataMiner's event stream): waits until
 * `read` gives a value, polling every 20 ms for at most 5 s, then fails naming what it awaited.
 */
export async function eventually<T>(
  what: string,
  read: () => T | undefined | null | false | '',
): Promise<T> {
  for (let i = 0; i < 250; i++) {
    const value = read();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`Timed out waiting for ${what}`);
}
