/**
 * Maps an async stream through an async function with bounded concurrency, yielding results in
 * input order. At most `concurrency` calls are in flight and at most `concurrency` results wait, so
 * memory stays bounded whatever the stream's length.
 */
export async function* mapOrdered<T, R>(
  source: AsyncIterable<T>,
  concurrency: number,
  fn: (item: T) => Promise<R>,
): AsyncGenerator<R> {
  const limit = Math.max(1, Math.floor(concurrency));
  const window: Promise<R>[] = [];
  for await (const item of source) {
    const p = fn(item);
    // Avoid unhandled-rejection noise while the promise waits its turn; it is awaited below.
    p.catch(() => undefined);
    window.push(p);
    if (window.length >= limit) yield await (window.shift() as Promise<R>);
  }
  while (window.length) yield await (window.shift() as Promise<R>);
}
