/**
 * A promise with its resolve function, to hold a connection or a transaction open until the test says so.
 * @example const gate = deferred(); const held = db.withConnection(() => gate.promise); gate.resolve();
 */
export function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}
